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
