"""The JSON API under /api (FastAPI; its OpenAPI page is /api/docs).

Is: routes, request checks (sizes, lengths, JSON shape) and the mapping of errors to status codes,
every error as {"error": "..."}. Is not: the serving logic (service.py) or the web UI (ui.py).

    POST   /api/sessions                         multipart: image?, caption?, seed?  -> 201
    POST   /api/sessions/{id}/messages           {"text", "steps"?, "text_guidance"?, "image_guidance"?, "seed"?}
                                                 (settings for this and later edits, kept in the session's log)
    POST   /api/sessions/{id}/forget             {"edit": "last" | "all" | n}
    GET    /api/sessions/{id}                    turns, live edits, versions, settings
    GET    /api/sessions/{id}/images/{v}.png     (Bearer header, or ?token= for <img> tags: this route only)
    DELETE /api/sessions/{id}
    GET    /api/health
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal, Union

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from ..editing.base import GUIDANCE_RANGE, SEED_RANGE, STEPS_RANGE
from ..errors import ConfigError, DialogPaintError, ImageError
from .limits import Full, RateLimited
from .service import MAX_MESSAGE, Busy, NotFound, Service, Unauthorized

MAX_UPLOAD = 20 * 1024 * 1024  # bytes
MAX_EDIT_NUMBER = 10_000        # a forget names a live edit by its 1-based number; more is never one


class TooLarge(DialogPaintError):
    pass


class Message(BaseModel):
    text: str = Field(max_length=MAX_MESSAGE, description="What the user says.")
    steps: int | None = Field(None, ge=STEPS_RANGE[0], le=STEPS_RANGE[1],
                              description="Denoising steps for this and later edits.")
    text_guidance: float | None = Field(None, ge=GUIDANCE_RANGE[0], le=GUIDANCE_RANGE[1], allow_inf_nan=False,
                                        description="s_T for this and later edits.")
    image_guidance: float | None = Field(None, ge=GUIDANCE_RANGE[0], le=GUIDANCE_RANGE[1], allow_inf_nan=False,
                                         description="s_I for this and later edits.")
    seed: int | None = Field(None, ge=SEED_RANGE[0], le=SEED_RANGE[1], description="Session seed for later edits.")


class Forget(BaseModel):
    edit: Union[Literal["last", "all"], Annotated[int, Field(ge=1, le=MAX_EDIT_NUMBER)]] = Field(
        "last", description="'last', 'all', or the n-th live edit.")


def _token(request: Request, in_query: bool = False) -> str | None:
    """The Bearer token; `?token=` only where `in_query` (the image route, for <img> tags): a token in a
    URL ends up in logs and history, so no route that reads or changes a conversation takes one."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return (request.query_params.get("token") or None) if in_query else None


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _state(sid: str, session, reply=None) -> dict:
    out = {"id": sid, "version": session.version, "image_url": f"/api/sessions/{sid}/images/{session.version}.png",
           "edits": [{"index": e.index, "instruction": e.instruction, "version": e.version} for e in session.edits]}
    if reply is not None:
        out["reply"] = {"action": reply.action, "message": reply.message, "instruction": reply.instruction}
    return out


def error_handlers(app: FastAPI) -> None:
    def err(status: int, msg: str, headers=None):
        return JSONResponse({"error": msg}, status_code=status, headers=headers)

    @app.exception_handler(Unauthorized)
    async def _401(_, e):
        return err(401, str(e), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(NotFound)
    async def _404(_, e):
        return err(404, str(e))

    @app.exception_handler(Busy)
    async def _503(_, e):
        return err(503, str(e), {"Retry-After": "2"})

    @app.exception_handler(TooLarge)
    async def _413(_, e):
        return err(413, str(e))

    @app.exception_handler(RateLimited)
    async def _429(_, e):
        return err(429, str(e), {"Retry-After": str(int(e.retry_after + 0.999))})

    @app.exception_handler(Full)
    async def _503_full(_, e):
        return err(503, str(e), {"Retry-After": "60"})

    @app.exception_handler(DialogPaintError)
    async def _400(_, e):  # ImageError, ConfigError: the user's input
        return err(400, str(e))

    @app.exception_handler(RequestValidationError)
    async def _422(_, e):
        first = e.errors()[0] if e.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        msg = first.get("msg", "invalid request")
        return err(422, f"{where}: {msg}" if where else msg)


def make_router(service: Service) -> APIRouter:
    r = APIRouter(prefix="/api")

    @r.post("/sessions", status_code=201)
    async def create_session(request: Request):
        """Start a session from an uploaded image (multipart field `image`), or from a generated example."""
        service.admit(_client(request))  # the client's rate first: over it, its body is never read
        if int(request.headers.get("content-length") or 0) > MAX_UPLOAD + 65536:
            raise TooLarge(f"the upload is over {MAX_UPLOAD // 2**20} MB")
        ctype = request.headers.get("content-type", "")
        fields = {}
        if ctype.startswith("multipart/form-data") or ctype.startswith("application/x-www-form-urlencoded"):
            try:
                form = await request.form(max_files=1, max_fields=8, max_part_size=MAX_UPLOAD)
            except Exception as e:  # starlette's MultiPartException and friends
                if "size" in str(e).lower():
                    raise TooLarge(f"the upload is over {MAX_UPLOAD // 2**20} MB") from None
                raise ConfigError(f"malformed form: {e}") from None
            fields = dict(form)
        elif ctype and int(request.headers.get("content-length") or 0) > 0:
            raise ConfigError("send multipart/form-data with an optional 'image' file, 'caption' and 'seed'")
        data = None
        upload = fields.get("image")
        if upload is not None and not isinstance(upload, str):
            data = await upload.read(MAX_UPLOAD + 1)
            if len(data) > MAX_UPLOAD:
                raise TooLarge(f"the image is over {MAX_UPLOAD // 2**20} MB")
            if not data:
                raise ImageError("the image file is empty")
        caption = fields.get("caption")
        caption = caption.strip() if isinstance(caption, str) and caption.strip() else None
        try:
            seed = int(fields.get("seed") or 0)
        except (TypeError, ValueError):
            raise ConfigError("seed must be an integer") from None
        # the service checks the seed and the caption's length before it stores anything
        sid, token = await service.start(data, caption, seed)
        session = await service.open(sid, token)
        return {**_state(sid, session), "token": token, "caption": session.caption}

    @r.post("/sessions/{sid}/messages")
    async def post_message(sid: str, body: Message, request: Request):
        """Say something; the dialogue model answers and, for an edit, the image changes."""
        params = body.model_dump(exclude={"text"})
        session, reply = await service.message(sid, _token(request), body.text, params=params)
        return _state(sid, session, reply)

    @r.post("/sessions/{sid}/forget")
    async def post_forget(sid: str, body: Forget, request: Request):
        """Forget an edit (the later ones are re-applied) without going through the dialogue."""
        session, reply = await service.forget(sid, _token(request), body.edit)
        return _state(sid, session, reply)

    @r.get("/sessions/{sid}")
    async def get_session(sid: str, request: Request):
        """The conversation, the live edits and every image version."""
        session = await service.open(sid, _token(request))
        return {**_state(sid, session), "caption": session.caption, "settings": session.settings,
                "turns": session.history(),
                "versions": [{"version": v.id, "edits": list(v.edit_ids),
                              "image_url": f"/api/sessions/{sid}/images/{v.id}.png"} for v in session.versions]}

    @r.get("/sessions/{sid}/images/{version}.png")
    async def get_image(sid: str, version: int, request: Request):
        path = await asyncio.to_thread(service.image_file, sid, _token(request, in_query=True), version)
        return FileResponse(path, media_type="image/png")

    @r.delete("/sessions/{sid}", status_code=204)
    async def delete_session(sid: str, request: Request):
        await asyncio.to_thread(service.delete, sid, _token(request))
        return Response(status_code=204)

    @r.get("/health")
    async def health():
        return {"status": "ok", "editor": getattr(service.editor, "name", "?"),
                "dialogue": getattr(service.dialogue, "name", "?"), "queue": service.queue,
                "sessions": await asyncio.to_thread(service.count)}  # never waits on a commit in the loop

    return r
