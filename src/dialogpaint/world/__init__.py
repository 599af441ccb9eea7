"""The synthetic world: procedural scenes with captions and exact edits (training data, ground truth)."""

from .render import render
from .scene import COLORS, GROUNDS, KINDS, STYLES, TIMES, WEATHERS, Scene, Thing, random_scene


def example_scene(seed: int = 0, size: int = 256):
    """(image, caption) of a generated example scene, for starting a session without an image."""
    scene = random_scene(seed, min_things=2, max_things=3)
    return render(scene, size), scene.caption()


__all__ = ["COLORS", "GROUNDS", "KINDS", "STYLES", "Scene", "TIMES", "Thing", "WEATHERS", "example_scene",
           "random_scene", "render"]
