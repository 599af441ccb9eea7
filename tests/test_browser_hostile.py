"""Hostile text in the web UI, in headless Chromium: nothing runs, nothing loads from elsewhere; and the
UI's upload route is bounded (rate, size)."""

import os
import time

import httpx
import pytest

from dialogpaint.serve.limits import Limits
from test_browser import CHROMIUM, FLAGS, _wait_text

pytestmark = pytest.mark.slow

HOSTILE = [
    '<img src=x onerror="window.__pwned=1;alert(1)"> hello',
    "[click me](javascript:window.__pwned=2) and <a href=\"javascript:alert(2)\">this</a>",
    "![remote](http://203.0.113.7/pixel.png) <img src=\"http://203.0.113.8/p.png\"> <script>alert(3)</script>",
    "make the ball red <img src=x onerror=alert(4)> $\\href{javascript:alert(5)}{x}$",
]


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make test installs it)")
def test_hostile_chat_text_runs_nothing_and_loads_nothing(make_server):
    from playwright.sync_api import sync_playwright

    server = make_server(ui=True)
    here = f"127.0.0.1:{server.port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        elsewhere, dialogs, errors = [], [], []
        page.on("request", lambda r: elsewhere.append(r.url) if r.url.split("/")[2:3] != [here]
                and not r.url.startswith(("data:", "blob:")) else None)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        first = page.goto(server.url + "/", wait_until="load")
        assert first.headers["referrer-policy"] == "no-referrer"
        assert "img-src 'self'" in first.headers["content-security-policy"]
        page.wait_for_selector("#example", timeout=60000)
        page.click("#example")
        _wait_text(page, "#status", "Example scene")
        for text in HOSTILE:
            page.fill("#msg textarea", text)
            page.click("#send")
            _wait_text(page, "#chat", text[-9:])   # shown as the characters typed
        time.sleep(1)
        chat = page.inner_text("#chat")
        assert "<img src=x onerror=" in chat and "javascript:window.__pwned=2" in chat
        for selector in ("#chat img[src='x']", "#chat img[src^='http']", "#chat a[href^='javascript']",
                         "#chat script", "#chat [onerror]"):
            assert page.locator(selector).count() == 0, selector
        for link in page.locator("#chat a").all():            # any link there is: click it
            link.click(modifiers=["Control"], timeout=2000)
        time.sleep(0.5)
        pwned = page.evaluate("window.__pwned")
        browser.close()
    assert pwned is None and dialogs == [] and elsewhere == [], (pwned, dialogs, elsewhere)
    assert not [e for e in errors if "pwned" in e or "alert" in e], errors
    (sid,) = [row[0] for row in server.service.store.db.execute("SELECT id FROM sessions")]
    log, _ = server.service.store.load(sid)
    said = [e.text for e in log if getattr(e, "role", None) == "user"]
    assert said == [t.strip() for t in HOSTILE]                 # stored as typed (no control characters)


def test_the_ui_upload_route_is_bounded(make_server):
    server = make_server(ui=True, limits=Limits(uploads_per_minute=3))
    url = f"{server.url}/gradio_api/upload"
    files = {"files": ("a.png", b"x" * 100, "image/png")}
    r = httpx.post(url, files=files)                      # no page loaded, no upload
    assert r.status_code == 403 and "load the page" in r.json()["error"]
    with httpx.Client() as browser:
        page = browser.get(server.url + "/")
        assert page.status_code == 200 and "dialogpaint_ui" in browser.cookies
        r = browser.post(url, content=b"\0" * (21 * 2**20), headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413
        codes = [browser.post(url, files=files).status_code for _ in range(3)]
        assert codes == [200, 200, 429] and "a minute" in browser.post(url, files=files).json()["error"]
        browser.cookies.set("dialogpaint_ui", "forged.0123456789abcdef0123456789abcdef")
        assert browser.post(url, files=files).status_code == 403
