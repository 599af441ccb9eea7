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

from ..errors import ConfigError, DialogPaintError
from ..session import Session
from .store import Store, token_hash

MAX_MESSAGE = 2000  # characters


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
        """A new session (from `image`, or a generated example scene); returns (id, token)."""
        if image is None:
            import random

            from ..world.render import render
            from ..world.scene import random_scene

            scene = random_scene(random.Random(f"example:{seed}"))
            image = render(scene, self.cfg.example_size)
            caption = caption or scene.caption()
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
            self._set_params(session, params or {})
            reply = await asyncio.to_thread(session.respond, text)
            return session, await self._act(sid, session, lambda cb: session.apply(text, reply, callback=cb),
                                            session.needs_render(reply), on_progress)

    async def forget(self, sid: str, token: str | None, which: int | str = "last",
                     on_progress: Callable[[int, int], None] | None = None):
        """Forget the last edit, all, or the n-th live edit (the UI's buttons). Returns (session, reply)."""
        self.get(sid, token)
        async with self.lock(sid):
            session = self.get(sid, token)  # under the lock: never a copy reloaded while a turn is running
            return session, await self._act(sid, session, lambda cb: session.forget(which), True, on_progress)

    def _set_params(self, session: Session, p: dict) -> None:
        fields = {k: p.get(k) for k in ("steps", "text_guidance", "image_guidance")}
        if any(v is not None for v in fields.values()):
            session.params = session.params.replace(**fields)  # EditParams checks the ranges
        if p.get("seed") is not None:
            session.seed = int(p["seed"])

    async def _act(self, sid: str, session: Session, act, needs_editor: bool, on_progress):
        n_log, n_versions = len(session.log), len(session.versions)

        def run():
            reply = act(on_progress)
            self._persist(sid, session, n_log, n_versions)
            return reply

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

    def _persist(self, sid: str, session: Session, n_log: int, n_versions: int) -> None:
        """Store what the turn added; if that fails, forget the in-memory copy (the store is the truth)."""
        try:
            self.store.append(sid, n_log, session.log[n_log:], session.versions[n_versions:], seed=session.seed)
        except BaseException:
            self._cache.pop(sid, None)
            raise

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.store.close()
