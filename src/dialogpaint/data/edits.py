"""Edit-pair dataset construction (paper Sec. 3.1.2 and Stage 2), resumable.

    caption --teacher--> instruction + edited caption --maker--> edited image --filter--> manifest

Sources: scenes of the synthetic world (caption and scene graph), or a JSONL of {image, caption}.
Makers: the world's renderer (exact target and mask), or any editor (e.g. real InstructPix2Pix).
Filter: the size of the change between original and edited image, by pixels (default) or by CLIP
image embeddings when the user has CLIP weights. Output: `manifest.jsonl`, PNGs under `images/`,
and `stats.json` with what each stage kept.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm.auto import tqdm

from ..errors import ConfigError
from ..images import open_image
from ..world import render
from ..world.edits import change_mask
from ..world.scene import Scene, random_scene


@dataclass(frozen=True)
class FilterConfig:
    min_changed: float = 0.002   # drop pairs that change less than this fraction of pixels (nothing happened)
    max_changed: float = 1.0     # drop pairs that change more (set < 1 to reject wholesale redraws)
    tol: int = 8                 # per-channel difference (of 255) that counts as a change
    clip_model: str | None = None  # a local CLIP folder: filter on CLIP image similarity instead
    min_clip_sim: float = 0.70   # with clip_model: keep pairs whose images are at least this similar ...
    max_clip_sim: float = 0.995  # ... and at most this similar (something must change)


class ChangeFilter:
    def __init__(self, cfg: FilterConfig):
        self.cfg = cfg
        self._clip = None
        if cfg.clip_model:
            from transformers import CLIPModel, CLIPProcessor

            if not Path(cfg.clip_model).is_dir():
                raise ConfigError(f"CLIP folder '{cfg.clip_model}' does not exist")
            self._clip = (CLIPModel.from_pretrained(cfg.clip_model).eval(), CLIPProcessor.from_pretrained(cfg.clip_model))

    def measure(self, a: Image.Image, b: Image.Image) -> dict:
        x, y = np.asarray(a), np.asarray(b.resize(a.size))
        out = {"changed": float(change_mask(x, y, self.cfg.tol).mean())}
        if self._clip is not None:
            import torch

            model, proc = self._clip
            with torch.inference_mode():
                f = model.get_image_features(**proc(images=[a, b], return_tensors="pt"))
            f = f / f.norm(dim=-1, keepdim=True)
            out["clip_sim"] = float(f[0] @ f[1])
        return out

    def reason_to_drop(self, m: dict) -> str | None:
        c = self.cfg
        if "clip_sim" in m:
            if m["clip_sim"] > c.max_clip_sim:
                return "too_small"
            if m["clip_sim"] < c.min_clip_sim:
                return "too_large"
            return None
        if m["changed"] < c.min_changed:
            return "too_small"
        if m["changed"] > c.max_changed:
            return "too_large"
        return None


def scene_to_json(s: Scene) -> dict:
    return asdict(s)


def world_sources(n: int, seed: int):
    """(id, image=None, caption, scene) for n world scenes from a seed; ids are stable across runs."""
    for i in range(n):
        scene = random_scene(random.Random(f"{seed}:{i}"))
        yield f"w{seed}-{i:06d}", None, scene.caption(), scene


def jsonl_sources(path: str | Path):
    """(id, image, caption, None) from a JSONL of {"image": path, "caption": text}."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"captions file '{p}' does not exist")
    for k, line in enumerate(p.read_text().splitlines()):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            img_path = Path(row["image"])
            caption = str(row["caption"])
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ConfigError(f"{p}:{k + 1}: each line must be JSON with 'image' and 'caption'") from None
        if not img_path.is_absolute():
            img_path = p.parent / img_path
        yield f"c{k:06d}", str(img_path), caption, None


def build_edit_pairs(out: str | Path, sources, n: int, *, teacher, maker=None, filt: ChangeFilter | None = None,
                     seed: int = 0, size: int = 128, progress: bool | None = None) -> dict:
    """Write up to n kept pairs to `out` (resumes: ids already in the manifest are skipped)."""
    out = Path(out)
    (out / "images").mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.jsonl"
    done = set()
    if manifest.exists():
        for line in manifest.read_text().splitlines():
            try:
                done.add(json.loads(line)["id"])
            except (json.JSONDecodeError, KeyError):
                continue  # a half-written last line from an interrupted run
    stats_path = out / "stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {
        "captions": 0, "proposed": 0, "malformed": 0, "edited": 0, "too_small": 0, "too_large": 0, "kept": 0}
    stats["kept"] = len(done)
    filt = filt or ChangeFilter(FilterConfig())
    bar = tqdm(total=n, initial=min(len(done), n), desc="edit pairs", disable=progress is False)
    with manifest.open("a") as f:
        for sid, img_path, caption, scene in sources:
            if stats["kept"] >= n:
                break
            if sid in done:
                continue
            rng = random.Random(f"{seed}:{sid}")
            stats["captions"] += 1
            # 1. teacher: caption -> instruction + edited caption
            prop = teacher.propose(caption, rng, scene)
            if prop is None:
                stats["malformed"] += 1
                continue
            stats["proposed"] += 1
            # 2. maker: the edited image
            if prop.edit is not None:
                src, tgt = render(prop.edit.before, size), render(prop.edit.after, size)
            else:
                if maker is None:
                    raise ConfigError("free-form instructions need an editor to make the edited images (--editor)")
                src = open_image(img_path) if img_path else render(scene, size)
                tgt = maker.edit(src, prop.instruction, seed=rng.randrange(2**31))
            stats["edited"] += 1
            # 3. filter on the size of the change
            m = filt.measure(src, tgt)
            why = filt.reason_to_drop(m)
            if why:
                stats[why] += 1
                continue
            # 4. manifest row, images first so a row never points to a missing file
            src.save(out / "images" / f"{sid}_0.png")
            tgt.save(out / "images" / f"{sid}_1.png")
            row = {"id": sid, "source": f"images/{sid}_0.png", "target": f"images/{sid}_1.png",
                   "instruction": prop.instruction, "caption": caption, "edited_caption": prop.edited_caption,
                   "family": prop.family, **m}
            if scene is not None:
                row["scene"] = scene_to_json(scene)
            if prop.edit is not None:
                row["edited_scene"] = scene_to_json(prop.edit.after)
            f.write(json.dumps(row) + "\n")
            f.flush()
            stats["kept"] += 1
            bar.update(1)
            stats_path.write_text(json.dumps(stats, indent=2))
    bar.close()
    stats_path.write_text(json.dumps(stats, indent=2))
    return stats


def read_manifest(folder: str | Path) -> list[dict]:
    """Rows of a pairs folder (`manifest.jsonl` with source/target paths relative to the folder)."""
    folder = Path(folder)
    m = folder / "manifest.jsonl"
    if not m.is_file():
        raise ConfigError(f"'{folder}' has no manifest.jsonl (make one with `dialogpaint data edits`)")
    rows = []
    for line in m.read_text().splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows
