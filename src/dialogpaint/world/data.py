"""Data drawn from the synthetic world: rendered images and edit pairs, in parallel.

Is: deterministic generation from seeds (pair i of seed s is always the same), with a process pool,
for training (train/) and evaluation (eval/) alike. Is not: the manifest writer (data/edits.py writes
pairs to disk for inspection and other tools).
"""

from __future__ import annotations

import os
import random
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .edits import change_mask, random_edit
from .render import render
from .scene import random_scene


def draw_edit(key: str, pre_edit_prob: float = 0.3):
    """The world edit drawn for `key`: a random scene, already edited once with probability
    `pre_edit_prob`, then one random edit. Training, data and evaluation all draw through here."""
    rng = random.Random(key)
    scene = random_scene(rng)
    if rng.random() < pre_edit_prob:
        scene = random_edit(scene, rng).after
    return random_edit(scene, rng)


def make_pair(key: str, size: int = 128, pre_edit_prob: float = 0.3):
    """(source uint8 HxWx3, target uint8, instruction, family, mask bool HxW) for one key."""
    e = draw_edit(key, pre_edit_prob)
    src, tgt = np.asarray(render(e.before, size)), np.asarray(render(e.after, size))
    return src, tgt, e.instruction, e.family, change_mask(src, tgt)


def _chunk(args):
    keys, size, p = args
    return [make_pair(k, size, p) for k in keys]


def _render_chunk(args):
    keys, size, p = args
    out = []
    for k in keys:
        rng = random.Random(k)
        scene = random_scene(rng)
        if rng.random() < p:
            scene = random_edit(scene, rng).after
        if rng.random() < p:
            scene = random_edit(scene, rng).after
        out.append(np.asarray(render(scene, size)))
    return out


def _parallel(fn, keys, size, p, workers=None, progress=None):
    from tqdm.auto import tqdm

    workers = workers or min(16, os.cpu_count() or 1)
    chunks = [keys[i:i + 256] for i in range(0, len(keys), 256)]
    out = []
    bar = tqdm(total=len(keys), desc=progress or "rendering", disable=progress is False)
    if workers == 1:
        for c in chunks:
            out += fn((c, size, p))
            bar.update(len(c))
    else:
        with ProcessPoolExecutor(workers) as ex:
            for res in ex.map(fn, [(c, size, p) for c in chunks]):
                out += res
                bar.update(len(res))
    bar.close()
    return out


def world_pairs(n: int, seed: int, size: int = 128, pre_edit_prob: float = 0.3, prefix: str = "train", **kw):
    """n pairs as arrays: src (n,H,W,3) uint8, tgt, mask (n,H,W) bool, instructions, families."""
    rows = _parallel(_chunk, [f"{prefix}:{seed}:{i}" for i in range(n)], size, pre_edit_prob, **kw)
    src = np.stack([r[0] for r in rows])
    tgt = np.stack([r[1] for r in rows])
    mask = np.stack([r[4] for r in rows])
    return src, tgt, mask, [r[2] for r in rows], [r[3] for r in rows]


def world_images(n: int, seed: int, size: int = 128, edit_prob: float = 0.5, **kw) -> np.ndarray:
    """n rendered scenes (some edited: styles, night, weather), (n,H,W,3) uint8."""
    return np.stack(_parallel(_render_chunk, [f"vae:{seed}:{i}" for i in range(n)], size, edit_prob, **kw))
