"""Speed of our InstructPix2PixEditor against diffusers' StableDiffusionInstructPix2PixPipeline.

Both run on the same components, scheduler config, seed, size and step count in one process; runs
alternate (ours, peer, ours, peer, ...) after a warm-up of each, and the median time of each is
reported with the ratio ours / peer (target: <= 1.0). Output images are compared too.

    python benchmarks/editor_speed.py                       # tiny @64 px and SD1.5-shaped @256 px, 4 steps, CPU
    python benchmarks/editor_speed.py --only bundled --steps 20   # the shipped DialogPaint-Tiny @128 px
    python benchmarks/editor_speed.py --only sd15 --device cuda --size 512 --steps 20   # GPU, fp16
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from diffusers import StableDiffusionInstructPix2PixPipeline

from dialogpaint.editing import InstructPix2PixEditor
from dialogpaint.editing.pipeline import default_device_dtype
from dialogpaint.editing.random_model import SD15, TINY, random_components
from dialogpaint.world import random_scene, render


def machine(device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"{platform.processor() or platform.machine()} CPU, {torch.get_num_threads()} threads"


def bench(name, cfg, size, steps, runs, device, dtype):
    t0 = time.perf_counter()
    if cfg is None:  # the bundled model
        from dialogpaint.editing.components import load_components
        from dialogpaint.paths import models_dir

        comps = load_components(models_dir() / "dialogpaint-tiny")
    else:
        comps = random_components(cfg)
    build_s = time.perf_counter() - t0
    dev, dt = default_device_dtype(device, dtype)
    ours = InstructPix2PixEditor.from_components(**comps, device=device, dtype=dtype, max_side=size)
    peer = StableDiffusionInstructPix2PixPipeline(
        unet=ours.unet, vae=ours.vae, text_encoder=ours.text_encoder, tokenizer=ours.tokenizer,
        scheduler=type(comps["scheduler"]).from_config(comps["scheduler"].config), safety_checker=None,
        feature_extractor=None, requires_safety_checker=False)
    peer.set_progress_bar_config(disable=True)
    image = render(random_scene(0), size)
    instruction = "make the ball blue"

    def run_ours():
        return ours.edit(image, instruction, steps=steps, text_guidance=7.5, image_guidance=1.5, seed=0,
                         progress=False)

    def run_peer():
        return peer(instruction, image=image, num_inference_steps=steps, guidance_scale=7.5,
                    image_guidance_scale=1.5, generator=torch.Generator("cpu").manual_seed(0)).images[0]

    def timed(f):
        if dev.type == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        out = f()
        if dev.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - t, out

    a, b = run_ours(), run_peer()  # warm-up
    diff = int(np.abs(np.asarray(a, dtype=int) - np.asarray(b, dtype=int)).max())
    t_ours, t_peer = [], []
    for _ in range(runs):
        t_ours.append(timed(run_ours)[0])
        t_peer.append(timed(run_peer)[0])
    mo, mp = statistics.median(t_ours), statistics.median(t_peer)
    n_params = sum(p.numel() for p in ours.unet.parameters())
    return dict(model=name, unet_params_m=round(n_params / 1e6, 1), size=size, steps=steps, runs=runs,
                device=machine(dev), dtype=str(dt).replace("torch.", ""), ours_s=round(mo, 4), peer_s=round(mp, 4),
                ratio=round(mo / mp, 3), max_pixel_diff=diff, build_s=round(build_s, 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["tiny", "sd15", "bundled"], default=None)
    ap.add_argument("--size", type=int, default=None, help="image side (default: 64 tiny, 256 sd15)")
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--device", default=None)
    ap.add_argument("--dtype", default=None)
    ap.add_argument("--json", default=None, help="also write the rows to this JSON file")
    args = ap.parse_args()
    plan = [("tiny", TINY, args.size or 64), ("sd15", SD15, args.size or 256), ("bundled", None, args.size or 128)]
    rows = []
    for name, cfg, size in plan:
        if (args.only and name != args.only) or (not args.only and name == "bundled"):
            continue
        runs = args.runs if name == "tiny" else max(3, args.runs // 2 + 1)
        row = bench(name, cfg, size, args.steps, runs if args.device != "cuda" else args.runs, args.device, args.dtype)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print("| model | UNet params | size | steps | device | dtype | ours s | diffusers s | ratio | max px diff |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['unet_params_m']}M | {r['size']} | {r['steps']} | {r['device']} | {r['dtype']} | "
              f"{r['ours_s']:.3f} | {r['peer_s']:.3f} | {r['ratio']:.3f} | {r['max_pixel_diff']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
