"""The editing benchmark on the world, in the MagicBrush protocol.

Single-turn: each edit applied to the ground-truth input. 3-turn chains: each edit applied to the
model's own previous output; the final image is scored against the final ground truth. Scores on a
[0, 1] scale: L1 and L2 to the target, the error inside the changed region (pixels the exact edit
changes) and outside it, and success = inside error <= `changed_tol` and outside error <= `keep_tol`.
Systems: the model with its guidance, the same model with dual guidance off (s_I = s_T = 1), and the
identity baseline (input returned). Held-out scenes come from a seed stream that training never
uses, and any that equals a training scene is skipped.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm.auto import tqdm

from ..world.data import draw_edit
from ..world import render
from ..world.edits import FAMILIES, change_mask, random_edit
from ..world.scene import random_scene


@dataclass(frozen=True)
class EvalConfig:
    n_single: int = 500          # single-turn edits
    n_chains: int = 100          # 3-turn chains
    chain_len: int = 3           # turns per chain
    seed: int = 0                # held-out seed stream ("eval:{seed}:{i}")
    size: int = 128              # image side
    steps: int = 20              # denoising steps
    text_guidance: float = 7.5   # s_T of the model row
    image_guidance: float = 1.5  # s_I of the model row
    changed_tol: float = 0.10    # success: mean abs error inside the changed region at most this ...
    gap_ratio: float = 0.5       # ... and at most this fraction of the input's own error there
    keep_tol: float = 0.03       # success: mean abs error outside the changed region at most this


def _scene_key(scene) -> str:
    return repr(scene)


def training_scene_keys(training: dict | None) -> set[str]:
    """Scene graphs the tiny recipe trained on (regenerated from its seeds; no rendering)."""
    if not training or "editor" not in training:
        return set()
    cfg = training["editor"]
    return {_scene_key(draw_edit(f"train:{cfg['seed']}:{i}", cfg["pre_edit_prob"]).before)
            for i in range(cfg["pairs"])}


def single_items(cfg: EvalConfig, exclude: set[str]):
    items, i = [], 0
    while len(items) < cfg.n_single:
        e = draw_edit(f"eval:{cfg.seed}:{i}", 0.3)
        i += 1
        if _scene_key(e.before) in exclude:
            continue
        items.append((e.family, e.instruction, render(e.before, cfg.size), render(e.after, cfg.size)))
    return items


def chain_items(cfg: EvalConfig, exclude: set[str]):
    chains, i = [], 0
    while len(chains) < cfg.n_chains:
        rng = random.Random(f"evalchain:{cfg.seed}:{i}")
        i += 1
        scene = random_scene(rng)
        if _scene_key(scene) in exclude:
            continue
        start, steps = scene, []
        for _ in range(cfg.chain_len):
            e = random_edit(scene, rng)
            steps.append(e.instruction)
            scene = e.after
        chains.append((steps, render(start, cfg.size), render(scene, cfg.size)))
    return chains


def score(src: Image.Image, tgt: Image.Image, out: Image.Image, cfg: EvalConfig) -> dict:
    s, t, o = (np.asarray(x, dtype=np.float32) / 255 for x in (src, tgt, out.resize(tgt.size)))
    mask = change_mask(np.asarray(src), np.asarray(tgt))
    err = np.abs(o - t).mean(-1)  # (H, W)
    gap = np.abs(s - t).mean(-1)  # the input's own error
    inside = float(err[mask].mean()) if mask.any() else 0.0
    gap_in = float(gap[mask].mean()) if mask.any() else 0.0
    outside = float(err[~mask].mean()) if (~mask).any() else 0.0
    ok = inside <= cfg.changed_tol and inside <= cfg.gap_ratio * gap_in and outside <= cfg.keep_tol
    return {"l1": float(np.abs(o - t).mean()), "l2": float(((o - t) ** 2).mean()), "in": inside, "out": outside,
            "success": bool(ok)}


def _agg(rows: list[dict]) -> dict:
    if not rows:
        return {}
    return {"n": len(rows), "l1": statistics.fmean(r["l1"] for r in rows), "l2": statistics.fmean(r["l2"] for r in rows),
            "in": statistics.fmean(r["in"] for r in rows), "out": statistics.fmean(r["out"] for r in rows),
            "success": statistics.fmean(r["success"] for r in rows)}


def run_eval(editor, cfg: EvalConfig, out_dir: str | Path, training: dict | None = None, progress=None) -> dict:
    """Score `editor` on the held-out set; write results.json, table.md and samples.png to out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    exclude = training_scene_keys(training)
    singles = single_items(cfg, exclude)
    chains = chain_items(cfg, exclude) if cfg.n_chains else []
    systems = {"model": (cfg.text_guidance, cfg.image_guidance), "guidance off": (1.0, 1.0), "identity": None}
    per = {name: [] for name in systems}
    seconds = []
    samples = []
    bar = tqdm(total=len(singles) * 2 + len(chains) * cfg.chain_len * 2, desc="eval", disable=progress is False)
    # 1. single-turn, from the ground-truth input
    for k, (fam, instr, src, tgt) in enumerate(singles):
        for name, g in systems.items():
            if g is None:
                out = src
            else:
                t0 = time.perf_counter()
                out = editor.edit(src, instr, steps=cfg.steps, text_guidance=g[0], image_guidance=g[1], seed=k)
                if name == "model":
                    seconds.append(time.perf_counter() - t0)
                    if len(samples) < 16 and k % max(1, len(singles) // 16) == 0:
                        samples.append((src, tgt, out, instr))
                bar.update(1)
            per[name].append({"family": fam, **score(src, tgt, out, cfg)})
    # 2. chains, on the model's own outputs
    chain_rows = {name: [] for name in systems}
    for k, (instrs, src, final) in enumerate(chains):
        for name, g in systems.items():
            img = src
            if g is not None:
                for j, instr in enumerate(instrs):
                    img = editor.edit(img, instr, steps=cfg.steps, text_guidance=g[0], image_guidance=g[1],
                                      seed=10_000 + 10 * k + j)
                    bar.update(1)
            chain_rows[name].append(score(src, final, img, cfg))
    bar.close()
    result = {"config": asdict(cfg), "editor": getattr(editor, "name", "?"),
              "excluded_training_scenes": len(exclude) > 0,
              "seconds_per_edit": statistics.median(seconds) if seconds else None,
              "single": {name: {"all": _agg(rows), **{f: _agg([r for r in rows if r["family"] == f])
                                                       for f in FAMILIES}} for name, rows in per.items()},
              "chains": {name: _agg(rows) for name, rows in chain_rows.items()}}
    (out_dir / "results.json").write_text(json.dumps(result, indent=2))
    (out_dir / "table.md").write_text(table(result))
    if samples:
        sample_grid(samples).save(out_dir / "samples.png")
    return result


def table(r: dict) -> str:
    c = r["config"]
    lines = [f"Editor `{r['editor']}`, {c['steps']} steps, s_T {c['text_guidance']}, s_I {c['image_guidance']}; "
             f"success = error inside the changed region <= {c['changed_tol']} and <= {c['gap_ratio']} x the input's "
             f"own error there, and outside <= {c['keep_tol']} (mean abs, 0-1 scale). Median seconds per edit: {r['seconds_per_edit'] or 0:.2f}.", "",
             "| set | family | n | system | L1 | L2 | err in | err out | success |", "|---|---|---|---|---|---|---|---|---|"]
    for fam in ("all",) + FAMILIES:
        for name, res in r["single"].items():
            a = res.get(fam)
            if a:
                lines.append(f"| single | {fam} | {a['n']} | {name} | {a['l1']:.4f} | {a['l2']:.4f} | {a['in']:.3f} | "
                             f"{a['out']:.3f} | {100 * a['success']:.1f}% |")
    for name, a in r["chains"].items():
        if a:
            lines.append(f"| 3-turn final | all | {a['n']} | {name} | {a['l1']:.4f} | {a['l2']:.4f} | {a['in']:.3f} | "
                         f"{a['out']:.3f} | {100 * a['success']:.1f}% |")
    return "\n".join(lines) + "\n"


def sample_grid(samples, tile: int = 128) -> Image.Image:
    """Rows of input | target | output with the instruction above them."""
    from PIL import ImageDraw

    from ..storyboard import _font

    head = 16
    sheet = Image.new("RGB", (3 * tile + 4 * 4, len(samples) * (tile + head + 4) + 4), "white")
    d = ImageDraw.Draw(sheet)
    font = _font(12)
    for i, (src, tgt, out, instr) in enumerate(samples):
        y = 4 + i * (tile + head + 4)
        d.text((4, y), instr[:60], fill=(0, 0, 0), font=font)
        for j, im in enumerate((src, tgt, out)):
            sheet.paste(im.resize((tile, tile)), (4 + j * (tile + 4), y + head))
    return sheet
