"""Reading the parts of an InstructPix2Pix-form model (unet, vae, text encoder, tokenizer, scheduler).

Is: a diffusers folder or hub id (the standard InstructPix2Pix layout), or a DialogPaint folder
(dialogpaint.json: its text encoder comes from a package), into a dict of components. Is not: the
editor (pipeline.py, which builds on these) or the names users choose editors by (loading.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError


def folder_options(folder) -> dict:
    """dialogpaint.json of a model folder (text encoder name, working size), or {}."""
    p = Path(folder) / "dialogpaint.json"
    return json.loads(p.read_text()) if p.is_file() else {}


def optional_parts(folder: Path) -> dict:
    """What a DialogPaint folder may add to the five parts: the tiny model's refiner (editing/refiner.py)."""
    if (folder / "refiner" / "config.json").is_file():
        from .refiner import Refiner

        return {"refiner": Refiner.from_pretrained(folder / "refiner")}
    return {}


def _load_bundled_layout(folder: Path, opts: dict, dtype=None) -> dict:
    """A DialogPaint folder: unet/, vae/, scheduler/, tokenizer/ + a text encoder shipped by a package."""
    import diffusers
    from transformers import AutoTokenizer

    from .text_encoders import TEXT_ENCODERS

    index = json.loads((folder / "model_index.json").read_text())
    name = opts.get("text_encoder")
    if name not in TEXT_ENCODERS:
        raise ConfigError(f"{folder}/dialogpaint.json names text encoder {name!r}; known: {', '.join(TEXT_ENCODERS)}")
    encoder, _ = TEXT_ENCODERS[name](opts.get("max_text_tokens", 32))
    tokenizer = AutoTokenizer.from_pretrained(folder / "tokenizer", model_max_length=opts.get("max_text_tokens", 32))
    sched_cls = getattr(diffusers, index["scheduler"][1])
    extra = optional_parts(folder)
    return dict(unet=diffusers.UNet2DConditionModel.from_pretrained(folder, subfolder="unet", torch_dtype=dtype),
                vae=diffusers.AutoencoderKL.from_pretrained(folder, subfolder="vae", torch_dtype=dtype),
                text_encoder=encoder, tokenizer=tokenizer,
                scheduler=sched_cls.from_pretrained(folder, subfolder="scheduler"), **extra)


def load_components(folder_or_hub_id, *, local_files_only=None, dtype=None, native: bool = False) -> dict:
    """unet, vae, text_encoder, tokenizer, scheduler from the diffusers layout of InstructPix2Pix.

    With `native` (the editor's inference path), a DialogPaint folder whose parts native.py covers loads them
    in plain torch (a fast start: no diffusers or transformers import); everything else, and every caller
    that needs the library classes (training, the benchmark's peer), gets diffusers' and transformers'."""
    src = str(folder_or_hub_id)
    is_local = Path(src).is_dir()
    if is_local and not (Path(src) / "model_index.json").is_file():
        raise ConfigError(f"'{src}' is not a diffusers model folder (no model_index.json)")
    if is_local and (opts := folder_options(src)):
        if native:
            from .native import load_native_parts

            if (parts := load_native_parts(Path(src), opts, dtype)) is not None:
                return parts
        return _load_bundled_layout(Path(src), opts, dtype)
    from diffusers import StableDiffusionInstructPix2PixPipeline

    try:
        pipe = StableDiffusionInstructPix2PixPipeline.from_pretrained(
            src, safety_checker=None, feature_extractor=None, requires_safety_checker=False,
            torch_dtype=dtype, local_files_only=bool(local_files_only) or is_local)
    except (OSError, KeyError, ValueError, TypeError) as e:  # missing files, or a malformed model_index.json
        where = "folder" if is_local else "hub id (not in the local cache, or no network)"
        raise ConfigError(f"could not load InstructPix2Pix weights from {where} {src!r}: {e}") from None
    return dict(unet=pipe.unet, vae=pipe.vae, text_encoder=pipe.text_encoder, tokenizer=pipe.tokenizer,
                scheduler=pipe.scheduler)
