"""Train the tiny model's refiner (editing/refiner.py) on the frozen VAE: (input, encode(target)) -> target.

The VAE and the UNet are untouched (the refiner reads the latent space the editor already writes).
Each step: world pairs' target latents (VAE mode, precomputed) with Gaussian noise added to mimic the
editor's own latents (which differ from encode(target) by an RMS of 0.1-0.3), decoded by the frozen
decoder, refined with the input image and the decoding of the input's own latent, L1 to the exact target (weighted up where the edit changes
pixels). Checkpoints carry their config; a run resumes; a time budget ends it early; a new run can start from
a saved refiner's weights (`init`, e.g. a model folder's refiner/) instead of a fresh network.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

import torch
from tqdm.auto import tqdm

from .config import from_dict, to_dict
from .schedule import cosine_lr


@dataclass(frozen=True)
class RefinerTrainConfig:
    pairs: int = 12000              # world pairs ("train:{seed}:i", the editor's own stream)
    size: int = 128                 # image side
    batch_size: int = 12            # pairs per step
    steps: int = 4000               # optimisation steps
    lr: float = 5e-4                # AdamW peak (cosine to 10%)
    noise_max: float = 0.3          # latent noise std drawn from U(0, noise_max) ...
    noise_prob: float = 0.75        # ... for this fraction of the batch (the rest: clean latents)
    changed_weight: float = 4.0     # L1 weight on the pixels the edit changes (1 elsewhere)
    bf16: bool = True               # autocast bf16 (CPUs with native bf16, GPUs)
    seed: int = 0


def encode_images(vae, images, device="cpu", batch: int = 64, progress=None):
    """uint8 (N, H, W, 3) -> (N, c, h, w) unscaled VAE latents (mode)."""
    from .vae import to_pixels

    vae = vae.to(device).eval()
    out = []
    with torch.inference_mode():
        for i in tqdm(range(0, len(images), batch), desc="encoding", disable=progress is False):
            out.append(vae.encode(to_pixels(images[i:i + batch]).to(device)).latent_dist.mode().cpu())
    return torch.cat(out)


def train_refiner(cfg: RefinerTrainConfig, vae, out: str | Path, *, device: str = "cpu", progress=None,
                  time_budget_s: float | None = None, data=None, init: str | Path | None = None):
    """Train (or resume) into `out` (checkpoint, log); returns (Refiner, steps, metrics).

    `init`: a refiner folder (Refiner.save_pretrained) whose weights start a new run (the optimizer starts
    fresh, with the warm-up); a checkpoint in `out` takes precedence (that run resumes where it stopped)."""
    from ..editing.refiner import Refiner, RefinerConfig
    from ..world.data import world_pairs
    from .vae import to_pixels

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ckpt_path = out / "refiner-checkpoint.pt"
    torch.manual_seed(cfg.seed)
    model = Refiner(RefinerConfig(latent_channels=vae.config.latent_channels, size=cfg.size)).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.0)
    step, spent = 0, 0.0
    if ckpt_path.exists():
        ck = torch.load(ckpt_path, weights_only=False)
        if replace(from_dict(RefinerTrainConfig, ck["config"]), steps=cfg.steps) != cfg:  # more steps: a longer run
            raise ValueError(f"{ckpt_path} was made with another config; use another --work or the same config")
        if ck["step"] > cfg.steps:
            raise ValueError(f"{ckpt_path} is already at step {ck['step']}, past the {cfg.steps} steps asked for")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, spent = ck["step"], ck.get("seconds", 0.0)
    elif init is not None:
        start = Refiner.from_pretrained(init)
        if start.cfg != model.cfg:
            raise ValueError(f"{init} is a refiner of another shape ({start.cfg}), not {model.cfg}")
        model.load_state_dict(start.state_dict())
    # 1. pairs and their target latents (cached in out/)
    cache = out / "refiner-data.pt"
    d = torch.load(cache, weights_only=True) if cache.exists() else {}
    if not d:
        s, t, m, _, _ = data if data is not None else world_pairs(cfg.pairs, cfg.seed, cfg.size, 0.3, progress=progress)
        d = {"src": torch.from_numpy(s), "tgt": torch.from_numpy(t), "mask": torch.from_numpy(m)}
    if "zs" not in d or "zt" not in d:
        for key, images in (("zt", "tgt"), ("zs", "src")):
            if key not in d:
                d[key] = encode_images(vae, d[images], device=device, progress=progress)
        torch.save(d, cache)
    src, tgt, mask, zs, zt = d["src"], d["tgt"], d["mask"], d["zs"], d["zt"]
    vae = vae.to(device).eval().requires_grad_(False)
    g = torch.Generator().manual_seed(cfg.seed + step)
    log = (out / "refiner-log.jsonl").open("a")
    bar = tqdm(total=cfg.steps, initial=step, desc="refiner", disable=progress is False)
    t0 = time.time() - spent
    autocast = torch.autocast(device_type=torch.device(device).type, dtype=torch.bfloat16, enabled=cfg.bf16)
    model.train()
    while step < cfg.steps:
        # 2. a batch: noisy target latents decoded by the frozen VAE (no flips: the weather has a fixed place)
        idx = torch.randint(0, len(src), (cfg.batch_size,), generator=g)
        x_in, x_tgt = to_pixels(src[idx]).to(device), to_pixels(tgt[idx]).to(device)
        w = 1 + (cfg.changed_weight - 1) * mask[idx].float()[:, None].to(device)
        z = zt[idx].to(device)
        sigma = torch.rand(cfg.batch_size, 1, 1, 1, generator=g) * cfg.noise_max
        sigma = sigma * (torch.rand(cfg.batch_size, 1, 1, 1, generator=g) < cfg.noise_prob)
        z = z + sigma.to(device) * torch.randn(z.shape, generator=g).to(device)
        with torch.no_grad(), autocast:
            dec = vae.decode(z).sample.float()
            recon = vae.decode(zs[idx].to(device)).sample.float()
        # 3. refine; L1 to the exact target, weighted up on the changed pixels
        with autocast:
            y = model(x_in, dec, z, recon).float()
        loss = ((y - x_tgt).abs() * w).mean() / w.mean()
        lr = cosine_lr(cfg.lr, step, cfg.steps, time.time() - t0, time_budget_s, warmup=100)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.4f}")
        if step % 50 == 0 or step == cfg.steps:
            log.write(json.dumps({"step": step, "loss": round(loss.item(), 5), "s": round(time.time() - t0, 1)}) + "\n")
            log.flush()
        out_of_time = time_budget_s is not None and time.time() - t0 > time_budget_s
        if step % 100 == 0 or step == cfg.steps or out_of_time:
            torch.save({"config": to_dict(cfg), "model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                        "seconds": time.time() - t0}, ckpt_path)
        if out_of_time:
            break
    bar.close()
    model.eval()
    metrics = {"trained_steps": step, "seconds": round(time.time() - t0, 1)}
    (out / "refiner-metrics.json").write_text(json.dumps(metrics, indent=2))
    return model.cpu(), step, metrics
