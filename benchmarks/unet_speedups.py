"""What each inference speed-up of the editor buys on one UNet call (SD1.5-shaped random weights, CPU).

Variants of the same diffusers UNet, called in turn on the same batch of three (32x32 latents = 256 px,
77-token context whose rows 1 and 2 are the same null text, as in an edit): plain; cross-attention K/V
cached (editing/kv_cache.py; from the second call on, as at every step after the first); convolutions
prepacked (editing/prepack.py); both. Prints each call, the medians and the ratios to plain.

    python benchmarks/unet_speedups.py --runs 7
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import time

import torch

from dialogpaint.editing.kv_cache import cache_cross_attention
from dialogpaint.editing.prepack import prepack_convs
from dialogpaint.editing.random_model import SD15, random_components


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    dt = torch.float32 if args.dtype == "fp32" else torch.bfloat16
    base = random_components(SD15)["unet"].eval().to(dt)
    variants = {"plain": base, "kv": copy.deepcopy(base), "prepack": copy.deepcopy(base), "both": copy.deepcopy(base)}
    cache_cross_attention(variants["kv"])
    prepack_convs(variants["prepack"])
    cache_cross_attention(variants["both"])
    prepack_convs(variants["both"])
    g = torch.Generator().manual_seed(0)
    x, t = torch.randn(3, 8, 32, 32, generator=g).to(dt), torch.tensor(999.0)
    text, null = torch.randn(1, 77, 768, generator=g), torch.randn(1, 77, 768, generator=g)
    ctx = torch.cat([text, null, null]).to(dt)
    times = {k: [] for k in variants}
    with torch.inference_mode():
        ref = base(x, t, encoder_hidden_states=ctx).sample.float()
        diffs = {k: (m(x, t, encoder_hidden_states=ctx).sample.float() - ref).abs().max().item()
                 for k, m in variants.items()}  # also the warm-up (and the caches' first fill)
        print("max abs diff to plain", diffs)
        for r in range(args.runs):
            for k, m in variants.items():
                s = time.perf_counter()
                m(x, t, encoder_hidden_states=ctx)
                times[k].append(time.perf_counter() - s)
            print(r, {k: round(v[-1], 2) for k, v in times.items()}, "load", round(os.getloadavg()[0], 2), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    ratios = {k: round(v / med["plain"], 3) for k, v in med.items()}
    print("median s", {k: round(v, 3) for k, v in med.items()}, "ratio to plain", ratios)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"dtype": args.dtype, "runs": args.runs, "median_s": med, "ratio": ratios, "max_abs_diff": diffs,
                       "times": times}, f, indent=2)


if __name__ == "__main__":
    main()
