"""Sessions kept in memory, bounded by the bytes of their images; images shrunk to the working size.

Is: an LRU of `Session`s whose budget is the pixel bytes of all their versions (a session in use, i.e.
whose lock is held, is never evicted), the working-size rule for images entering the server, and the
glibc switch that hands big freed buffers back to the OS. Is not: storage (store.py) or auth (service.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections import OrderedDict
from typing import Callable

from PIL import Image

from ..session import Session

_M_MMAP_THRESHOLD = -3  # glibc mallopt parameter


def return_big_frees_to_os(threshold: int = 1 << 20) -> bool:
    """Make glibc serve allocations over `threshold` bytes with mmap, so freeing them returns the memory.

    Without it, the 16 MB blocks Pillow decodes a big image into stay in the process once freed (glibc
    raises its mmap threshold after the first free): four 49 MP uploads kept about 570 MB resident.
    Returns False where there is no glibc (nothing changes)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, threshold))
    except (OSError, AttributeError):
        return False


def shrink(image: Image.Image, max_side: int) -> Image.Image:
    """`image` with its longest side at most `max_side` (aspect kept, Lanczos); unchanged when it fits."""
    if max(image.size) <= max_side:
        return image
    out = image.copy() if image.readonly else image
    out.thumbnail((max_side, max_side), Image.LANCZOS, reducing_gap=3.0)
    return out


def session_bytes(session: Session) -> int:
    """Pixel bytes of every image version the session holds."""
    return sum(v.image.width * v.image.height * len(v.image.getbands()) for v in session.versions)


class SessionCache:
    """LRU of sessions by id, evicting the least recently used until their images fit `max_bytes` and
    they are at most `max_items`.

    `in_use(sid)` says whether a session must stay (its turn is running); such sessions are skipped.
    Thread-safe: sessions are reloaded from the store in worker threads."""

    def __init__(self, max_bytes: int, max_items: int, in_use: Callable[[str], bool]):
        self.max_bytes, self.max_items = max_bytes, max_items
        self._in_use = in_use
        self._items: OrderedDict[str, tuple[Session, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sid: str) -> Session | None:
        with self._lock:
            item = self._items.get(sid)
            if item is None:
                return None
            self._items.move_to_end(sid)
            return item[0]

    def put(self, sid: str, session: Session, *, only_if_held: bool = False) -> None:
        """Add or re-measure `session` (after a turn added versions), then evict down to the budget.
        With `only_if_held`, only re-measure: nothing happens unless `sid` is held as this very object."""
        size = session_bytes(session)
        with self._lock:
            if only_if_held and (self._items.get(sid) or (None,))[0] is not session:
                return
            self._items[sid] = (session, size)
            self._items.move_to_end(sid)
            total = sum(n for _, n in self._items.values())
            for old in list(self._items):
                if total <= self.max_bytes and len(self._items) <= self.max_items:
                    break
                if old == sid or self._in_use(old):
                    continue
                total -= self._items.pop(old)[1]

    def pop(self, sid: str) -> None:
        with self._lock:
            self._items.pop(sid, None)

    @property
    def bytes(self) -> int:
        with self._lock:
            return sum(n for _, n in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, sid: str) -> bool:
        return sid in self._items
