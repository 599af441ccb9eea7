"""The DialogPaint-Tiny recipe, every stage resumable, in one call:

    1. text cache: every instruction the world can produce, encoded once by all-MiniLM-L6-v2
    2. VAE: trained on renders of the world (train/vae.py)
    3. pairs: world edit pairs rendered, encoded by the VAE, cached as latents
    4. editor: eq. 2 with conditioning dropout and EMA (train/editor.py)
    5. refiner: a pixel-space network after the frozen VAE decoder that also sees the input
       (train/refiner.py); it needs only the VAE, not the editor
    6. export: a diffusers folder (train/export.py)

Presets: `cpu` (the recipe for 2 CPU cores: about 70 minutes before the refiner stage, which adds
45-100) and `gpu` (the same recipe, more data and steps, for one GPU in about 8 minutes).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from .config import EditorTrainConfig, VAEConfig, to_dict
from .refiner import RefinerTrainConfig


@dataclass(frozen=True)
class Recipe:
    vae: VAEConfig
    editor: EditorTrainConfig
    refiner: RefinerTrainConfig | None = None  # None: no refiner (plain VAE decoding)


PRESETS = {
    "cpu": Recipe(VAEConfig(pool=4000, batch_size=16, steps=700, lr=2e-3),
                  EditorTrainConfig(pairs=20000, batch_size=32, steps=5000),
                  RefinerTrainConfig(pairs=12000, batch_size=12, steps=6000)),
    "gpu": Recipe(VAEConfig(pool=30000, batch_size=64, steps=4000, lr=2e-3),
                  EditorTrainConfig(pairs=80000, batch_size=256, steps=16000, lr=1e-3, warmup=300,
                                    ema_decay=0.9995, checkpoint_every=2000, mixed_precision="bf16"),
                  RefinerTrainConfig(pairs=12000, batch_size=12, steps=6000)),
    # a few steps of everything, for tests
    "smoke": Recipe(VAEConfig(pool=64, batch_size=8, steps=4),
                    EditorTrainConfig(pairs=64, batch_size=8, steps=4, warmup=2, checkpoint_every=2),
                    RefinerTrainConfig(pairs=32, batch_size=4, steps=3)),
}


def text_cache_path(work: Path) -> Path:
    return work / "text-cache.pt"


def build_text_cache(work: Path, max_tokens: int = 32) -> Path:
    from ..editing.text_encoders import minilm
    from ..world.edits import all_instructions
    from .text_cache import build_cache, save_cache

    path = text_cache_path(work)
    if not path.exists():
        enc, tok = minilm(max_tokens)
        save_cache(build_cache(all_instructions(), enc, tok), path, max_tokens)
        tok.save_pretrained(work / "tokenizer")  # export needs it; GPU machines may lack the package
    return path


def run_recipe(recipe: Recipe, work: str | Path, model_out: str | Path, *, device: str | None = None,
               progress: bool | None = None, editor_time_budget_s: float | None = None,
               vae_time_budget_s: float | None = None, refiner_time_budget_s: float | None = None) -> dict:
    from ..editing.text_encoders import MINILM_TOKENS
    from .editor import encode_pairs, train_editor
    from .export import export_editor
    from .text_cache import TextTable
    from .vae import train_vae
    from ..world.data import world_pairs

    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    times = {}
    t = time.time()
    # 1. text cache (built here, or carried in from another machine)
    cache = text_cache_path(work)
    if not cache.exists():
        build_text_cache(work, MINILM_TOKENS)
    table = TextTable(cache)
    times["text_cache_s"] = round(time.time() - t, 1)
    # 2. VAE
    t = time.time()
    if (work / "vae-metrics.json").exists():
        from diffusers import AutoencoderKL

        vae = AutoencoderKL.from_pretrained(work / "vae")
    else:
        vae = train_vae(recipe.vae, work, device=device, progress=progress, time_budget_s=vae_time_budget_s)
    times["vae_s"] = round(time.time() - t, 1)
    # 3. pairs as latents
    t = time.time()
    cfg = recipe.editor
    lat_path = work / "latents.pt"
    if lat_path.exists():
        from .editor import LatentPairs

        pairs = LatentPairs(**torch.load(lat_path, weights_only=True))
    else:
        src, tgt, mask, instr, _ = world_pairs(cfg.pairs, cfg.seed, cfg.size, cfg.pre_edit_prob, progress=progress)
        pairs = encode_pairs(vae, src, tgt, mask, table.ids(instr), device=device, progress=progress)
        torch.save({k: v.cpu() for k, v in pairs.__dict__.items()}, lat_path)
    times["pairs_s"] = round(time.time() - t, 1)
    # 4. editor
    t = time.time()
    unet, steps = train_editor(cfg, work / "editor", pairs=pairs, text_table=table.table,
                               latent_channels=vae.config.latent_channels,
                               scaling_factor=vae.config.scaling_factor, progress=progress,
                               time_budget_s=editor_time_budget_s)
    times["editor_s"] = round(time.time() - t, 1)
    # 5. refiner, on the frozen VAE (the editor's latent space is unchanged)
    refiner, refiner_metrics = None, None
    if recipe.refiner is not None:
        from .refiner import train_refiner

        t = time.time()
        refiner, _, refiner_metrics = train_refiner(recipe.refiner, vae, work / "refiner", device=device,
                                                    progress=progress, time_budget_s=refiner_time_budget_s)
        times["refiner_s"] = round(time.time() - t, 1)
    # 6. export
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(work / "tokenizer")
    export_editor(model_out, unet=unet, vae=vae, tokenizer=tok, prediction_type=cfg.prediction_type,
                  max_side=cfg.size, refiner=refiner)
    vae_metrics = json.loads((work / "vae-metrics.json").read_text())
    summary = {"device": torch.cuda.get_device_name() if device.startswith("cuda") else "cpu",
               "editor_steps": steps, "vae_steps": vae_metrics["steps"], "vae_recon_l1": vae_metrics["recon_l1_01"], "times": times, "vae": to_dict(recipe.vae), "editor": to_dict(cfg)}
    if recipe.refiner is not None:
        summary["refiner"] = {**to_dict(recipe.refiner), **refiner_metrics}
    (Path(model_out) / "training.json").write_text(json.dumps(summary, indent=2))
    return summary
