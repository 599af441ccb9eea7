"""Speed of our InstructPix2PixEditor against diffusers' StableDiffusionInstructPix2PixPipeline.

Both run on identical weights (the peer on its own untouched copy), the same scheduler config, seed, size
and step count in one process; runs alternate (ours, peer, ours, peer, ...) after a warm-up of each, and
the median time of each is reported with the ratio ours / peer. Two comparisons:

  defaults  each side as a user gets it: ours in its default dtype (bf16 on a CPU with native bf16, fp16 on
            CUDA), diffusers in fp32 on a CPU (its weights' dtype) and fp16 on CUDA  (target: <= 0.6 on CPU)
  same      both in one dtype (--dtype, default fp32 on a CPU); the output images are compared too
            (target: <= 0.95)

    python benchmarks/editor_speed.py --only sd15 --runs 2           # SD1.5-shaped @256 px, 4 steps, CPU
    python benchmarks/editor_speed.py --only bundled --steps 20      # the shipped DialogPaint-Tiny @128 px
    python benchmarks/editor_speed.py --only sd15 --device cuda --size 512 --steps 20   # GPU, fp16
"""

from __future__ import annotations

import argparse
import copy
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


def bench(name, cfg, size, steps, runs, device, ours_dtype, peer_dtype, mode):
    t0 = time.perf_counter()
    if cfg is None:  # the bundled model
        from dialogpaint.editing.components import load_components
        from dialogpaint.paths import models_dir

        comps = load_components(models_dir() / "dialogpaint-tiny")
    else:
        comps = random_components(cfg)
    build_s = time.perf_counter() - t0
    dev, dt = default_device_dtype(device, ours_dtype)
    peer_dt = default_device_dtype(device, peer_dtype)[1] if peer_dtype else (torch.float16 if dev.type == "cuda"
                                                                              else torch.float32)
    pc = copy.deepcopy(comps)  # the peer's own weights: our editor casts its modules in place
    ours = InstructPix2PixEditor.from_components(**comps, device=device, dtype=ours_dtype, max_side=size)
    peer = StableDiffusionInstructPix2PixPipeline(
        unet=pc["unet"], vae=pc["vae"], text_encoder=pc["text_encoder"], tokenizer=pc["tokenizer"],
        scheduler=type(comps["scheduler"]).from_config(comps["scheduler"].config), safety_checker=None,
        feature_extractor=None, requires_safety_checker=False).to(dev, peer_dt)
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
    return dict(model=name, mode=mode, unet_params_m=round(n_params / 1e6, 1), size=size, steps=steps, runs=runs,
                device=machine(dev), dtype=str(dt).replace("torch.", ""),
                peer_dtype=str(peer_dt).replace("torch.", ""), ours_s=round(mo, 4), peer_s=round(mp, 4),
                ratio=round(mo / mp, 3), max_pixel_diff=diff, build_s=round(build_s, 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["tiny", "sd15", "bundled"], default=None)
    ap.add_argument("--size", type=int, default=None, help="image side (default: 64 tiny, 256 sd15)")
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--device", default=None)
    ap.add_argument("--dtype", default=None, help="the dtype of both sides in `same` (default: fp32 on a CPU, fp16 "
                    "on CUDA)")
    ap.add_argument("--mode", choices=["defaults", "same", "both"], default="both")
    ap.add_argument("--note", default="", help="a line about the machine (e.g. 'shared with other jobs')")
    ap.add_argument("--json", default=None, help="also write the rows to this JSON file")
    args = ap.parse_args()
    plan = [("tiny", TINY, args.size or 64), ("sd15", SD15, args.size or 256), ("bundled", None, args.size or 128)]
    rows = []
    for name, cfg, size in plan:
        if (args.only and name != args.only) or (not args.only and name == "bundled"):
            continue
        for mode in (["defaults", "same"] if args.mode == "both" else [args.mode]):
            if mode == "defaults":  # each side as a user gets it
                ours_dt, peer_dt = None, None
            else:
                same = args.dtype or ("fp16" if args.device == "cuda" else "fp32")
                ours_dt, peer_dt = same, same
            row = bench(name, cfg, size, args.steps, args.runs, args.device, ours_dt, peer_dt, mode)
            row["note"] = args.note
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print("| model | comparison | size | steps | device | ours dtype | diffusers dtype | ours s | diffusers s | "
          "ours/diffusers | max px diff |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} ({r['unet_params_m']}M UNet) | {r['mode']} | {r['size']} | {r['steps']} | {r['device']} | "
              f"{r['dtype']} | {r['peer_dtype']} | {r['ours_s']:.2f} | {r['peer_s']:.2f} | {r['ratio']:.3f} | "
              f"{r['max_pixel_diff']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
