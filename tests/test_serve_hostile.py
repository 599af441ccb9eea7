"""`dialogpaint serve` under hostile load, through real servers on 127.0.0.1: memory from small files, bodies
cut off as they stream in, a free event loop, token scope, per-client rates, caps, expiry, control characters."""

import io
import os
import select
import socket
import threading
import time

import httpx
import pytest
from PIL import Image

from dialogpaint.serve.limits import Limits
from serve_process import free_port, start_server

SIDE = 7000  # 49 MP: under the 50 MP limit


@pytest.fixture(scope="module")
def big_png() -> bytes:
    """A solid-colour 7000x7000 PNG: about 150 KB on the wire, 147 MB once decoded."""
    buf = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), (30, 160, 90)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def child(tmp_path_factory):
    """`dialogpaint serve --no-ui` as its own process (its memory is what is measured)."""
    port = free_port()
    p = start_server(port, tmp_path_factory.mktemp("serve"), "--editor", "identity", "--sessions-per-minute", "0")
    yield p, f"http://127.0.0.1:{port}"
    p.kill()
    p.wait()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def upload(url, data, **kw):
    return httpx.post(f"{url}/api/sessions", files={"image": ("big.png", data, "image/png")}, timeout=120, **kw)


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_health_answers_fast_while_big_uploads_decode(child, big_png):
    _, url = child
    t0 = time.perf_counter()
    upload(url, big_png)                   # warm: imports, first allocations
    one_upload = time.perf_counter() - t0  # a decode's length on this machine, under whatever load it has now
    results, slowest = [], 0.0
    threads = [threading.Thread(target=lambda: results.append(upload(url, big_png))) for _ in range(3)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        t0 = time.perf_counter()
        assert httpx.get(f"{url}/api/health", timeout=10).status_code == 200
        slowest = max(slowest, time.perf_counter() - t0)
        time.sleep(0.05)
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [201] * 3
    print(f"slowest /api/health during 3 concurrent 49 MP uploads: {slowest:.3f} s (one upload alone: {one_upload:.3f} s)")
    # a health check queued behind a decode would wait about a whole upload; on a quiet 2-core machine it takes
    # 0.05 s, and a loaded one (CI) has seen 0.58 s, so the bound scales with the machine's own upload time
    assert slowest < max(0.5, one_upload / 2)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the server's RSS from /proc")
def test_49_megapixel_sessions_from_small_files_cost_little_memory(child, big_png):
    proc, url = child
    assert len(big_png) < 300_000
    s = upload(url, big_png).json()        # warm
    before = rss_mb(proc.pid)
    n = 4
    for _ in range(n):
        assert upload(url, big_png).status_code == 201
    grown = (rss_mb(proc.pid) - before) / n
    print(f"server RSS per 49 MP session: {grown:.1f} MB")
    assert grown < 50
    # kept at the working size (the longest side 2048), in memory and on disk
    img = Image.open(io.BytesIO(httpx.get(f"{url}{s['image_url']}", headers=auth(s["token"])).content))
    assert img.size == (2048, 2048)


def send_chunked(port: int, path: str, ctype: str, head: bytes, total: int = 100 * 2**20) -> tuple[int, bytes]:
    """POST `head` then zeros, chunked (no Content-Length), until `total` bytes or the server answers.
    Returns (bytes sent, the answer's status line and headers)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                 f"Content-Type: {ctype}\r\n\r\n".encode() + b"%x\r\n" % len(head) + head + b"\r\n")
    chunk = b"%x\r\n" % 65536 + b"\0" * 65536 + b"\r\n"
    sent, answer = len(head), b""
    while sent < total:
        if select.select([sock], [], [], 0)[0]:   # the server has answered: stop sending
            break
        try:
            sock.sendall(chunk)
        except OSError:                           # the server closed the connection on us
            break
        sent += 65536
    sock.settimeout(5)
    try:
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    except OSError:
        pass
    sock.close()
    return sent, answer


def test_a_chunked_oversized_body_is_refused_before_it_is_read_whole(make_server):
    server = make_server()
    part = (b'--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n'
            b"Content-Type: image/png\r\n\r\n")
    sent, answer = send_chunked(server.port, "/api/sessions", "multipart/form-data; boundary=xyz", part)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # (what was sent includes what the two sockets' buffers held when the answer came)
    assert sent < 40 * 2**20, f"{sent} bytes of 100 MB were taken before the answer"
    # a JSON route's limit is 1 MB: cut off long before the app would have the whole body
    sent, answer = send_chunked(server.port, "/api/sessions/x/messages", "application/json", b'{"text": "')
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 20 * 2**20, f"{sent} bytes of 100 MB were taken before the answer"
    assert httpx.get(f"{server.url}/api/health").json()["sessions"] == 0


def test_a_declared_oversized_body_and_a_big_json_body_get_413(make_server):
    url = make_server().url
    r = httpx.post(f"{url}/api/sessions", content=b"\0" * (21 * 2**20), headers={"content-type": "multipart/form-data"})
    assert r.status_code == 413 and "MB" in r.json()["error"]
    r = httpx.post(f"{url}/api/sessions/x/messages", content=b"{" + b" " * (2 * 2**20) + b"}",
                   headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_query_tokens_only_on_the_image_route_and_no_referrer(make_server):
    url = make_server().url
    s = httpx.post(f"{url}/api/sessions", data={"seed": "1"}).json()
    base, q = f"{url}/api/sessions/{s['id']}", {"token": s["token"]}
    img = httpx.get(f"{base}/images/0.png", params=q)
    assert img.status_code == 200 and img.headers["referrer-policy"] == "no-referrer"
    for method, path, body in [("GET", "", None), ("POST", "/messages", {"text": "make it red"}),
                               ("POST", "/forget", {"edit": "last"}), ("DELETE", "", None)]:
        r = httpx.request(method, base + path, params=q, json=body)
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers["referrer-policy"] == "no-referrer"
    assert httpx.get(base, headers=auth(s["token"])).status_code == 200   # still there


def test_sessions_per_client_per_minute_and_the_caps(make_server, tmp_path):
    url = make_server(limits=Limits(sessions_per_minute=3, max_sessions=100)).url
    codes = [httpx.post(f"{url}/api/sessions", data={"seed": "1"}).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    r = httpx.post(f"{url}/api/sessions")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "a minute" in r.json()["error"]

    url = make_server(limits=Limits(max_sessions=2)).url
    codes = [httpx.post(f"{url}/api/sessions").status_code for _ in range(3)]
    assert codes == [201, 201, 503]

    # disk: a 1 MB cap, passed by the first noisy upload; a new session and an edit are refused
    server = make_server(limits=Limits(disk_mb=1))
    buf = io.BytesIO()
    Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3)).save(buf, format="PNG")
    s = upload(server.url, buf.getvalue()).json()
    r = upload(server.url, buf.getvalue())
    assert r.status_code == 503 and "storage" in r.json()["error"]
    r = httpx.post(f"{server.url}/api/sessions/{s['id']}/messages", json={"text": "make it night"},
                   headers=auth(s["token"]))
    assert r.status_code == 503
    r = httpx.post(f"{server.url}/api/sessions/{s['id']}/messages", json={"text": "what did you change?"},
                   headers=auth(s["token"]))
    assert r.status_code == 200      # talking needs no disk


def test_idle_sessions_expire_and_orphans_go(make_server, tmp_path):
    server = make_server(limits=Limits(session_ttl=1.5, sweep_every=0.25, temp_ttl=6))
    url, store = server.url, server.service.store
    idle = httpx.post(f"{url}/api/sessions").json()
    busy = httpx.post(f"{url}/api/sessions").json()
    orphan = store.images / "orphan"                  # a folder no session names (a crash mid-create)
    orphan.mkdir()
    (orphan / "0000.png").write_bytes(b"x")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    server.service.temp_dirs.append(uploads)          # as the UI registers Gradio's upload folder
    (uploads / "old-upload.png").write_bytes(b"x")
    (uploads / "new-upload.png").write_bytes(b"x")
    old = time.time() - 10
    os.utime(uploads / "old-upload.png", (old, old))
    os.utime(orphan / "0000.png", (old, old))
    os.utime(orphan, (old, old))
    t0 = time.time()
    while time.time() - t0 < 3:
        r = httpx.post(f"{url}/api/sessions/{busy['id']}/messages", json={"text": "what did you change?"},
                       headers=auth(busy["token"]))
        assert r.status_code == 200
        time.sleep(0.3)
    assert httpx.get(f"{url}/api/sessions/{idle['id']}", headers=auth(idle["token"])).status_code == 404
    assert httpx.get(f"{url}/api/sessions/{busy['id']}", headers=auth(busy["token"])).status_code == 200
    assert not (store.images / idle["id"]).exists() and not orphan.exists()
    assert httpx.get(f"{url}/api/health").json()["sessions"] == 1
    assert sorted(p.name for p in uploads.iterdir()) == ["new-upload.png"]


def test_control_characters_never_reach_the_log(make_server):
    url = make_server().url
    r = httpx.post(f"{url}/api/sessions", data={"caption": "a red\x00 ball\x1b[31m\u202e on a table", "seed": "0"})
    s = r.json()
    assert s["caption"] == "a red ball[31m on a table"
    h, base = auth(s["token"]), f"{url}/api/sessions/{s['id']}"
    r = httpx.post(f"{base}/messages", json={"text": "make the\x00 ball\x07 blue\r\n\x7f"}, headers=h)
    assert r.status_code == 200 and r.json()["reply"]["instruction"] == "make the ball blue"
    said = [t["text"] for t in httpx.get(base, headers=h).json()["turns"] if t["role"] == "user"]
    assert said == ["make the ball blue"]
    r = httpx.post(f"{base}/messages", json={"text": "\x00\x01\x02"}, headers=h)
    assert r.status_code == 400 and "empty" in r.json()["error"]


def test_serve_reads_limits_from_its_options():
    from click.testing import CliRunner

    from dialogpaint.cli_serve import Duration, serve

    assert [Duration().convert(v, None, None) for v in ("90", "90s", "30m", "12h", "7d", "0")] == \
        [90, 90, 1800, 43200, 604800, 0]
    r = CliRunner().invoke(serve, ["--session-ttl", "soon"])
    assert r.exit_code == 2 and "not a duration" in r.output
    r = CliRunner().invoke(serve, ["--help"])
    assert all(o in r.output for o in ("--session-ttl", "--sessions-per-minute", "--max-sessions", "--disk-mb",
                                       "--max-side", "--cache-mb"))


def test_uploads_beyond_the_intake_queue_get_503(make_server, big_png):
    url = make_server(decodes=1, intake_queue=0).url
    results = []
    threads = [threading.Thread(target=lambda: results.append(upload(url, big_png))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes[0] == 201 and 503 in codes, codes
    busy = next(r for r in results if r.status_code == 503)
    assert "busy" in busy.json()["error"] and busy.headers["retry-after"]
    assert httpx.post(f"{url}/api/sessions").status_code == 201          # the example scene needs no decoder


def test_sessions_in_memory_are_bounded_by_image_bytes(make_server):
    server = make_server(cache_mb=30)              # two 2048x2048 sessions fit (12 MB each), not three
    buf = io.BytesIO()
    Image.new("RGB", (3000, 3000), (200, 40, 40)).save(buf, format="PNG")
    made = [upload(server.url, buf.getvalue()).json() for _ in range(3)]
    cache = server.service._cache
    assert made[0]["id"] not in cache and made[2]["id"] in cache and cache.bytes <= 30 * 2**20
    r = httpx.get(f"{server.url}/api/sessions/{made[0]['id']}", headers=auth(made[0]["token"]))
    assert r.status_code == 200 and made[0]["id"] in cache          # reloaded from the store
