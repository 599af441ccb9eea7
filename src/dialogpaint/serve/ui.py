"""The web UI (Gradio, mounted at / by app.py): chat, the current image, versions, forget, advanced controls.

Is: layout and event handlers; every handler goes through the same Service as the JSON API, so a turn
made here is stored, ordered and queued exactly like one made over HTTP. Images reach the browser as
copies in Gradio's cache (content-hashed names) or in a private temp folder, never from the data dir,
which Gradio's file route refuses: only the browser that holds a session's token sees its pictures.
Is not: serving logic.
"""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing leaves the machine

import gradio as gr  # noqa: E402

from ..editing.base import GUIDANCE_RANGE, STEPS_RANGE  # noqa: E402
from ..errors import ConfigError, DialogPaintError  # noqa: E402
from .service import Busy, Service  # noqa: E402

CSS = """
#current img {object-fit: contain; image-rendering: pixelated;}
#versions img {image-rendering: pixelated; object-fit: contain !important;}
footer {display: none !important;}
"""


def theme():
    """Gradio's default look without web fonts (which would be fetched from the internet)."""
    system = ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"]
    return gr.themes.Default(font=system, font_mono=["ui-monospace", "Consolas", "monospace"])


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def _md(text: str) -> str:
    """`text` as Markdown that shows it literally: HTML escaped, Markdown and LaTeX syntax backslashed, so
    user words (echoed by the assistant too) never become tags, links, images or formulas in the chat."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def _chat(session) -> list[dict]:
    out = []
    for t in session.turns:
        if t.role == "assistant" and (not out or out[-1]["role"] == "assistant"):
            out.append({"role": "user", "content": "*(used the Undo / Forget buttons)*"})
        text = _md(t.text)
        if t.role == "assistant" and t.instruction:
            text += f"\n\n*instruction:* {_md(t.instruction)}"
        out.append({"role": t.role, "content": text})
    return out


def _client(request) -> str:
    """The browser's address, as the API sees a client's (per-client limits)."""
    return request.client.host if request is not None and request.client else "?"


def _whole(value, name: str) -> int:
    """A number from a UI field as an int (`ConfigError` for a fraction, inf, NaN or not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
        raise ConfigError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def build_ui(service: Service) -> gr.Blocks:
    downloads = Path(tempfile.mkdtemp(prefix="dialogpaint-ui-"))  # 0700; copies for the download button
    atexit.register(shutil.rmtree, downloads, True)
    service.temp_dirs.append(downloads)  # aged out by the service's sweep
    with gr.Blocks(title="DialogPaint") as demo:
        # {"id", "token"} of this browser's session, kept in localStorage: a reload, or a restart of the
        # server, comes back to the same conversation
        sess = gr.BrowserState({}, storage_key="dialogpaint-session")
        gr.Markdown("## DialogPaint: edit a picture by talking about it\nUpload an image or start from an example, "
                    "then say what to change. Vague requests get a question; say *undo* or *forget the ...* anytime.")
        with gr.Row():
            with gr.Column(scale=3):
                current = gr.Image(label="Current image", type="pil", interactive=False, height=420, elem_id="current",
                                   buttons=["fullscreen"])
                with gr.Row():
                    upload = gr.Image(label="Start from your image", type="filepath", sources=["upload"], height=150,
                                      elem_id="upload")
                    with gr.Column():
                        example = gr.Button("Start from an example", elem_id="example")
                        download = gr.DownloadButton("Download current image", elem_id="download")
            with gr.Column(scale=2):
                chat = gr.Chatbot(label="Conversation", height=420, elem_id="chat")
                msg = gr.Textbox(placeholder="Tell me what to change, e.g. \"make the car blue\"", show_label=False,
                                 elem_id="msg", max_length=2000)
                with gr.Row():
                    send = gr.Button("Send", variant="primary", elem_id="send")
                    undo = gr.Button("Undo", elem_id="undo")
                    reset = gr.Button("Start over", elem_id="reset")
                status = gr.Markdown(elem_id="status")
        versions = gr.Gallery(label="Versions (click one to view it)", columns=8, rows=1, height=210, fit_columns=False,
                              allow_preview=False, object_fit="contain", elem_id="versions")
        with gr.Row():
            live = gr.Dropdown(label="Edits in effect", choices=[], interactive=True, elem_id="live")
            forget = gr.Button("Forget this edit", elem_id="forget")
        defaults = service_params(service)
        with gr.Accordion("Advanced", open=False):
            with gr.Row():
                s_t = gr.Slider(*GUIDANCE_RANGE, value=defaults["text_guidance"], step=0.5, label="Text guidance s_T",
                                elem_id="s_t")
                s_i = gr.Slider(*GUIDANCE_RANGE, value=defaults["image_guidance"], step=0.1,
                                label="Image guidance s_I", elem_id="s_i")
                steps = gr.Slider(*STEPS_RANGE, value=defaults["steps"], step=1, label="Steps", elem_id="steps")
                seed = gr.Number(value=0, precision=0, label="Seed", elem_id="seed")

        # status last: handlers that only report answer [gr.skip()] * (len(outputs) - 1) + [note]
        outputs = [sess, chat, current, versions, live, download, s_t, s_i, steps, seed, status]

        def view(s, session, note=""):
            vs = [(v.image, f"v{v.id}: " + (session.instruction_of(v.id) or "original")) for v in session.versions]
            choices = [f"{e.index}. {e.instruction}" for e in session.edits]
            copy = downloads / f"dialogpaint-{s['id']}-v{session.version}.png"
            if not copy.exists():
                session.image.save(copy)
            st = session.settings
            return (s, _chat(session), session.image, vs,
                    gr.Dropdown(choices=choices, value=choices[-1] if choices else None),
                    gr.DownloadButton(value=str(copy)), st["text_guidance"], st["image_guidance"], st["steps"],
                    st["seed"], note)

        async def start(path, seed_value, request: gr.Request):
            if path is None:
                return [gr.skip()] * len(outputs)
            try:
                # the same checks as the API (50 MP header check, truncation, EXIF), the same per-client
                # rate and caps, decoded in a thread
                service.admit(_client(request))
                sid, token = await service.start(path, None, _whole(seed_value or 0, "the seed"))
            except DialogPaintError as e:
                return [gr.skip()] * (len(outputs) - 1) + [f"**Error:** {_md(str(e))}"]
            s = {"id": sid, "token": token}
            return view(s, await service.open(sid, token), "New session started.")

        async def start_example(seed_value, request: gr.Request):
            try:
                service.admit(_client(request))
                sid, token = await service.start(None, None, _whole(seed_value or 0, "the seed"))
            except DialogPaintError as e:
                return [gr.skip()] * (len(outputs) - 1) + [f"**Error:** {_md(str(e))}"]
            s = {"id": sid, "token": token}
            session = await service.open(sid, token)
            return view(s, session, f"Example scene: *{session.caption}*")

        async def say(text, s, st, si, n, seed_value, progress=gr.Progress()):
            if not s:
                return [gr.skip()] * (len(outputs) - 1) + ["Start a session first: upload an image or pick the example.", text]
            if not text or not text.strip():
                return [gr.skip()] * len(outputs) + [text]
            try:
                progress(0, desc="thinking")
                params = {"text_guidance": st, "image_guidance": si, "steps": _whole(n, "steps"),
                          "seed": _whole(seed_value or 0, "the seed")}
                session, reply = await service.message(
                    s["id"], s["token"], text, params=params,
                    on_progress=lambda i, total: progress((i, total), desc="editing", unit="steps"))
            except Busy as e:
                return [gr.skip()] * (len(outputs) - 1) + [f"**Busy:** {e}", text]
            except DialogPaintError as e:
                return [gr.skip()] * (len(outputs) - 1) + [f"**Error:** {_md(str(e))}", text]
            return *view(s, session), ""

        async def forget_edit(which, s, progress=gr.Progress()):
            if not s:
                return [gr.skip()] * len(outputs)
            if which is None:
                return [gr.skip()] * (len(outputs) - 1) + ["Pick an edit to forget."]
            try:
                progress(0, desc="re-applying")
                key = which if which in ("last", "all") else int(str(which).split(".")[0])
                session, reply = await service.forget(s["id"], s["token"], key,
                                                      on_progress=lambda i, t: progress((i, t), desc="re-applying"))
            except DialogPaintError as e:
                return [gr.skip()] * (len(outputs) - 1) + [f"**Error:** {_md(str(e))}"]
            return view(s, session, reply.message)

        def show_version(s, evt: gr.SelectData):
            if not s:
                return gr.skip(), gr.skip()
            session = service.get(s["id"], s["token"])
            return session.image_of(evt.index), f"Showing version {evt.index} (the current one is {session.version})."

        async def resume(s):
            if not s or not s.get("id"):
                return [gr.skip()] * len(outputs)
            try:
                session = await service.open(s["id"], s.get("token"))
            except DialogPaintError:
                return [{}] + [gr.skip()] * (len(outputs) - 2) + ["Your last session is gone; start a new one."]
            return view(s, session, "Welcome back: this is where you left off.")

        demo.load(resume, [sess], outputs)
        upload.upload(start, [upload, seed], outputs)
        example.click(start_example, [seed], outputs)
        for trigger in (send.click, msg.submit):
            trigger(say, [msg, sess, s_t, s_i, steps, seed], outputs + [msg], concurrency_limit=None,
                    show_progress_on=[current])
        async def undo_last(s, progress=gr.Progress()):
            return await forget_edit("last", s, progress)

        async def start_over(s, progress=gr.Progress()):
            return await forget_edit("all", s, progress)

        undo.click(undo_last, [sess], outputs, show_progress_on=[current])
        reset.click(start_over, [sess], outputs, show_progress_on=[current])
        forget.click(forget_edit, [live, sess], outputs, show_progress_on=[current])
        versions.select(show_version, [sess], [current, status])
    return demo


def mount_ui(app, service: Service):
    """`app` with the UI mounted at / (no web fonts, no footer links, no server-side rendering)."""
    from .api import MAX_UPLOAD

    own = _gradio_temp_dir()
    if own is not None:
        service.temp_dirs.append(own)
    return gr.mount_gradio_app(app, build_ui(service), path="/", theme=theme(), css=CSS, footer_links=[],
                               blocked_paths=[str(service.data_dir)], ssr_mode=False, mcp_server=False,
                               max_file_size=MAX_UPLOAD)


_OWN_TEMP: list[Path] = []


def _gradio_temp_dir() -> Path | None:
    """Gradio's upload and cache folder made private to this process (removed at exit), so the service's
    sweep may delete files in it older than `limits.temp_ttl`. None when the user chose one with
    GRADIO_TEMP_DIR (it may be shared: it is left alone)."""
    if not _OWN_TEMP and os.environ.get("GRADIO_TEMP_DIR"):
        return None
    if not _OWN_TEMP:
        tmp = Path(tempfile.mkdtemp(prefix="dialogpaint-gradio-"))
        atexit.register(shutil.rmtree, tmp, True)
        os.environ["GRADIO_TEMP_DIR"] = str(tmp)
        _OWN_TEMP.append(tmp)
    return _OWN_TEMP[0]


def service_params(service: Service) -> dict:
    from ..editing.base import EditParams

    p = EditParams()
    return {"steps": p.steps, "text_guidance": p.text_guidance, "image_guidance": p.image_guidance}
