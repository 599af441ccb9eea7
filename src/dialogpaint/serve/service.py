"""The serving core: sessions by id and token, turns in order, edits on a bounded worker pool.

Is: what the HTTP API and the web UI both call. A turn is: take the session's lock (turns of one
session run in arrival order), ask the dialogue model (in a thread; questions and chat never wait
for the editor), and, when the reply needs the editor, run it on the worker pool if there is room
(else `Busy`, which the API answers with 503 + Retry-After), then store the new events and images
durably before answering. New sessions: counted against their client's rate (`admit`), checked
against the session and disk caps, decoded and shrunk to `max_side` on a low-priority intake pool.
Sessions in memory: an LRU bounded in image bytes (cache.py). A periodic `sweep` expires idle
sessions and deletes orphaned and temp files. Is not: HTTP (api.py), HTML (ui.py), storage (store.py)
or the limits themselves (limits.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image

from ..dialogue import Reply
from ..editing.base import check_seed
from ..errors import ConfigError, DialogPaintError
from ..images import open_image
from ..session import Session, TurnResult
from .cache import SessionCache, return_big_frees_to_os, shrink
from .limits import Full, Limits, RateLimiter, clean_text
from .store import Store, remove_old_files, token_hash

MAX_MESSAGE = 2000  # characters
MAX_CAPTION = 500  # characters
SETTINGS = ("steps", "text_guidance", "image_guidance", "seed")  # what a message may change for later edits


class NotFound(DialogPaintError):
    """Unknown session, wrong token (indistinguishable on purpose), or unknown version."""


class Unauthorized(DialogPaintError):
    """No token given."""


class Busy(DialogPaintError):
    """The edit queue is full; try again later."""


def _lower_priority() -> None:
    """Nice the calling thread (Linux nices threads one by one); nothing where that is not possible."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


@dataclass(frozen=True)
class ServeConfig:
    data_dir: str                    # SQLite database and images
    workers: int = 1                 # edits running at once (1 on a CPU; the editor is not shared safely)
    queue_size: int = 4              # edits waiting beyond the running ones; more gets 503
    cache_mb: int = 1024             # image bytes of the sessions kept in memory (the rest are reloaded)
    cache_sessions: int = 1024       # and at most this many of them
    max_side: int = 2048             # images enter at most this long on their longest side (memory, disk)
    decodes: int = max(1, (os.cpu_count() or 2) // 2)  # uploads decoded at once (half the cores: the
                                     # loop keeps one; a 49 MP PNG takes ~150 MB while it decodes)
    intake_queue: int = 8            # uploads waiting for a decoder beyond those; more gets 503
    example_size: int = 256          # side of the generated example scene
    limits: Limits = Limits()        # per-client rates, caps, expiry (limits.py)


class Service:
    def __init__(self, cfg: ServeConfig, editor, dialogue):
        self.cfg = cfg
        self.editor, self.dialogue = editor, dialogue
        self.store = Store(cfg.data_dir)
        self.pool = ThreadPoolExecutor(max_workers=cfg.workers, thread_name_prefix="edit")
        self._slots = threading.BoundedSemaphore(cfg.workers + cfg.queue_size)
        self._jobs = 0                                   # edits running or waiting
        self._locks: dict[str, asyncio.Lock] = {}
        self._reloading = threading.Lock()
        self._cache = SessionCache(cfg.cache_mb * 2**20, cfg.cache_sessions, in_use=self._in_use)
        # uploads are decoded, shrunk and stored here, at a lower CPU priority than the event loop
        self._intake_jobs = 0                            # uploads being decoded or waiting (event loop only)
        self._intake = ThreadPoolExecutor(max_workers=cfg.decodes, thread_name_prefix="intake",
                                          initializer=_lower_priority)
        self._new_sessions = RateLimiter(cfg.limits.sessions_per_minute, what="new sessions")
        self._disk = self.store.disk_bytes()             # image bytes on disk (re-measured by each sweep)
        self.temp_dirs: list[Path] = []                   # folders of temp files the sweep ages out (the UI's)
        return_big_frees_to_os()

    # sessions -----------------------------------------------------------------------------------
    def admit(self, client: str) -> None:
        """Count a new session for `client` (an address), or raise `RateLimited`. Callers do it before
        reading an upload, so a client over its rate costs the server no body."""
        self._new_sessions.hit(client)

    async def start(self, source, caption: str | None = None, seed: int = 0) -> tuple[str, str]:
        """`create` from an uploaded file (bytes or path; None: the example scene), after `admit`.

        Uploads are decoded, shrunk and stored on the intake pool (`cfg.decodes` threads at a lower
        priority; `Busy` when `cfg.intake_queue` wait already), so the event loop stays free and memory
        stays bounded; the example scene is made in a thread of its own."""
        def work():
            self._check_room()  # SQLite: may wait for another thread's commit (fsync)
            image = None
            if source is not None:
                image = shrink(open_image(source, draft_side=self.cfg.max_side), self.cfg.max_side)
            return self.create(image, caption, seed)

        if source is None:
            return await asyncio.to_thread(work)
        if self._intake_jobs >= self.cfg.decodes + self.cfg.intake_queue:
            raise Busy("the server is busy with other uploads; try again in a few seconds")
        self._intake_jobs += 1
        try:
            return await asyncio.wrap_future(self._intake.submit(work))
        finally:
            self._intake_jobs -= 1

    def _check_room(self, new_session: bool = True) -> None:
        """`Full` when the store holds `limits.max_sessions` sessions (for a new one) or `limits.disk_mb`
        of images (as measured by the last sweep, plus the sessions made since)."""
        lim = self.cfg.limits
        if new_session and self.store.count() >= lim.max_sessions:
            raise Full(f"this server holds its maximum of {lim.max_sessions} sessions; try again later")
        if self._disk >= lim.disk_mb * 2**20:
            raise Full("this server's storage is full; try again later")

    def create(self, image: Image.Image | None = None, caption: str | None = None, seed: int = 0) -> tuple[str, str]:
        """A new session (from `image`, shrunk to `cfg.max_side`, or a generated example scene); returns
        (id, token). The seed and the caption are checked (control characters dropped) before anything is
        stored."""
        check_seed(seed)
        if caption is not None:
            caption = clean_text(caption).strip() or None
        if caption is not None and len(caption) > MAX_CAPTION:
            raise ConfigError(f"the caption is over {MAX_CAPTION} characters")
        if image is None:
            from ..world import example_scene

            image, example_caption = example_scene(seed, self.cfg.example_size)
            caption = caption or example_caption
        sid, token = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
        session = Session(shrink(image, self.cfg.max_side), editor=self.editor, dialogue=self.dialogue,
                          caption=caption, seed=seed)
        self.store.create(sid, token, caption, seed, session.original)
        self._disk += self.store.disk_bytes(sid)
        self._cache.put(sid, session)
        return sid, token

    def check(self, sid: str, token: str | None) -> dict:
        """The stored facts of session `sid` if `token` is its token (no images loaded); NotFound otherwise
        (the same answer for both cases), Unauthorized without a token."""
        if not token:
            raise Unauthorized("this route needs 'Authorization: Bearer <token>'")
        meta = self.store.meta(sid)
        if meta is None or not hmac.compare_digest(meta["token_sha256"], token_hash(token)):
            raise NotFound("no such session")
        return meta

    def get(self, sid: str, token: str | None) -> Session:
        """The session `sid` if `token` is its token; NotFound otherwise (same answer for both cases)."""
        meta = self.check(sid, token)
        session = self._cache.get(sid)
        if session is None:
            # one reload at a time (gets run in threads): two copies of one session must never both be live
            with self._reloading:
                session = self._cache.get(sid)
                if session is None:
                    log, versions = self.store.load(sid)
                    session = Session.restore(log, versions, editor=self.editor, dialogue=self.dialogue,
                                              caption=meta["caption"], seed=meta["seed"])
                    self._cache.put(sid, session)
        self._cache.put(sid, session, only_if_held=True)  # re-measured: a turn may have added versions
        return session

    async def open(self, sid: str, token: str | None) -> Session:
        """`get` in a thread: reloading a session from the store decodes its images."""
        return await asyncio.to_thread(self.get, sid, token)

    def image_file(self, sid: str, token: str | None, version: int):
        """Path of the stored PNG of `version` of session `sid` (token checked); NotFound if there is none."""
        session = self.get(sid, token)
        path = self.store.image_path(sid, version) if 0 <= version < len(session.versions) else None
        if path is None:
            raise NotFound(f"no version {version}")
        return path

    @property
    def data_dir(self):
        """The folder of the database and the stored images (never served as files)."""
        return self.store.dir

    def count(self) -> int:
        """Sessions in the store."""
        return self.store.count()

    def delete(self, sid: str, token: str | None) -> None:
        self.get(sid, token)
        self._forget_session(sid)

    def _forget_session(self, sid: str) -> None:
        """Delete `sid` from the store and from memory."""
        self.store.delete(sid)
        self._cache.pop(sid)
        self._locks.pop(sid, None)

    def _in_use(self, sid: str) -> bool:
        lock = self._locks.get(sid)
        return lock is not None and lock.locked()

    def lock(self, sid: str) -> asyncio.Lock:
        return self._locks.setdefault(sid, asyncio.Lock())

    @property
    def queue(self) -> dict:
        return {"jobs": self._jobs, "workers": self.cfg.workers, "capacity": self.cfg.workers + self.cfg.queue_size}

    # turns ---------------------------------------------------------------------------------------
    async def message(self, sid: str, token: str | None, text: str, *, params: dict | None = None,
                      on_progress: Callable[[int, int], None] | None = None):
        """One user message (control characters dropped): the reply, acted on and stored. Returns (session, reply)."""
        text = clean_text(text) if isinstance(text, str) else text
        if not isinstance(text, str) or not text.strip():
            raise ConfigError("the message is empty")
        if len(text) > MAX_MESSAGE:
            raise ConfigError(f"the message is over {MAX_MESSAGE} characters")
        self.check(sid, token)  # auth first, in arrival order; the session object is taken under its lock
        async with self.lock(sid):
            session = await self.open(sid, token)
            # checked before anything runs; logged with the turn (a refused turn changes no setting)
            settings = session.settings_event(**{k: v for k, v in (params or {}).items() if k in SETTINGS})
            reply = await asyncio.to_thread(session.respond, text)
            return session, await self._act(
                sid, lambda cb: session.turn(text, reply, settings=settings, callback=cb),
                session.needs_render(reply), on_progress)

    async def forget(self, sid: str, token: str | None, which: int | str = "last",
                     on_progress: Callable[[int, int], None] | None = None):
        """Forget the last edit, all, or the n-th live edit (the UI's buttons). Returns (session, reply)."""
        self.check(sid, token)
        async with self.lock(sid):
            session = await self.open(sid, token)  # under the lock: never a copy reloaded while a turn is running
            if isinstance(which, int) and not 1 <= which <= len(session.edits):
                raise ConfigError(f"there is no edit {which}; the live edits are numbered 1 to {len(session.edits)}")
            reply = session.forget_reply(which)
            return session, await self._act(sid, lambda cb: session.turn(None, reply, callback=cb), True,
                                            on_progress)

    async def _act(self, sid: str, turn: Callable[..., TurnResult], needs_editor: bool, on_progress) -> Reply:
        def run():
            result = turn(on_progress)
            self._persist(sid, result)
            return result.reply

        if not needs_editor:
            return await asyncio.to_thread(run)
        self._check_room(new_session=False)
        if not self._slots.acquire(blocking=False):
            raise Busy("the editor is busy; try again in a few seconds")
        self._jobs += 1
        try:
            # the caller's context goes with the job (as asyncio.to_thread does): progress reporters need it
            return await asyncio.wrap_future(self.pool.submit(contextvars.copy_context().run, run))
        finally:
            self._jobs -= 1
            self._slots.release()

    def _persist(self, sid: str, result: TurnResult) -> None:
        """Store what the turn added; if that fails, forget the in-memory copy (the store is the truth)."""
        try:
            self.store.append(sid, result.first_seq, list(result.events), list(result.versions))
        except BaseException:
            self._cache.pop(sid)
            raise

    # housekeeping --------------------------------------------------------------------------------
    async def sweep(self) -> dict:
        """Delete sessions idle longer than `limits.session_ttl` (never one whose turn is running: each
        is deleted under its lock, after checking again that it is idle), orphaned image files, and files
        in `temp_dirs` older than `limits.temp_ttl`; re-measure the disk. The app runs it periodically."""
        lim, now = self.cfg.limits, time.time()
        expired = 0
        if lim.session_ttl > 0:
            cutoff = now - lim.session_ttl
            for sid in await asyncio.to_thread(self.store.idle_since, cutoff):
                lock = self.lock(sid)
                if lock.locked():
                    continue
                async with lock:
                    expired += await asyncio.to_thread(self._expire, sid, cutoff)
                self._locks.pop(sid, None)
        files = await asyncio.to_thread(self.store.remove_orphans, now - lim.temp_ttl)
        files += await asyncio.to_thread(remove_old_files, self.temp_dirs, now - lim.temp_ttl)
        self._disk = await asyncio.to_thread(self.store.disk_bytes)
        return {"expired": expired, "files_removed": files}

    def _expire(self, sid: str, cutoff: float) -> int:
        if not self.store.idle_since(cutoff, sid):
            return 0
        self.store.delete(sid)
        self._cache.pop(sid)
        return 1

    def close(self) -> None:
        self._intake.shutdown(wait=True)
        self.pool.shutdown(wait=True)
        self.store.close()
