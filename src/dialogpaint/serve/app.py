"""One FastAPI app: the JSON API under /api and the Gradio UI at /, over one Service.

Is: assembly (`create_app`) and the `dialogpaint serve` entry (`serve`). Is not: routes (api.py),
UI (ui.py) or serving logic (service.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from .service import ServeConfig, Service

log = logging.getLogger("dialogpaint.serve")


def default_data_dir() -> Path:
    from ..paths import data_home

    return data_home() / "serve"


def ui_key(data_dir: str) -> bytes:
    """The key that signs the UI's cookie, kept in the data dir (0600) so a restart keeps open pages working."""
    path = Path(data_dir) / "ui.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
    return path.read_bytes()


def create_app(cfg: ServeConfig, editor, dialogue, ui: bool = True):
    """The app; `app.state.service` is the Service behind both halves."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    from .api import MAX_UPLOAD, error_handlers, make_router
    from .guard import BodyLimits, Guard
    from .limits import RateLimiter

    service = Service(cfg, editor, dialogue)

    async def sweeper():
        while True:
            await asyncio.sleep(cfg.limits.sweep_every)
            try:
                await service.sweep()
            except Exception as e:  # a sweep that fails (disk error) must not stop the next ones
                log.warning("sweep failed: %s", e)

    @asynccontextmanager
    async def lifespan(_):
        task = asyncio.create_task(sweeper())
        yield
        task.cancel()
        service.close()

    app = FastAPI(title="DialogPaint", summary="Edit images by conversation", docs_url="/api/docs",
                  redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.service = service
    # bodies bounded as they stream in (an image upload: 20 MB and its form fields; anything else: 1 MB)
    app.add_middleware(Guard, limits=BodyLimits(uploads=MAX_UPLOAD + 65536),
                       ui_key=ui_key(cfg.data_dir) if ui else None,
                       ui_uploads=RateLimiter(cfg.limits.uploads_per_minute, what="uploads"))
    error_handlers(app)
    app.include_router(make_router(service))
    if ui:
        from .ui import mount_ui  # sets Gradio's no-analytics switch before Gradio is imported

        app = mount_ui(app, service)
    return app
