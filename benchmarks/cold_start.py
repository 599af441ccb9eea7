"""Cold start: the whole `dialogpaint edit` process, wall clock, repeated; median and range.

    python benchmarks/cold_start.py --runs 5                        # a world scene, --editor tiny
    python benchmarks/cold_start.py --image photo.jpg --editor auto # a photo through the router
    python benchmarks/cold_start.py --src /tmp/old/src              # another source tree (e.g. `git archive`)

Each run is a new interpreter (`python -m dialogpaint.cli edit IN OUT INSTRUCTION --editor E`). On Linux each
run also records how busy the CPUs were while it ran (other processes included) and the load average, since
on a shared machine those decide the seconds more than the code does.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _cpu_times():
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        return sum(v), v[3] + v[4]  # total, idle + iowait
    except OSError:
        return None


def one_run(cmd, env) -> dict:
    before = _cpu_times()
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = _cpu_times()
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    row = {"wall_s": round(wall, 3), "load1": round(os.getloadavg()[0], 2), "said": out.stdout.strip()[-80:]}
    if before and after and after[0] > before[0]:
        row["cpu_busy_pct"] = round(100 * (1 - (after[1] - before[1]) / (after[0] - before[0])), 1)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--image", default=None, help="input image (default: a world scene rendered at 128 px)")
    ap.add_argument("--instruction", default="make the ball blue")
    ap.add_argument("--editor", default="tiny")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--src", default=None, help="PYTHONPATH of the dialogpaint to run (default: the installed one)")
    ap.add_argument("--extra", default="", help="more `dialogpaint edit` options, e.g. '--dtype fp32'")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dp-cold-"))
    image = args.image
    if image is None:
        from dialogpaint.world import random_scene, render

        image = str(tmp / "world.png")
        render(random_scene(0), 128).save(image)
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    cmd = [sys.executable, "-m", "dialogpaint.cli", "edit", image, str(tmp / "out.png"), args.instruction,
           "--editor", args.editor, *args.extra.split()]
    rows = [one_run(cmd, env) for _ in range(args.runs)]
    walls = [r["wall_s"] for r in rows]
    for r in rows:
        print(json.dumps(r))
    summary = {"median_s": round(statistics.median(walls), 3), "min_s": min(walls), "max_s": max(walls),
               "runs": rows, "cmd": " ".join(cmd[1:]), "cpus": os.cpu_count()}
    print(f"median {summary['median_s']:.2f} s (min {summary['min_s']:.2f}, max {summary['max_s']:.2f}) over "
          f"{len(walls)} runs")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
