"""The learning-rate schedule every trainer here uses: a linear warm-up, then a cosine down to a tenth.

Is: one function, shared by the VAE, editor and refiner trainers. Is not: an optimizer or a loop.
"""

from __future__ import annotations

import math


def cosine_lr(base: float, step: int, steps: int, elapsed_s: float = 0.0, budget_s: float | None = None,
              warmup: int = 0) -> float:
    """The learning rate at `step`: linear warm-up over `warmup` steps, then a cosine from `base` to 0.1 x
    `base` over the `steps`, or over the time budget `budget_s` if that ends first."""
    frac = step / steps
    if budget_s is not None:
        frac = max(frac, elapsed_s / budget_s)
    warm = min(1.0, (step + 1) / warmup) if warmup else 1.0
    return base * warm * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, frac))))
