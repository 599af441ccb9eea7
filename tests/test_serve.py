"""The HTTP API against a real uvicorn server on 127.0.0.1: sessions, auth, bad input, queue, order, restart."""

import io
import signal
import threading
import time
import zlib

import httpx
import pytest
from PIL import Image

from dialogpaint.editing.base import IdentityEditor
from serve_process import free_port, start_server


class SlowEditor(IdentityEditor):
    """The identity edit, taking `delay` seconds (to fill the queue)."""

    name = "slow"

    def __init__(self, delay=0.5):
        self.delay = delay

    def edit(self, image, instruction, **kw):
        time.sleep(self.delay)
        out = super().edit(image, instruction, **kw)
        out.putpixel((0, 0), (len(instruction) % 256, 0, 0))  # a visible change
        return out


def png_bytes(size=(48, 32), color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def new_session(url, **files):
    r = httpx.post(f"{url}/api/sessions", files={"image": ("in.png", png_bytes(), "image/png")} if not files else files,
                   data={"caption": "a red ball on a table"})
    assert r.status_code == 201, r.text
    return r.json()


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_conversation_over_http(make_server):
    url = make_server(editor=SlowEditor(0.0)).url
    s = new_session(url)
    assert set(s) >= {"id", "token", "caption", "version", "image_url"} and s["version"] == 0
    h, base = auth(s["token"]), f"{url}/api/sessions/{s['id']}"
    r = httpx.post(f"{base}/messages", json={"text": "change the colour of the ball"}, headers=h).json()
    assert r["reply"]["action"] == "ask" and "ball" in r["reply"]["message"] and r["version"] == 0
    r = httpx.post(f"{base}/messages", json={"text": "blue"}, headers=h).json()
    assert r["reply"] == {"action": "edit", "message": r["reply"]["message"], "instruction": "make the ball blue"}
    assert r["version"] == 1 and r["edits"][0]["instruction"] == "make the ball blue"
    r = httpx.post(f"{base}/messages", json={"text": "add a rainbow", "steps": 5}, headers=h).json()
    assert r["version"] == 2
    r = httpx.post(f"{base}/forget", json={"edit": 1}, headers=h).json()
    assert [e["instruction"] for e in r["edits"]] == ["add a rainbow"] and r["version"] == 3
    full = httpx.get(base, headers=h).json()
    assert [t["role"] for t in full["turns"]][:4] == ["user", "assistant", "user", "assistant"]
    assert len(full["versions"]) == 4 and full["caption"] == "a red ball on a table"
    img = httpx.get(f"{url}{r['image_url']}", headers=h)
    assert img.status_code == 200 and img.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(img.content)).size == (48, 32)
    assert httpx.get(f"{url}{r['image_url']}?token={s['token']}").status_code == 200   # for <img> tags
    assert httpx.delete(base, headers=h).status_code == 204
    assert httpx.get(base, headers=h).status_code == 404
    health = httpx.get(f"{url}/api/health").json()
    assert health["status"] == "ok" and health["sessions"] == 0
    assert "/api/sessions/{sid}/messages" in httpx.get(f"{url}/api/openapi.json").json()["paths"]


def test_no_image_starts_from_a_generated_example(make_server):
    url = make_server().url
    r = httpx.post(f"{url}/api/sessions", data={"seed": "3"})
    assert r.status_code == 201
    s = r.json()
    assert len(s["caption"].split()) >= 3          # the example scene says what it shows
    img = Image.open(io.BytesIO(httpx.get(f"{url}{s['image_url']}", headers=auth(s["token"])).content))
    assert img.size == (256, 256) and len(set(img.getdata())) > 3


def test_tokens_guard_every_session_route(make_server):
    url = make_server().url
    a, b = new_session(url), new_session(url)
    base = f"{url}/api/sessions/{a['id']}"
    for method, path, body in [("GET", "", None), ("POST", "/messages", {"text": "make it red"}),
                               ("GET", "/images/0.png", None), ("POST", "/forget", {"edit": "last"}), ("DELETE", "", None)]:
        r = httpx.request(method, base + path, json=body)
        assert r.status_code == 401 and "token" in r.json()["error"]
        wrong = httpx.request(method, base + path, json=body, headers=auth(b["token"]))
        unknown = httpx.request(method, f"{url}/api/sessions/nope{path}", json=body, headers=auth(a["token"]))
        assert wrong.status_code == unknown.status_code == 404
        assert wrong.json() == unknown.json()          # a wrong token looks like no session at all
    assert len(a["id"]) >= 16 and len(a["token"]) >= 32 and a["token"] != b["token"]


def _bomb_png() -> bytes:
    """A valid PNG header claiming 10,000 x 10,000 pixels (100 MP), with almost no data."""
    import struct

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 10000, 10000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")


def test_bad_input_gets_a_clear_4xx_and_changes_nothing(make_server):
    url = make_server().url
    s = new_session(url)
    h, base = auth(s["token"]), f"{url}/api/sessions/{s['id']}"
    httpx.post(f"{base}/messages", json={"text": "make the ball blue"}, headers=h)
    before = httpx.get(base, headers=h).json()
    sessions_before = httpx.get(f"{url}/api/health").json()["sessions"]

    def upload(data):
        return httpx.post(f"{url}/api/sessions", files={"image": ("x.png", data, "image/png")})

    cases = {
        "not an image": upload(b"hello, I am text"),
        "truncated png": upload(png_bytes((64, 64))[:60]),
        "decompression bomb": upload(_bomb_png()),
        "over 20 MB": upload(b"\0" * (21 * 1024 * 1024)),
        "over 2000 chars": httpx.post(f"{base}/messages", json={"text": "a" * 2001}, headers=h),
        "empty message": httpx.post(f"{base}/messages", json={"text": "   "}, headers=h),
        "malformed json": httpx.post(f"{base}/messages", content=b'{"text": ', headers={**h, "content-type": "application/json"}),
        "no text field": httpx.post(f"{base}/messages", json={"message": "hi"}, headers=h),
        "steps out of range": httpx.post(f"{base}/messages", json={"text": "make it red", "steps": 9999}, headers=h),
        "unknown session": httpx.get(f"{url}/api/sessions/doesnotexist", headers=h),
        "missing version": httpx.get(f"{base}/images/7.png", headers=h),
        "bad forget": httpx.post(f"{base}/forget", json={"edit": "yesterday"}, headers=h),
    }
    expected = {"over 20 MB": 413, "unknown session": 404, "missing version": 404, "over 2000 chars": 422,
                "malformed json": 422, "no text field": 422, "bad forget": 422, "steps out of range": 422}
    for name, r in cases.items():
        assert r.status_code == expected.get(name, 400), (name, r.status_code, r.text)
        assert r.json()["error"], name
    assert "50" in cases["decompression bomb"].json()["error"] or "large" in cases["decompression bomb"].json()["error"]
    assert httpx.get(base, headers=h).json() == before
    assert httpx.get(f"{url}/api/health").json()["sessions"] == sessions_before


def test_a_full_queue_answers_503_and_questions_do_not_wait(make_server):
    url = make_server(editor=SlowEditor(1.0), workers=1, queue_size=1).url
    sessions = [new_session(url) for _ in range(4)]
    results = [None] * 4

    def edit(i):
        s = sessions[i]
        results[i] = httpx.post(f"{url}/api/sessions/{s['id']}/messages", json={"text": "make the ball blue"},
                                headers=auth(s["token"]), timeout=30)

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.1)
    # while the editor is busy, a question for a fourth session comes back at once
    t0 = time.time()
    q = httpx.post(f"{url}/api/sessions/{sessions[3]['id']}/messages", json={"text": "change the colour"},
                   headers=auth(sessions[3]["token"]))
    assert q.status_code == 200 and q.json()["reply"]["action"] == "ask" and time.time() - t0 < 0.5
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results[:3])
    assert codes == [200, 200, 503]
    busy = next(r for r in results[:3] if r.status_code == 503)
    assert busy.headers["retry-after"] and "busy" in busy.json()["error"]


def test_turns_of_one_session_apply_in_arrival_order(make_server):
    url = make_server(editor=SlowEditor(0.2), queue_size=16).url
    s = new_session(url)
    colours = ["red", "green", "blue", "pink", "gold"]
    threads = []
    for c in colours:
        t = threading.Thread(target=lambda c=c: httpx.post(
            f"{url}/api/sessions/{s['id']}/messages", json={"text": f"make the ball {c}"}, headers=auth(s["token"]),
            timeout=30))
        t.start()
        threads.append(t)
        time.sleep(0.05)
    for t in threads:
        t.join()
    full = httpx.get(f"{url}/api/sessions/{s['id']}", headers=auth(s["token"])).json()
    assert [t["text"] for t in full["turns"] if t["role"] == "user"] == [f"make the ball {c}" for c in colours]
    assert [e["instruction"] for e in full["edits"]] == [f"make the ball {c}" for c in colours]


def test_the_tiny_model_edits_over_http(make_server):
    from dialogpaint.editing import load_editor

    url = make_server(editor=load_editor("tiny")).url
    s = httpx.post(f"{url}/api/sessions", data={"seed": "4"}).json()   # a day scene
    r = httpx.post(f"{url}/api/sessions/{s['id']}/messages", json={"text": "make it night", "steps": 8},
                   headers=auth(s["token"]), timeout=60).json()
    assert r["reply"]["action"] == "edit" and r["version"] == 1
    h = auth(s["token"])
    a = Image.open(io.BytesIO(httpx.get(f"{url}/api/sessions/{s['id']}/images/0.png", headers=h).content))
    b = Image.open(io.BytesIO(httpx.get(f"{url}/api/sessions/{s['id']}/images/1.png", headers=h).content))
    assert a.size == b.size and sum(a.convert("L").getdata()) > sum(b.convert("L").getdata())   # night is darker


def _start(data_dir, port):
    return start_server(port, data_dir, "--editor", "identity")


@pytest.mark.slow
def test_kill_minus_nine_loses_nothing_acknowledged(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start(tmp_path / "data", port)
    sessions = [new_session(url) for _ in range(3)]
    acked: dict[str, list[str]] = {s["id"]: [] for s in sessions}
    stop = threading.Event()

    def client(s, k):
        i = 0
        while not stop.is_set():
            text = f"make the ball {['red', 'blue', 'green'][i % 3]} number {k}-{i}" if i % 4 else "change the colour"
            try:
                r = httpx.post(f"{url}/api/sessions/{s['id']}/messages", json={"text": text},
                               headers=auth(s["token"]), timeout=5)
            except httpx.HTTPError:
                return  # the server died under this request: not acknowledged
            if r.status_code == 200:
                acked[s["id"]].append(text)
            i += 1

    threads = [threading.Thread(target=client, args=(s, k)) for k, s in enumerate(sessions)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    server.send_signal(signal.SIGKILL)     # mid-stream
    server.wait()
    stop.set()
    for t in threads:
        t.join()
    assert all(len(v) >= 3 for v in acked.values()), acked
    print("acknowledged turns per session:", [len(v) for v in acked.values()])
    server = _start(tmp_path / "data", port)
    try:
        for s in sessions:
            h = auth(s["token"])
            full = httpx.get(f"{url}/api/sessions/{s['id']}", headers=h).json()
            said = [t["text"] for t in full["turns"] if t["role"] == "user"]
            # every acknowledged turn is there, in order; at most the one in flight beyond it
            assert said[:len(acked[s["id"]])] == acked[s["id"]] and len(said) - len(acked[s["id"]]) <= 1
            assert full["turns"][-1]["role"] == "assistant"        # no half turn
            for v in full["versions"]:
                img = httpx.get(f"{url}{v['image_url']}", headers=h)
                assert img.status_code == 200
                Image.open(io.BytesIO(img.content)).load()
            # and the session goes on where it was
            r = httpx.post(f"{url}/api/sessions/{s['id']}/messages", json={"text": "add a rainbow"}, headers=h)
            assert r.status_code == 200 and r.json()["edits"][-1]["instruction"] == "add a rainbow"
    finally:
        server.kill()
        server.wait()


SETTINGS = {"steps": 7, "text_guidance": 3.5, "image_guidance": 2.25, "seed": 4242}


def test_settings_are_log_events_kept_by_an_evicted_then_reloaded_session(make_server):
    from dialogpaint.session import EditEvent, edit_seed

    server = make_server(cache_sessions=1)
    url = server.url
    a = new_session(url)
    h, base = auth(a["token"]), f"{url}/api/sessions/{a['id']}"
    assert httpx.get(base, headers=h).json()["settings"] == {"steps": 20, "text_guidance": 7.5,
                                                             "image_guidance": 1.5, "seed": 0}
    r = httpx.post(f"{base}/messages", json={"text": "hello", **SETTINGS}, headers=h)
    assert r.status_code == 200 and httpx.get(base, headers=h).json()["settings"] == SETTINGS
    new_session(url)                                   # a second session evicts the first from memory
    assert a["id"] not in server.service._cache
    assert httpx.get(base, headers=h).json()["settings"] == SETTINGS     # reloaded from the store
    r = httpx.post(f"{base}/messages", json={"text": "make the ball blue"}, headers=h)   # no settings given
    assert r.json()["version"] == 1
    log, _ = server.service.store.load(a["id"])
    (edit,) = [e for e in log if isinstance(e, EditEvent)]
    assert (edit.params.steps, edit.params.text_guidance, edit.params.image_guidance) == (7, 3.5, 2.25)
    assert edit.seed == edit_seed(4242, 1)              # the changed session seed, not the first one


def test_hostile_numbers_get_4xx_and_store_nothing(make_server):
    server = make_server()
    url = server.url
    s = new_session(url)
    h, base = auth(s["token"]), f"{url}/api/sessions/{s['id']}"
    httpx.post(f"{base}/messages", json={"text": "make the ball blue"}, headers=h)
    images = server.service.data_dir / "images"

    def files():
        return sorted(str(p.relative_to(images)) for p in images.rglob("*"))

    before, files_before = httpx.get(base, headers=h).json(), files()
    huge = 10 ** 40

    def create(**data):
        return httpx.post(f"{url}/api/sessions", files={"image": ("x.png", png_bytes(), "image/png")}, data=data)

    def say(**fields):
        return httpx.post(f"{base}/messages", json={"text": "make the ball red", **fields}, headers=h)

    def raw(body: bytes):
        return httpx.post(f"{base}/messages", content=body, headers={**h, "content-type": "application/json"})

    cases = {
        "create: huge seed": (create(seed=str(huge)), 400),
        "create: negative seed": (create(seed="-1"), 400),
        "create: fractional seed": (create(seed="1.5"), 400),
        "create, example: huge seed": (httpx.post(f"{url}/api/sessions", data={"seed": str(huge)}), 400),
        "create: 100,000-character caption": (create(caption="a" * 100_000), 400),
        "message: huge seed": (say(seed=huge), 422),
        "message: negative seed": (say(seed=-5), 422),
        "message: 0 steps": (say(steps=0), 422),
        "message: huge steps": (say(steps=huge), 422),
        "message: fractional steps": (say(steps=2.5), 422),
        "message: s_T over 30": (say(text_guidance=31), 422),
        "message: negative s_I": (say(image_guidance=-0.1), 422),
        "message: s_T infinite": (raw(b'{"text": "make it red", "text_guidance": 1e400}'), 422),
        "message: s_I NaN": (raw(b'{"text": "make it red", "image_guidance": NaN}'), 422),
        "forget: huge edit number": (httpx.post(f"{base}/forget", json={"edit": huge}, headers=h), 422),
        "forget: edit 0": (httpx.post(f"{base}/forget", json={"edit": 0}, headers=h), 422),
        "forget: no such edit": (httpx.post(f"{base}/forget", json={"edit": 5}, headers=h), 400),
        "image: huge version": (httpx.get(f"{base}/images/{huge}.png", headers=h), 404),
        "image: negative version": (httpx.get(f"{base}/images/-1.png", headers=h), 404),
    }
    for name, (r, status) in cases.items():
        assert r.status_code == status, (name, r.status_code, r.text)
        assert r.json()["error"], name
    assert "seed" in cases["create: huge seed"][0].json()["error"]
    assert "caption" in cases["create: 100,000-character caption"][0].json()["error"]
    assert httpx.get(base, headers=h).json() == before           # no turn, no setting, no version
    assert files() == files_before                              # and no file left behind
    assert httpx.get(f"{url}/api/health").json()["sessions"] == 1
    # the bounds themselves are accepted
    ok = httpx.post(f"{url}/api/sessions", data={"seed": str(2**32 - 1), "caption": "c" * 500})
    assert ok.status_code == 201, ok.text


def test_no_route_serves_session_images_without_the_token(make_server):
    """Gradio's file route refuses the data dir; the API's image route needs the token."""
    server = make_server(ui=True)
    url = server.url
    s = new_session(url)
    httpx.post(f"{url}/api/sessions/{s['id']}/messages", json={"text": "make the ball blue"},
               headers=auth(s["token"]))
    stored = sorted((server.service.data_dir / "images" / s["id"]).glob("*.png"))
    assert len(stored) == 2
    for path in stored:
        for route in (f"/gradio_api/file={path}", f"/gradio_api/file={path.resolve()}", f"/file={path}"):
            r = httpx.get(url + route)
            assert r.status_code in (403, 404), (route, r.status_code)
            assert not r.content.startswith(b"\x89PNG"), route
    for v in (0, 1):
        assert httpx.get(f"{url}/api/sessions/{s['id']}/images/{v}.png").status_code == 401
        assert httpx.get(f"{url}/api/sessions/{s['id']}/images/{v}.png", headers=auth(s["token"])).status_code == 200


@pytest.mark.slow
def test_settings_survive_kill_minus_nine(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start(tmp_path / "data", port)
    try:
        s = new_session(url)
        h, base = auth(s["token"]), f"{url}/api/sessions/{s['id']}"
        assert httpx.post(f"{base}/messages", json={"text": "hi", **SETTINGS}, headers=h).status_code == 200
        server.send_signal(signal.SIGKILL)
        server.wait()
        server = _start(tmp_path / "data", port)
        assert httpx.get(base, headers=h).json()["settings"] == SETTINGS
        # a later edit that says nothing about settings keeps them
        assert httpx.post(f"{base}/messages", json={"text": "make the ball red"}, headers=h).json()["version"] == 1
        assert httpx.get(base, headers=h).json()["settings"] == SETTINGS
    finally:
        server.kill()
        server.wait()


def test_ui_numbers_are_range_checked_and_store_nothing(make_server):
    """The UI's handlers, called as the page calls them (Gradio's queue, through gradio_client)."""
    from gradio_client import Client

    server = make_server(ui=True)
    ui = Client(server.url + "/", verbose=False)

    def status(out):
        return out[-1] if isinstance(out[-1], str) and not out[-1].startswith("{") else out[-2]

    for seed in (10 ** 40, -1):                 # (the Seed box rounds fractions: precision=0)
        assert "Error" in status(ui.predict(seed, api_name="/start_example")), seed
    assert server.service.count() == 0
    out = ui.predict(5, api_name="/start_example")
    sess = out[0]
    h, base = auth(sess["token"]), f"{server.url}/api/sessions/{sess['id']}"
    before = httpx.get(base, headers=h).json()
    for st, si, n, seed in [(7.5, 1.5, 10 ** 9, 0), (7.5, 1.5, 2.5, 0), (31, 1.5, 20, 0), (7.5, -1, 20, 0),
                            (7.5, 1.5, 20, 10 ** 40), (7.5, 1.5, 20, -3)]:
        try:
            out = ui.predict("make it night", sess, st, si, n, seed, api_name="/say")
            assert "Error" in status(out[:-1]), (st, si, n, seed)
        except Exception as e:  # Gradio itself refuses a value outside a slider's range
            assert type(e).__name__ == "AppError" and ("maximum" in str(e) or "minimum" in str(e)), e
    assert httpx.get(base, headers=h).json() == before          # no turn, no setting stored
    out = ui.predict("make it night", sess, 3.0, 2.0, 9, 11, api_name="/say")
    assert httpx.get(base, headers=h).json()["settings"] == {"steps": 9, "text_guidance": 3.0,
                                                             "image_guidance": 2.0, "seed": 11}
    assert list(out[6:10]) == [3.0, 2.0, 9, 11]                 # the sliders show the session's settings
