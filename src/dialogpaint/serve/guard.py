"""ASGI middleware in front of the whole app (API and UI): body limits while the body streams in, the
UI upload route's rate limit, and the headers every response carries.

Is: a request whose Content-Length is over its route's limit is answered 413 before any of its body is
read; a body without one (chunked) is counted as it arrives and answered 413 the moment it passes the
limit, the app seeing a disconnect; `Referrer-Policy: no-referrer` (no token leaves in a Referer),
`X-Content-Type-Options: nosniff`, and a Content-Security-Policy that lets pages load images, media,
frames and connections from this server only. Is not: auth or the API's own checks (api.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .limits import RateLimited, RateLimiter

CSP = ("img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
HEADERS = [(b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"),
           (b"content-security-policy", CSP.encode())]


@dataclass(frozen=True)
class BodyLimits:
    uploads: int                                   # bytes, for the routes that take an image
    other: int = 1 << 20                           # bytes, for every other request
    upload_routes: tuple[tuple[str, str], ...] = (("POST", "/api/sessions"), ("POST", "/gradio_api/upload"))

    def of(self, method: str, path: str) -> int:
        return self.uploads if (method, path.rstrip("/")) in self.upload_routes else self.other


class Guard:
    """Wraps an ASGI app; `ui_uploads` counts requests to Gradio's upload route per client address."""

    def __init__(self, app, limits: BodyLimits, ui_uploads: RateLimiter | None = None):
        self.app, self.limits, self.ui_uploads = app, limits, ui_uploads

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limits.of(scope["method"], scope["path"])
        state = {"started": False, "answered": False, "received": 0}

        async def send_with_headers(message):
            if state["answered"]:
                return  # we refused the request ourselves; what the app still says is dropped
            if message["type"] == "http.response.start":
                state["started"] = True
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        async def answer(status: int, error: str, extra=()):
            body = json.dumps({"error": error}).encode()
            await send_with_headers({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"), *extra]})
            await send({"type": "http.response.body", "body": body})
            state["answered"] = True

        # 1. the UI's upload route: per-client rate
        if self.ui_uploads is not None and scope["path"].rstrip("/") == "/gradio_api/upload":
            try:
                self.ui_uploads.hit((scope.get("client") or ("?",))[0])
            except RateLimited as e:
                return await answer(429, str(e), [(b"retry-after", str(int(e.retry_after + 0.999)).encode())])
        # 2. a declared length over the limit: refused before reading anything
        too_big = f"the request body is over {limit // 2**20 or 1} MB" if limit >= 2**20 else \
            f"the request body is over {limit} bytes"
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await answer(413, too_big)

        # 3. otherwise count the body as it streams in
        async def counted_receive():
            if state["answered"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    if not state["started"]:
                        await answer(413, too_big)
                    state["answered"] = True
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except Exception:
            if not state["answered"]:
                raise  # the app's own failure: uvicorn reports it
            # the app gave up on a body we cut off (it saw a disconnect): nothing more to say
