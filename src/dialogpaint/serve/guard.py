"""ASGI middleware in front of the whole app (API and UI): body limits while the body streams in, the
UI upload route's rate limit, and the headers every response carries.

Is: the UI's upload route only for a browser that loaded the UI (a signed cookie set with the page: no
page, no upload; 403), at a per-client rate (429); a request whose Content-Length is over its route's
limit is answered 413 before any of its body is read; a body without one (chunked) is counted as it arrives and answered 413 the moment it passes the
limit, the app seeing a disconnect; `Referrer-Policy: no-referrer` (no token leaves in a Referer),
`X-Content-Type-Options: nosniff`, and a Content-Security-Policy that lets pages load images, media,
frames and connections from this server only. Is not: auth or the API's own checks (api.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie

from .limits import RateLimited, RateLimiter

CSP = ("img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
UPLOAD = "/gradio_api/upload"
COOKIE = "dialogpaint_ui"
HEADERS = [(b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"),
           (b"content-security-policy", CSP.encode())]


@dataclass(frozen=True)
class BodyLimits:
    uploads: int                                   # bytes, for the routes that take an image
    other: int = 1 << 20                           # bytes, for every other request
    upload_routes: tuple[tuple[str, str], ...] = (("POST", "/api/sessions"), ("POST", UPLOAD))

    def of(self, method: str, path: str) -> int:
        return self.uploads if (method, path.rstrip("/")) in self.upload_routes else self.other


class Guard:
    """Wraps an ASGI app. `ui_key` (bytes) signs the UI cookie the page sets and Gradio's upload route
    needs (None: no UI); `ui_uploads` counts requests to that route per client address."""

    def __init__(self, app, limits: BodyLimits, ui_key: bytes | None = None, ui_uploads: RateLimiter | None = None):
        self.app, self.limits, self.ui_key, self.ui_uploads = app, limits, ui_key, ui_uploads

    def _sign(self, value: str) -> str:
        return hmac.new(self.ui_key, value.encode(), hashlib.sha256).hexdigest()[:32]

    def _new_pass(self) -> bytes:
        value = secrets.token_urlsafe(12)
        return (f"{COOKIE}={value}.{self._sign(value)}; Path=/; HttpOnly; SameSite=Strict").encode()

    def _has_pass(self, scope) -> bool:
        raw = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
        try:
            morsel = SimpleCookie(raw).get(COOKIE)
        except Exception:  # a malformed cookie header is no pass
            return False
        value, _, sig = (morsel.value if morsel else "").partition(".")
        return bool(value) and hmac.compare_digest(sig, self._sign(value))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limits.of(scope["method"], scope["path"])
        state = {"started": False, "answered": False, "received": 0}
        page = self.ui_key is not None and scope["method"] == "GET" and scope["path"] == "/"
        has_pass = self.ui_key is not None and self._has_pass(scope)

        async def send_with_headers(message):
            if state["answered"]:
                return  # we refused the request ourselves; what the app still says is dropped
            if message["type"] == "http.response.start":
                state["started"] = True
                extra = list(HEADERS)
                if page and not has_pass:
                    extra.append((b"set-cookie", self._new_pass()))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        async def answer(status: int, error: str, extra=()):
            body = json.dumps({"error": error}).encode()
            await send_with_headers({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"), *extra]})
            await send({"type": "http.response.body", "body": body})
            state["answered"] = True

        # 1. the UI's upload route: only after the page was loaded, at a per-client rate
        is_upload = scope["path"].rstrip("/") == UPLOAD
        if is_upload and self.ui_key is not None and not has_pass:
            return await answer(403, "uploads come from the web UI: load the page (again) first")
        if is_upload and self.ui_uploads is not None:
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
