"""The `auto` editor: each instruction goes to the editor that can do it without damaging the picture.

Order, per edit:
  1. the photo engine, when it has an exact operation for the instruction (also when InstructPix2Pix
     weights are loaded: it is faster and keeps the photo's identity; `--editor ip2p` sends
     everything to the diffusion model instead);
  2. InstructPix2Pix weights, when the user has them (given with --model, or in the local HF cache);
  3. DialogPaint-Tiny, only for pictures of its synthetic world (or its own output);
  4. the photo engine's guess, for a thing named without a colour ("make the car blue": the photo's
     main subject, found by saliency and GrabCut; the reply says so);
  5. otherwise `UnsupportedEditError`: the session answers with its message and logs no edit.
Generative editors load on first use, so a session that only needs the photo engine starts fast.

Is: the routing decision and the refusal. Is not: any editing itself.
"""

from __future__ import annotations

from typing import Callable

from PIL import Image

from ..errors import UnsupportedEditError
from .base import EditResult, StepCallback, check_params


def looks_like_world(image: Image.Image, max_colors: int = 1024) -> bool:
    """World renders use a few hundred colours (at most 143 in 300 edited scenes at 128 px); photos
    use thousands. Counted on a 128 px copy."""
    small = image.convert("RGB").resize((128, 128), Image.NEAREST)
    return len(small.getcolors(maxcolors=max_colors + 1) or ()) > 0


def is_world_picture(image: Image.Image) -> bool:
    """A world render, or an image the world model made (its outputs carry more colours)."""
    return image.info.get("dialogpaint_editor") == "tiny" or looks_like_world(image)


class AutoEditor:
    """Routes each instruction (see the module docstring)."""

    name = "auto"

    def __init__(self, photo, *, generative: Callable[[], object] | None = None,
                 world: Callable[[], object] | None = None):
        self.photo = photo                 # the photo engine (exact operations)
        self._generative_factory = generative  # () -> InstructPix2Pix editor, or None: no weights
        self._world_factory = world        # () -> the tiny world model, or None
        self._generative = None
        self._world = None

    @property
    def has_generative(self) -> bool:
        return self._generative_factory is not None

    def generative(self):
        """The InstructPix2Pix editor, loaded on first use (None when its weights turn out unusable)."""
        if self._generative is None and self._generative_factory is not None:
            self._generative = self._generative_factory()
            if self._generative is None:
                self._generative_factory = None
        return self._generative

    def world(self):
        if self._world is None and self._world_factory is not None:
            self._world = self._world_factory()
        return self._world

    def candidates(self, image: Image.Image, instruction: str) -> list[str]:
        """The editors to try, in order: "photo" (exact), "generative", "world", "guess" (see module docstring)."""
        plan = self.photo.plan(instruction)
        order = ["photo"] if plan is not None and plan.exact else []
        if self.has_generative:
            order.append("generative")
        if self._world_factory is not None and is_world_picture(image):
            order.append("world")
        if plan is not None and not plan.exact:
            order.append("guess")
        return order

    def route(self, image: Image.Image, instruction: str) -> str:
        """Which editor the instruction goes to first, or "none"."""
        return next(iter(self.candidates(image, instruction)), "none")

    def edit_with_note(self, image: Image.Image, instruction: str, *, steps: int = 20, text_guidance: float = 7.5,
                       image_guidance: float = 1.5, seed: int = 0, scheduler: str | None = None,
                       callback: StepCallback | None = None) -> EditResult:
        check_params(steps, text_guidance, image_guidance)
        kw = dict(steps=steps, text_guidance=text_guidance, image_guidance=image_guidance, seed=seed,
                  scheduler=scheduler, callback=callback)
        refusal: UnsupportedEditError | None = None
        for where in self.candidates(image, instruction):
            if where in ("photo", "guess"):
                try:
                    return self.photo.edit_with_note(image, instruction, **kw)
                except UnsupportedEditError as e:
                    refusal = e  # e.g. no sky in this photo: a generative model may still do it
            elif where == "generative" and (ed := self.generative()) is not None:
                return EditResult(ed.edit(image, instruction, **kw), f"Edited with {ed.name}.")
            elif where == "world":
                return EditResult(self.world().edit(image, instruction, **kw), None)
        # nothing here can do it without damaging the picture
        from .photo.engine import refusal as refusal_text

        raise refusal or UnsupportedEditError(refusal_text(instruction))

    def edit(self, image: Image.Image, instruction: str, **kw) -> Image.Image:
        return self.edit_with_note(image, instruction, **kw).image
