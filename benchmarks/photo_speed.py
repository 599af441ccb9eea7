"""Seconds per megapixel of the photo engine, per family, on a large photo (default 16 MP), against
the tiny diffusion model on the same request (which works at 128 px and is resized back: its seconds
are for a far smaller picture). Usage: python benchmarks/photo_speed.py [--side 4000]."""

from __future__ import annotations

import argparse
import platform
import time

from PIL import Image

from dialogpaint import load_editor
from dialogpaint.eval.photos import FAMILIES, shipped_photos


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--side", type=int, default=4000, help="the photo is resized to side x side")
    args = ap.parse_args()
    photo = shipped_photos(("astronaut",))[0]
    big = photo.image.resize((args.side, args.side), Image.LANCZOS)
    mp = args.side * args.side / 1e6
    photo_ed, tiny = load_editor("photo"), load_editor("tiny")
    print(f"{platform.machine()} CPU, {mp:.0f} MP photo (scikit-image's astronaut, upscaled)\n")
    print("| family | photo engine (s) | s / MP | tiny model (s) | photo / tiny |")
    print("|---|---|---|---|---|")
    worst = 0.0
    for fam in FAMILIES:
        req = fam.request(photo)
        t = time.perf_counter()
        photo_ed.edit(big, req, seed=0)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        tiny.edit(big, req, seed=0)
        theirs = time.perf_counter() - t
        worst = max(worst, ours / mp)
        print(f"| {fam.name} | {ours:.2f} | {ours / mp:.3f} | {theirs:.2f} | {ours / theirs:.2f} |")
    print(f"\nslowest family: {worst:.3f} s per megapixel (target <= 1)")


if __name__ == "__main__":
    main()
