"""The editor protocol, its parameters, and the identity editor.

Is: what every editor offers the session (`edit(image, instruction, params, seed)`, and optionally
`edit_with_note`, which also says what it did), parameter validation in one place. Is not: any
diffusion code (see `pipeline.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Protocol, runtime_checkable

from PIL import Image

from ..errors import ConfigError

StepCallback = Callable[[int, int], None]  # (steps done, steps in all)

STEPS_RANGE = (1, 500)
GUIDANCE_RANGE = (0.0, 30.0)
SEED_RANGE = (0, 2**32 - 1)  # exact in JSON/JavaScript numbers and in SQLite integers


@dataclass(frozen=True)
class EditParams:
    steps: int = 20                 # denoising steps
    text_guidance: float = 7.5      # s_T, paper eq. 3
    image_guidance: float = 1.5     # s_I, paper eq. 3
    scheduler: str | None = None    # scheduler name (euler_a, ddim, dpm++, euler); None: the model's own

    def __post_init__(self):
        check_params(self.steps, self.text_guidance, self.image_guidance)

    def replace(self, **changes) -> "EditParams":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def check_params(steps: int, text_guidance: float, image_guidance: float) -> None:
    """Raise `ConfigError` for a step count or guidance scale out of range."""
    lo, hi = STEPS_RANGE
    if not isinstance(steps, int) or isinstance(steps, bool) or not lo <= steps <= hi:
        raise ConfigError(f"steps must be a whole number from {lo} to {hi}, got {steps!r}")
    lo, hi = GUIDANCE_RANGE
    for name, v in (("text_guidance", text_guidance), ("image_guidance", image_guidance)):
        if not isinstance(v, (int, float)) or not lo <= float(v) <= hi:
            raise ConfigError(f"{name} must be from {lo:g} to {hi:g}, got {v!r}")


def check_seed(seed) -> int:
    """`seed` as an int; `ConfigError` for anything that is not a whole number in SEED_RANGE."""
    lo, hi = SEED_RANGE
    if isinstance(seed, bool) or not isinstance(seed, int) or not lo <= seed <= hi:
        raise ConfigError(f"seed must be a whole number from {lo} to {hi}, got {seed!r}")
    return seed


@dataclass(frozen=True)
class EditResult:
    """What `edit_with_note` returns: the image and, optionally, what was done in words."""

    image: Image.Image
    note: str | None = None    # for the reply ("Photo engine: made it night ..."); None: nothing to add


@runtime_checkable
class Editor(Protocol):
    """Applies one explicit instruction to one image. Never sees the conversation."""

    name: str

    def edit(
        self,
        image: Image.Image,
        instruction: str,
        *,
        steps: int = 20,
        text_guidance: float = 7.5,
        image_guidance: float = 1.5,
        seed: int = 0,
        scheduler: str | None = None,
        callback: StepCallback | None = None,
    ) -> Image.Image: ...


def edit_with_note(editor, image: Image.Image, instruction: str, **kw) -> EditResult:
    """Run `editor` on one instruction; editors that can say what they did offer `edit_with_note`."""
    fn = getattr(editor, "edit_with_note", None)
    if fn is not None:
        return fn(image, instruction, **kw)
    return EditResult(editor.edit(image, instruction, **kw))


class IdentityEditor:
    """Returns its input unchanged: for tests, dialogue benchmarks and the identity baseline."""

    name = "identity"

    def edit(self, image, instruction, *, steps=20, text_guidance=7.5, image_guidance=1.5, seed=0,
             scheduler=None, callback=None):
        check_params(steps, text_guidance, image_guidance)
        if callback is not None:
            callback(steps, steps)
        return image.copy()
