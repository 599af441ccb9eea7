"""What a public instance bounds: its limits (config), per-client rates, and user text at the boundary.

Is: `Limits` (sessions per client per minute, uploads per client per minute, session and disk caps,
idle expiry), a sliding-window `RateLimiter`, the errors they raise, and `clean_text`, which every piece
of user text (API and UI) goes through before it is stored. Is not: the ASGI middleware (guard.py) or
the sweeping of expired sessions (service.py).
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass

from ..errors import DialogPaintError


@dataclass(frozen=True)
class Limits:
    sessions_per_minute: int = 30       # new sessions per client address per minute (API and UI); 0: no limit
    uploads_per_minute: int = 30        # requests to the UI's file upload route per client per minute; 0: none
    max_sessions: int = 10_000          # sessions stored at once; a new one beyond it is refused (503)
    disk_mb: int = 20_000               # stored images; new sessions and edits are refused (503) beyond it
    session_ttl: float = 30 * 86400     # seconds without a turn after which a session is deleted; 0: never
    sweep_every: float = 60.0           # seconds between sweeps (expiry, orphaned files, UI temp files)
    temp_ttl: float = 3600.0            # seconds an upload or temp file of the UI may live


class RateLimited(DialogPaintError):
    """Too many requests from one client; `retry_after` seconds until one more is allowed."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class Full(DialogPaintError):
    """A server-wide cap (sessions, disk) is reached; the API answers 503."""


class RateLimiter:
    """At most `per_minute` events per key in any 60 s window (sliding; thread-safe; 0 = unlimited)."""

    def __init__(self, per_minute: int, window: float = 60.0, what: str = "requests"):
        self.per_minute, self.window, self.what = per_minute, window, what
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one event for `key`, or raise `RateLimited` (not counted) when the window is full."""
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        with self._lock:
            q = self._seen.setdefault(key, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.per_minute:
                raise RateLimited(f"too many {self.what} from your address (at most {self.per_minute} a minute); "
                                  "try again shortly", retry_after=max(1.0, q[0] + self.window - now))
            q.append(now)
            if len(self._seen) > 10_000:  # forget idle clients
                for k in [k for k, v in self._seen.items() if not v or v[-1] <= now - self.window]:
                    del self._seen[k]


# C0 and C1 control characters except tab and newline, DEL, and the Unicode bidi overrides and isolates
# (which reorder what a reader sees), and the line/paragraph separators
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean_text(text: str) -> str:
    """`text` with control characters removed (tab and newline kept; CR LF and CR become LF)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
