"""Train the tiny model's AutoencoderKL on renders of the world (L1 + L2 + a tiny KL).

Checkpoints carry their config; a run resumes from its last checkpoint. After training, the latent
scaling factor is set to 1 / std of the latents, as Stable Diffusion's VAE has it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import torch
from tqdm.auto import tqdm

from .config import VAEConfig, from_dict, to_dict
from .schedule import cosine_lr
from ..world.data import world_images


def build_vae(cfg: VAEConfig):
    from diffusers import AutoencoderKL

    n = len(cfg.channels)
    return AutoencoderKL(in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D",) * n,
                         up_block_types=("UpDecoderBlock2D",) * n, block_out_channels=cfg.channels,
                         layers_per_block=cfg.layers_per_block, latent_channels=cfg.latent_channels,
                         norm_num_groups=min(16, cfg.channels[0]), sample_size=cfg.size)


def to_pixels(batch_uint8: torch.Tensor) -> torch.Tensor:
    """(B, H, W, 3) uint8 -> (B, 3, H, W) float in [-1, 1]."""
    return batch_uint8.permute(0, 3, 1, 2).float() / 127.5 - 1.0


def train_vae(cfg: VAEConfig, out: str | Path, device: str = "cpu", progress: bool | None = None,
              time_budget_s: float | None = None):
    """Train (or resume) a VAE into `out`; returns the trained AutoencoderKL (saved to out/vae)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ckpt_path = out / "vae-checkpoint.pt"
    torch.manual_seed(cfg.seed)
    vae = build_vae(cfg).to(device)
    opt = torch.optim.AdamW(vae.parameters(), lr=cfg.lr, weight_decay=0.0)
    step = 0
    if ckpt_path.exists():
        ck = torch.load(ckpt_path, weights_only=False)
        if from_dict(VAEConfig, ck["config"]) != cfg:
            raise ValueError(f"{ckpt_path} was made with another config; use another --out or the same config")
        vae.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
    # 1. a pool of rendered images (scenes with styles, times and weathers)
    pool = torch.from_numpy(world_images(cfg.pool, cfg.seed, cfg.size, progress=progress))
    g = torch.Generator().manual_seed(cfg.seed + step)
    log = (out / "vae-log.jsonl").open("a")
    bar = tqdm(total=cfg.steps, initial=step, desc="VAE", disable=progress is False)
    t0 = time.time()
    vae.train()
    while step < cfg.steps:
        # 2. a batch, randomly flipped left-right
        idx = torch.randint(0, len(pool), (cfg.batch_size,), generator=g)
        x = to_pixels(pool[idx]).to(device)
        flip = torch.rand(cfg.batch_size, generator=g) < 0.5
        x[flip] = x[flip].flip(-1)
        # 3. reconstruct: L1 + L2 on pixels, KL on the posterior
        post = vae.encode(x).latent_dist
        y = vae.decode(post.sample()).sample
        loss = (y - x).abs().mean() + (y - x).pow(2).mean() + cfg.kl_weight * post.kl().mean()
        lr = cosine_lr(cfg.lr, step, cfg.steps, time.time() - t0, time_budget_s)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.4f}")
        if step % 50 == 0 or step == cfg.steps:
            log.write(json.dumps({"step": step, "loss": round(loss.item(), 5), "s": round(time.time() - t0, 1)}) + "\n")
            log.flush()
        out_of_time = time_budget_s is not None and time.time() - t0 > time_budget_s
        if step % 200 == 0 or step == cfg.steps or out_of_time:
            torch.save({"config": to_dict(cfg), "model": vae.state_dict(), "opt": opt.state_dict(), "step": step},
                       ckpt_path)
        if out_of_time:
            break
    bar.close()
    # 4. scaling factor: 1 / std of the latents (mode) over part of the pool
    vae.eval()
    zs, errs = [], []
    with torch.inference_mode():
        for i in range(0, min(len(pool), 1024), 64):
            x = to_pixels(pool[i:i + 64]).to(device)
            z = vae.encode(x).latent_dist.mode()
            zs.append(z)
            if i < 512:  # reconstruction error (0-1 scale) on the first 512
                errs.append((vae.decode(z).sample - x).abs().mean((1, 2, 3)) / 2)
    z, err = torch.cat(zs), torch.cat(errs)
    vae.register_to_config(scaling_factor=float(1.0 / z.std()))
    vae.save_pretrained(out / "vae")
    (out / "vae-metrics.json").write_text(json.dumps({"steps": step, "recon_l1_01": float(err.mean()),
                                                     "scaling_factor": float(1.0 / z.std())}, indent=2))
    return vae.cpu()
