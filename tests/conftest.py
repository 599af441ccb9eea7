"""Shared fixtures: no network, user data in a temp folder, tiny random components built offline."""

import os
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# a private, empty Hugging Face cache: what the user has cached must not change test results
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="dialogpaint-hf-")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import pytest
from PIL import Image, ImageDraw


@pytest.fixture(autouse=True)
def user_data_dir(tmp_path_factory, monkeypatch):
    """Send the user data dir (sessions, chat output) to a temp folder for every test."""
    home = tmp_path_factory.mktemp("dialogpaint-home")
    monkeypatch.setenv("DIALOGPAINT_HOME", str(home))
    return home


@pytest.fixture
def scene():
    """A small RGB test picture: sky, ground, a red ball."""
    img = Image.new("RGB", (64, 64), (120, 170, 230))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 40, 63, 63], fill=(60, 150, 60))
    d.ellipse([20, 24, 40, 44], fill=(220, 30, 30))
    return img


@pytest.fixture(scope="session")
def tiny_components():
    from dialogpaint.editing.random_model import random_components

    return random_components()


@pytest.fixture
def chat_endpoint():
    """A fake OpenAI-compatible endpoint on 127.0.0.1. Set `.reply` to the content it answers with;
    `.seen` holds (path, Authorization header, request body) per call."""
    import http.server
    import json
    import threading

    class Endpoint:
        reply = "{}"
        seen: list = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            Endpoint.seen.append((self.path, self.headers.get("Authorization"), body))
            data = json.dumps({"choices": [{"message": {"content": Endpoint.reply}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    Endpoint.url = f"http://127.0.0.1:{srv.server_port}/v1"
    Endpoint.seen = []
    yield Endpoint
    srv.shutdown()


# --- a real uvicorn server in a thread, for the API and browser tests -----------------------------
import threading  # noqa: E402
import time  # noqa: E402


class ThreadServer:
    """uvicorn serving the app in a thread of this process."""

    def __init__(self, app):
        import uvicorn

        from serve_process import free_port

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            assert time.time() < deadline, "server did not start"
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def make_server(tmp_path):
    """make(editor=None, workers=1, queue_size=4, ui=False, dialogue=None, **ServeConfig fields) -> a started
    ThreadServer (`.service` is its Service, `.data_dir` its data folder)."""
    from dialogpaint.dialogue.rules import RulesDialogue
    from dialogpaint.editing.base import IdentityEditor
    from dialogpaint.serve.app import create_app
    from dialogpaint.serve.service import ServeConfig

    servers = []

    def make(editor=None, workers=1, queue_size=4, ui=False, dialogue=None, **more):
        cfg = ServeConfig(data_dir=str(tmp_path / f"data{len(servers)}"), workers=workers, queue_size=queue_size,
                          **more)
        app = create_app(cfg, editor or IdentityEditor(), dialogue or RulesDialogue(), ui=ui)
        s = ThreadServer(app)
        s.service, s.data_dir = app.state.service, cfg.data_dir
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()
