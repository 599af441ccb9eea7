"""One FastAPI app: the JSON API under /api and the Gradio UI at /, over one Service.

Is: assembly (`create_app`) and the `dialogpaint serve` entry (`serve`). Is not: routes (api.py),
UI (ui.py) or serving logic (service.py).
"""

from __future__ import annotations

from pathlib import Path

from .service import ServeConfig, Service


def default_data_dir() -> Path:
    from ..paths import data_home

    return data_home() / "serve"


def create_app(cfg: ServeConfig, editor, dialogue, ui: bool = True):
    """The app; `app.state.service` is the Service behind both halves."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    from .api import error_handlers, make_router

    service = Service(cfg, editor, dialogue)

    @asynccontextmanager
    async def lifespan(_):
        yield
        service.close()

    app = FastAPI(title="DialogPaint", summary="Edit images by conversation", docs_url="/api/docs",
                  redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.service = service
    error_handlers(app)
    app.include_router(make_router(service))
    if ui:
        from .ui import mount_ui  # sets Gradio's no-analytics switch before Gradio is imported

        app = mount_ui(app, service)
    return app
