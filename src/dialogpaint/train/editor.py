"""Train an InstructPix2Pix-form editor with the paper's loss (eq. 2).

    loss = E || target − model(z_t, t, C_I, C_T) ||², weighted up on the latent cells the edit changes

The UNet sees the noisy target latent concatenated on channels with the unscaled VAE latent C_I of
the input image and cross-attends to the text encoding C_T. Conditioning dropout: `drop_text` text
only (null text = encoding of ""), `drop_image` image only (null image = zero latent), `drop_both`
both. EMA weights are kept and exported; checkpoints carry their config and resume. The same loop
fine-tunes real InstructPix2Pix weights (`init` = their folder) on a pairs folder; with several
GPUs, run it under `accelerate launch`.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from .config import EditorTrainConfig, from_dict, to_dict
from .schedule import cosine_lr


@dataclass
class LatentPairs:
    src: torch.Tensor    # (N, c, h, w) unscaled VAE latent (mode) of the input image: C_I
    tgt: torch.Tensor    # (N, c, h, w) unscaled VAE latent of the target image
    mask: torch.Tensor   # (N, 1, h, w) 1 where the edit changes the image (dilated by one cell)
    text: torch.Tensor   # (N,) row of each pair's instruction in the text table

    def __len__(self):
        return len(self.src)


def build_unet(cfg: EditorTrainConfig, latent_channels: int, cross_dim: int, sample_size: int):
    from diffusers import UNet2DConditionModel

    n = len(cfg.unet_channels)
    unet = UNet2DConditionModel(
        sample_size=sample_size, in_channels=2 * latent_channels, out_channels=latent_channels,
        block_out_channels=cfg.unet_channels, layers_per_block=cfg.unet_layers,
        down_block_types=("CrossAttnDownBlock2D",) * (n - 1) + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * (n - 1),
        cross_attention_dim=cross_dim, attention_head_dim=cfg.attention_heads,
        norm_num_groups=min(32, cfg.unet_channels[0]))
    # InstructPix2Pix: the image channels start at zero, so the start is a plain denoiser
    with torch.no_grad():
        unet.conv_in.weight[:, latent_channels:].zero_()
    return unet


def dropout_masks(r: torch.Tensor, cfg: EditorTrainConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Conditioning dropout from uniform draws r (B,): (no_text, no_image) boolean masks.

    [0, p_text): text only dropped; [p_text, p_text + p_image): image only; the next p_both: both."""
    p1 = cfg.drop_text
    p2 = p1 + cfg.drop_image
    p3 = p2 + cfg.drop_both
    no_text = (r < p1) | ((r >= p2) & (r < p3))
    no_image = (r >= p1) & (r < p3)
    return no_text, no_image


def noise_scheduler(prediction_type: str):
    from diffusers import DDPMScheduler

    from ..editing.schedulers import BETAS

    return DDPMScheduler(**BETAS, prediction_type=prediction_type)


@torch.inference_mode()
def encode_pairs(vae, src: np.ndarray, tgt: np.ndarray, mask: np.ndarray, text_ids: torch.Tensor,
                 device="cpu", batch: int = 128, progress=None) -> LatentPairs:
    """uint8 image pairs -> LatentPairs (VAE mode, unscaled), on `device`."""
    from .vae import to_pixels

    vae = vae.to(device).eval()
    f = 2 ** (len(vae.config.block_out_channels) - 1)
    zs, zt = [], []
    for i in tqdm(range(0, len(src), batch), desc="encoding pairs", disable=progress is False):
        zs.append(vae.encode(to_pixels(torch.from_numpy(src[i:i + batch])).to(device)).latent_dist.mode())
        zt.append(vae.encode(to_pixels(torch.from_numpy(tgt[i:i + batch])).to(device)).latent_dist.mode())
    m = torch.from_numpy(mask).float()[:, None]
    m = F.max_pool2d(m, f)
    m = F.max_pool2d(m, 3, stride=1, padding=1)
    return LatentPairs(torch.cat(zs).float(), torch.cat(zt).float(), m.to(device), text_ids.to(device))


def pairs_from_manifest(folder, vae, encoder, tokenizer, size: int, device="cpu", progress=None):
    """A pairs folder (manifest.jsonl) -> (LatentPairs, TextTable), images resized to size x size."""
    from PIL import Image

    from ..data.edits import read_manifest
    from ..images import open_image
    from ..world.edits import change_mask
    from .text_cache import TextTable, build_cache

    folder = Path(folder)
    rows = read_manifest(folder)
    if not rows:
        raise ValueError(f"{folder}/manifest.jsonl has no pairs")

    def load(rel):
        return np.asarray(open_image(folder / rel).resize((size, size), Image.LANCZOS))

    src = np.stack([load(r["source"]) for r in rows])
    tgt = np.stack([load(r["target"]) for r in rows])
    mask = np.stack([change_mask(a, b) for a, b in zip(src, tgt)])
    texts = [r["instruction"] for r in rows]
    table = TextTable({"max_tokens": tokenizer.model_max_length, "texts": build_cache(texts, encoder, tokenizer)})
    return encode_pairs(vae, src, tgt, mask, table.ids(texts), device=device, progress=progress), table


def train_editor(cfg: EditorTrainConfig, out: str | Path, *, pairs: LatentPairs, text_table: torch.Tensor,
                 latent_channels: int, scaling_factor: float, unet=None, progress: bool | None = None,
                 time_budget_s: float | None = None):
    """Train (or resume) into out/; returns the EMA UNet. `text_table`: (T, L, d), row 0 = null text."""
    from accelerate import Accelerator

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    acc = Accelerator(mixed_precision=cfg.mixed_precision)
    dev = acc.device
    torch.manual_seed(cfg.seed)
    if unet is None:
        unet = build_unet(cfg, latent_channels, text_table.shape[-1], pairs.src.shape[-1])
    ema = copy.deepcopy(unet).requires_grad_(False).to(dev)
    opt = torch.optim.AdamW(unet.parameters(), lr=cfg.lr, weight_decay=1e-2)
    ckpt_path = out / "checkpoint.pt"
    step = 0
    if ckpt_path.exists():
        ck = torch.load(ckpt_path, weights_only=False, map_location="cpu")
        if from_dict(EditorTrainConfig, ck["config"]) != cfg:
            raise ValueError(f"{ckpt_path} was made with another config; use another --out or the same config")
        unet.load_state_dict(ck["unet"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
    unet, opt = acc.prepare(unet, opt)
    sched = noise_scheduler(cfg.prediction_type)
    alphas = sched.alphas_cumprod.to(dev)
    text_table = text_table.to(dev)
    src, tgt, mask, text = (pairs.src.to(dev), pairs.tgt.to(dev), pairs.mask.to(dev), pairs.text.to(dev))
    g = torch.Generator(device="cpu").manual_seed(cfg.seed * 1000 + acc.process_index + step)
    log = (out / "train-log.jsonl").open("a")
    bar = tqdm(total=cfg.steps, initial=step, desc="editor", disable=(progress is False) or not acc.is_main_process)
    t0 = time.time()
    B = cfg.batch_size
    unet.train()
    while step < cfg.steps:
        # 1. a batch of pairs; scaled target latent z0 and unscaled input latent C_I
        idx = torch.randint(0, len(src), (B,), generator=g).to(dev)
        z0 = tgt[idx] * scaling_factor
        c_img = src[idx].clone()
        c_txt_ids = text[idx].clone()
        # 2. conditioning dropout: text only / image only / both
        no_text, no_image = dropout_masks(torch.rand(B, generator=g).to(dev), cfg)
        c_txt_ids[no_text] = 0
        c_img[no_image] = 0
        # 3. noise at a random timestep; the target of the chosen parametrisation
        t = torch.randint(0, sched.config.num_train_timesteps, (B,), generator=g).to(dev)
        eps = torch.randn(z0.shape, generator=g).to(dev)
        a = alphas[t].sqrt()[:, None, None, None]
        s = (1 - alphas[t]).sqrt()[:, None, None, None]
        zt = a * z0 + s * eps
        target = {"epsilon": eps, "v_prediction": a * eps - s * z0, "sample": z0}[cfg.prediction_type]
        # 4. eq. 2, weighted up where the edit changes the image
        with acc.autocast():
            pred = unet(torch.cat([zt, c_img], 1), t, encoder_hidden_states=text_table[c_txt_ids]).sample
        w = 1 + (cfg.changed_weight - 1) * mask[idx]
        loss = ((pred.float() - target) ** 2 * w).mean() / w.mean()
        # warm-up, then cosine to 10% over the steps, or over the time budget if that ends first
        lr = cosine_lr(cfg.lr, step, cfg.steps, time.time() - t0, time_budget_s, warmup=cfg.warmup)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        acc.backward(loss)
        acc.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        step += 1
        # 5. EMA (decay warmed up so that early steps count)
        d = min(cfg.ema_decay, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), acc.unwrap_model(unet).parameters()):
                pe.lerp_(pm.detach().float(), 1 - d)
        bar.update(1)
        if step % 10 == 0:
            bar.set_postfix(loss=f"{loss.item():.4f}")
        if acc.is_main_process and (step % 50 == 0 or step == cfg.steps):
            log.write(json.dumps({"step": step, "loss": round(loss.item(), 5), "lr": round(lr, 7),
                                  "s": round(time.time() - t0, 1)}) + "\n")
            log.flush()
        done = step == cfg.steps or (time_budget_s is not None and time.time() - t0 > time_budget_s)
        if acc.is_main_process and (step % cfg.checkpoint_every == 0 or done):
            torch.save({"config": to_dict(cfg), "unet": acc.unwrap_model(unet).state_dict(),
                        "ema": ema.state_dict(), "opt": opt.state_dict(), "step": step}, ckpt_path)
        if done:
            break
    bar.close()
    acc.wait_for_everyone()
    return ema.eval(), step
