"""Load on `dialogpaint serve`: N concurrent clients, each a multi-turn conversation, on 127.0.0.1 only.

Starts the server as a subprocess (API only, its own temp data dir), runs the clients, then reads every
session back and checks it: printed are throughput, p50/p95 latency per kind of turn, status codes,
and the lost turns (acknowledged but missing) and reordered turns (stored out of the order sent).
Targets: zero lost, zero reordered, no 5xx but 503 (overload, which clients retry after Retry-After).
Each client connects from its own loopback address (127.0.1.k), as users would, so the server's
per-client limits apply to each on its own.

With --hostile, attackers (from 127.0.2.x) run alongside the users: 49 MP solid-colour PNG uploads
(150 KB each), 100 MB chunked bodies without a Content-Length, and a flood of new sessions. Printed
beside the users' figures: the server's peak memory (VmHWM) and what each attack got.

    python benchmarks/serve_load.py --clients 8 --turns 6 --editor tiny
    python benchmarks/serve_load.py --clients 16 --turns 4 --editor identity --queue-size 2
    python benchmarks/serve_load.py --clients 8 --turns 9 --editor identity --hostile
"""

from __future__ import annotations

import argparse
import io
import json
import os
import select
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from serve_process import free_port, start_server  # noqa: E402

SCRIPT = ["change the colour of the {o}", "blue", "add a rainbow", "what have you changed so far?", "make it night",
          "forget the rainbow", "make the {o} red", "undo", "thanks!"]
OBJECTS = ["ball", "car", "tree", "house", "flower", "cloud"]


def user_address(k: int) -> str:
    return f"127.0.{1 + k // 250}.{1 + k % 250}"


def client(url: str, k: int, turns: int, steps: int, out: dict, deadline: float) -> None:
    """One user: a session, then `turns` messages in order, retrying 503s after Retry-After."""
    rec = out[k] = {"sent": [], "acked": [], "lat": [], "codes": [], "retries": 0}
    transport = httpx.HTTPTransport(local_address=user_address(k))
    with httpx.Client(base_url=url, timeout=120, transport=transport) as c:
        r = c.post("/api/sessions", data={"seed": str(k)})
        rec["codes"].append(r.status_code)
        if r.status_code != 201:
            return
        s = r.json()
        rec["id"], h = s["id"], {"Authorization": f"Bearer {s['token']}"}
        for i in range(turns):
            text = SCRIPT[i % len(SCRIPT)].format(o=OBJECTS[k % len(OBJECTS)])
            rec["sent"].append(text)
            while time.time() < deadline:
                t0 = time.perf_counter()
                try:
                    r = c.post(f"/api/sessions/{s['id']}/messages", json={"text": text, "steps": steps}, headers=h)
                except httpx.HTTPError:
                    rec["codes"].append("conn")
                    return
                rec["codes"].append(r.status_code)
                if r.status_code == 503:
                    rec["retries"] += 1
                    time.sleep(float(r.headers.get("retry-after", 1)))
                    continue
                if r.status_code == 200:
                    rec["acked"].append(text)
                    rec["lat"].append((r.json()["reply"]["action"], time.perf_counter() - t0))
                break
            else:
                return
        rec["token"] = s["token"]


def check(url: str, recs: dict) -> tuple[int, int]:
    """(lost, reordered) turns: acknowledged but not stored; stored out of the order they were sent."""
    lost = reordered = 0
    with httpx.Client(base_url=url, timeout=30) as c:
        for rec in recs.values():
            if "token" not in rec:
                continue
            full = c.get(f"/api/sessions/{rec['id']}", headers={"Authorization": f"Bearer {rec['token']}"}).json()
            stored = [t["text"] for t in full["turns"] if t["role"] == "user"]
            lost += sum(max(0, rec["acked"].count(a) - stored.count(a)) for a in set(rec["acked"]))
            kept = [t for t in stored if t in set(rec["acked"])]
            reordered += sum(1 for x, y in zip(kept, rec["acked"]) if x != y)
    return lost, reordered


def big_png(side: int = 7000) -> bytes:
    buf = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (side, side), (30, 160, 90)).save(buf, format="PNG")
    return buf.getvalue()


def chunked_body(port: int, source: str, total: int = 100 * 2**20) -> tuple[str, int]:
    """POST an image part then zeros to /api/sessions, chunked, until the server answers or `total` bytes
    are sent. Returns (status, bytes sent)."""
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    head = (b'--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n'
            b"Content-Type: image/png\r\n\r\n")
    sock.sendall(b"POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                 b"Content-Type: multipart/form-data; boundary=xyz\r\n\r\n" + b"%x\r\n" % len(head) + head + b"\r\n")
    chunk, sent = b"%x\r\n" % 65536 + b"\0" * 65536 + b"\r\n", 0
    try:
        while sent < total and not select.select([sock], [], [], 0)[0]:
            sock.sendall(chunk)
            sent += 65536
        sock.settimeout(10)
        status = sock.recv(64).split(b" ")[1].decode()
    except (OSError, IndexError):
        status = "conn"
    sock.close()
    return status, sent


def attackers(url: str, port: int, stop: threading.Event, out: dict) -> list[threading.Thread]:
    """Threads that attack until `stop`: big-pixel uploads, chunked bodies, a session flood."""
    png = big_png()

    def count(kind, code):
        out.setdefault(kind, {}).setdefault(str(code), 0)
        out[kind][str(code)] += 1

    def uploads(addr):
        with httpx.Client(base_url=url, timeout=120, transport=httpx.HTTPTransport(local_address=addr)) as c:
            while not stop.is_set():
                r = c.post("/api/sessions", files={"image": ("big.png", png, "image/png")})
                count("49 MP uploads", r.status_code)

    def chunked(addr):
        while not stop.is_set():
            status, sent = chunked_body(port, addr)
            count("100 MB chunked bodies", status)
            out.setdefault("chunked MB taken before the answer", []).append(round(sent / 2**20, 1))

    def flood(addr):
        with httpx.Client(base_url=url, timeout=30, transport=httpx.HTTPTransport(local_address=addr)) as c:
            while not stop.is_set():
                count("session flood", c.post("/api/sessions").status_code)

    # big uploads from 4 addresses (each under its own per-client limit), the rest from one each
    jobs = [(uploads, f"127.0.2.{i}") for i in range(1, 5)] + [(chunked, "127.0.2.10"), (flood, "127.0.2.20")]
    threads = [threading.Thread(target=f, args=(a,), daemon=True) for f, a in jobs]
    for t in threads:
        t.start()
    return threads


def summary(attacks: dict) -> dict:
    """Status codes per attack; the chunked bodies' MB taken before the answer as min/max."""
    out = {k: v for k, v in attacks.items() if isinstance(v, dict)}
    taken = attacks.get("chunked MB taken before the answer") or []
    if taken:
        out["chunked MB taken before the answer"] = {"n": len(taken), "min": min(taken), "max": max(taken)}
    return out


def peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            return round(next(int(x.split()[1]) for x in f if x.startswith("VmHWM")) / 1024, 1)
    except (OSError, StopIteration):
        return None


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=8, help="concurrent users (at most 64)")
    ap.add_argument("--turns", type=int, default=6, help="messages per user (at most 50)")
    ap.add_argument("--editor", default="tiny")
    ap.add_argument("--steps", type=int, default=10, help="denoising steps per edit")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--queue-size", type=int, default=4)
    ap.add_argument("--time-limit", type=float, default=300, help="seconds; clients stop after it")
    ap.add_argument("--hostile", action="store_true", help="attackers run alongside the users (see above)")
    ap.add_argument("--out", default=None, help="JSON file (default benchmarks/results/serve_load[_hostile].json)")
    a = ap.parse_args()
    clients, turns = min(a.clients, 64), min(a.turns, 50)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        server = start_server(port, data, "--editor", a.editor, "--workers", str(a.workers),
                              "--queue-size", str(a.queue_size))
        try:
            recs: dict = {}
            attacks: dict = {}
            stop = threading.Event()
            bad = attackers(url, port, stop, attacks) if a.hostile else []
            if bad:
                time.sleep(3)  # the attack is on before the users come
            t0 = time.time()
            threads = [threading.Thread(target=client, args=(url, k, turns, a.steps, recs, t0 + a.time_limit))
                       for k in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.time() - t0
            stop.set()
            for t in bad:
                t.join(30)
            peak = peak_rss_mb(server.pid)
            lost, reordered = check(url, recs)
            crashed = server.poll() is not None
        finally:
            server.terminate()
            server.wait(10)
    codes: dict = {}
    for r in recs.values():
        for c in r["codes"]:
            codes[str(c)] = codes.get(str(c), 0) + 1
    lat = {}
    for r in recs.values():
        for action, s in r["lat"]:
            lat.setdefault("edit" if action in ("edit", "forget") else "dialogue only", []).append(s)
    acked = sum(len(r["acked"]) for r in recs.values())
    sent = sum(len(r["sent"]) for r in recs.values())
    bad5xx = sum(v for k, v in codes.items() if k.startswith("5") and k != "503") + codes.get("conn", 0)
    result = {"clients": clients, "turns_per_client": turns, "editor": a.editor, "steps": a.steps,
              "workers": a.workers, "queue_size": a.queue_size, "wall_s": round(wall, 2),
              "turns_acked": acked, "turns_sent": sent, "throughput_turns_per_s": round(acked / wall, 3),
              "latency_s": {k: {"n": len(v), "p50": round(pct(v, 0.5), 3), "p95": round(pct(v, 0.95), 3)}
                            for k, v in lat.items()},
              "status_codes": codes, "retries_after_503": sum(r["retries"] for r in recs.values()),
              "lost": lost, "reordered": reordered, "5xx_other_than_503": bad5xx, "server_crashed": crashed,
              "server_peak_rss_mb": peak, "hostile": summary(attacks) if a.hostile else None,
              "machine": os.environ.get("DIALOGPAINT_MACHINE", f"{os.cpu_count()} CPU cores")}
    print(json.dumps(result, indent=2))
    ok = lost == 0 and reordered == 0 and bad5xx == 0 and not crashed and acked == sent
    print(f"\n{clients} clients x {turns} turns ({a.editor}, {a.steps} steps): {acked}/{sent} turns in {wall:.1f} s "
          f"= {acked / wall:.2f} turns/s; " + "; ".join(f"{k} p50 {v['p50']} s p95 {v['p95']} s"
                                                   for k, v in result["latency_s"].items())
          + f"; 503s retried {result['retries_after_503']}; lost {lost}, reordered {reordered}, other 5xx {bad5xx}"
          + f"; server peak RSS {peak} MB" + (" under attack" if a.hostile else "")
          + (" -> targets met" if ok else " -> TARGETS MISSED"))
    out = Path(a.out or f"benchmarks/results/serve_load{'_hostile' if a.hostile else ''}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
