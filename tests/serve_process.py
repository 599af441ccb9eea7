"""`dialogpaint serve` as a child process on 127.0.0.1, for the restart tests and the load benchmark.

Is: a free port, and a server started with `python -m dialogpaint.cli serve ...` that answers
/api/health before this returns. Is not: part of the package (a test and benchmark helper).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, data_dir: str, *args: str, timeout: float = 120) -> subprocess.Popen:
    """Start `dialogpaint serve --no-ui --port PORT --data-dir DATA_DIR ARGS...`; wait until it is healthy."""
    import httpx

    cmd = [sys.executable, "-m", "dialogpaint.cli", "serve", "--no-ui", "--port", str(port), "--data-dir",
           str(data_dir), *args]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if p.poll() is not None:
            raise RuntimeError("server exited: " + p.stderr.read().decode()[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return p
        except httpx.HTTPError:
            time.sleep(0.2)
    p.kill()
    raise RuntimeError(f"server did not answer on port {port} within {timeout:.0f} s")
