"""The serving core: sessions by id and token, turns in order, edits on a bounded worker pool.

Is: what the HTTP API and the web UI both call. A turn is: take the session's lock (turns of one
session run in arrival order), ask the dialogue model (in a thread; questions and chat never wait
for the editor), and, when the reply needs the editor, run it on the worker pool if there is room
(else `Busy`, which the API answers with 503 + Retry-After), then store the new events and images
durably before answering. Is not: HTTP (api.py), HTML (ui.py) or storage (store.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import secrets
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from PIL import Image

from ..dialogue import Reply
from ..editing.base import check_seed
from ..errors import ConfigError, DialogPaintError
from ..session import Session, TurnResult
from .store import Store, token_hash

MAX_MESSAGE = 2000  # characters
MAX_CAPTION = 500  # characters
SETTINGS = ("steps", "text_guidance", "image_guidance", "seed")  # what a message may change for later edits


class NotFound(DialogPaintError):
    """Unknown session, wrong token (indistinguishable on purpose), or unknown version."""


class Unauthorized(DialogPaintError):
    """No token given."""


class Busy(DialogPaintError):
    """The edit queue is full; try again later."""


@dataclass(frozen=True)
class ServeConfig:
    data_dir: str                    # SQLite database and images
    workers: int = 1                 # edits running at once (1 on a CPU; the editor is not shared safely)
    queue_size: int = 4              # edits waiting beyond the running ones; more gets 503
    cache_sessions: int = 128        # sessions kept in memory (the rest are reloaded from the store)
    example_size: int = 256          # side of the generated example scene


class Service:
    def __init__(self, cfg: ServeConfig, editor, dialogue):
        self.cfg = cfg
        self.editor, self.dialogue = editor, dialogue
        self.store = Store(cfg.data_dir)
        self.pool = ThreadPoolExecutor(max_workers=cfg.workers, thread_name_prefix="edit")
        self._slots = threading.BoundedSemaphore(cfg.workers + cfg.queue_size)
        self._jobs = 0                                   # edits running or waiting
        self._cache: OrderedDict[str, Session] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    # sessions -----------------------------------------------------------------------------------
    def create(self, image: Image.Image | None = None, caption: str | None = None, seed: int = 0) -> tuple[str, str]:
        """A new session (from `image`, or a generated example scene); returns (id, token).

        The seed and the caption are checked before anything is stored."""
        check_seed(seed)
        if caption is not None and len(caption) > MAX_CAPTION:
            raise ConfigError(f"the caption is over {MAX_CAPTION} characters")
        if image is None:
            from ..world import example_scene

            image, example_caption = example_scene(seed, self.cfg.example_size)
            caption = caption or example_caption
        sid, token = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
        session = Session(image, editor=self.editor, dialogue=self.dialogue, caption=caption, seed=seed)
        self.store.create(sid, token, caption, seed, session.original)
        self._remember(sid, session)
        return sid, token

    def get(self, sid: str, token: str | None) -> Session:
        """The session `sid` if `token` is its token; NotFound otherwise (same answer for both cases)."""
        if not token:
            raise Unauthorized("this route needs 'Authorization: Bearer <token>'")
        meta = self.store.meta(sid)
        if meta is None or not hmac.compare_digest(meta["token_sha256"], token_hash(token)):
            raise NotFound("no such session")
        session = self._cache.get(sid)
        if session is None:
            log, versions = self.store.load(sid)
            session = Session.restore(log, versions, editor=self.editor, dialogue=self.dialogue,
                                      caption=meta["caption"], seed=meta["seed"])
            self._remember(sid, session)
        self._cache.move_to_end(sid)
        return session

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
        self.store.delete(sid)
        self._cache.pop(sid, None)

    def _remember(self, sid: str, session: Session) -> None:
        self._cache[sid] = session
        while len(self._cache) > self.cfg.cache_sessions:
            old, _ = self._cache.popitem(last=False)
            if old in self._locks and self._locks[old].locked():
                continue
            self._locks.pop(old, None)

    def lock(self, sid: str) -> asyncio.Lock:
        return self._locks.setdefault(sid, asyncio.Lock())

    @property
    def queue(self) -> dict:
        return {"jobs": self._jobs, "workers": self.cfg.workers, "capacity": self.cfg.workers + self.cfg.queue_size}

    # turns ---------------------------------------------------------------------------------------
    async def message(self, sid: str, token: str | None, text: str, *, params: dict | None = None,
                      on_progress: Callable[[int, int], None] | None = None):
        """One user message: the reply, acted on and stored. Returns (session, reply)."""
        if not isinstance(text, str) or not text.strip():
            raise ConfigError("the message is empty")
        if len(text) > MAX_MESSAGE:
            raise ConfigError(f"the message is over {MAX_MESSAGE} characters")
        self.get(sid, token)  # auth first; the session object is taken under its lock
        async with self.lock(sid):
            session = self.get(sid, token)
            # checked before anything runs; logged with the turn (a refused turn changes no setting)
            settings = session.settings_event(**{k: v for k, v in (params or {}).items() if k in SETTINGS})
            reply = await asyncio.to_thread(session.respond, text)
            return session, await self._act(
                sid, lambda cb: session.turn(text, reply, settings=settings, callback=cb),
                session.needs_render(reply), on_progress)

    async def forget(self, sid: str, token: str | None, which: int | str = "last",
                     on_progress: Callable[[int, int], None] | None = None):
        """Forget the last edit, all, or the n-th live edit (the UI's buttons). Returns (session, reply)."""
        self.get(sid, token)
        async with self.lock(sid):
            session = self.get(sid, token)  # under the lock: never a copy reloaded while a turn is running
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
            self._cache.pop(sid, None)
            raise

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.store.close()
