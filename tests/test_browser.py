"""The web UI in headless Chromium (Debian's package, driven by Playwright; no browser download)."""

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make test installs it)")]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _wait_text(page, selector, text, timeout=90, value=False):
    """Wait until `text` is in the element's text (or, with value=True, in its input's value)."""
    read = (lambda: page.input_value(selector)) if value else (lambda: page.inner_text(selector))
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in read():
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared in {selector}: {read()!r}")


def test_upload_talk_forget_in_a_browser(tmp_path, make_server):
    from playwright.sync_api import sync_playwright

    from dialogpaint.editing import load_editor
    from dialogpaint.session import EditEvent
    from dialogpaint.world.render import render
    from dialogpaint.world.scene import random_scene
    import random

    scene = random_scene(random.Random("browser"))
    render(scene, 128).save(tmp_path / "mine.png")
    server = make_server(editor=load_editor("tiny"), ui=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        hosts, urls = set(), []
        page.on("request", lambda r: hosts.add(r.url.split("/")[2]) if "://" in r.url and not r.url.startswith("data:") else None)
        page.on("request", lambda r: urls.append(r.url))
        page.goto(server.url + "/", wait_until="load")
        page.wait_for_selector("#upload input[type=file]", state="attached", timeout=60000)
        # 1. upload an image
        page.set_input_files("#upload input[type=file]", str(tmp_path / "mine.png"))
        _wait_text(page, "#status", "New session")
        # 2. a vague request gets a question, the answer makes the edit
        page.fill("#msg textarea", "change the colour of the sky")
        page.click("#send")
        _wait_text(page, "#chat", "Which colour would you like the sky to be?")
        page.fill("#msg textarea", "pink")
        page.click("#send")
        _wait_text(page, "#chat", "make the sky pink")
        # 3. a second round, an explicit edit
        page.fill("#msg textarea", "make it night")
        page.click("#send")
        _wait_text(page, "#live input", "2. make it night", value=True)
        # 4. forget the first edit from the list of edits in effect
        page.click("#live input")
        page.get_by_role("option", name="1. make the sky pink").click()
        page.click("#forget")
        _wait_text(page, "#status", "Forgot 'make the sky pink'")
        time.sleep(1)
        shot = tmp_path / "ui.png"
        page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("DIALOGPAINT_SCREENSHOT"):
            shutil.copy(shot, os.environ["DIALOGPAINT_SCREENSHOT"])
        browser.close()
    assert shot.stat().st_size > 20_000
    assert hosts == {f"127.0.0.1:{server.port}"}, hosts       # nothing fetched from outside
    from urllib.parse import unquote

    data_dir = str(Path(server.data_dir).resolve())
    assert not [u for u in urls if data_dir in unquote(u)]    # the page never names a file of the data dir
    # what the browser did is in the store, like any API turn
    (sid,) = [row[0] for row in server.service.store.db.execute("SELECT id FROM sessions")]
    log, versions = server.service.store.load(sid)
    assert [e.instruction for e in log if isinstance(e, EditEvent)] == ["make the sky pink", "make it night"]
    assert len(versions) == 4     # original, pink, pink+night, night alone
