"""Edits on scene graphs: each one an instruction, the edited scene, and so an exact target image.

Families: color, replace, add, remove, size, ground, time, weather, style. Each has several
phrasings, among them the paper's kinds of request ("move it to the beach", "make it night").
`random_edit` draws one that applies to a scene; `change_mask` gives the exact changed pixels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np

from .scene import COLORS, DEFAULT_COLOR, GROUNDS, KINDS, STYLES, TIMES, Scene, Thing

FAMILIES = ("color", "replace", "add", "remove", "size", "ground", "time", "weather", "style")
FAMILY_WEIGHTS = (20, 12, 12, 12, 6, 10, 10, 8, 10)

PHRASES = {
    "color": ["make the {kind} {color}", "turn the {kind} {color}", "change the color of the {kind} to {color}",
              "paint the {kind} {color}", "I want the {kind} to be {color}", "can you make the {kind} {color}?",
              "recolor the {kind} {color}", "the {kind} should be {color}"],
    "replace": ["replace the {kind} with a {new}", "turn the {kind} into a {new}", "swap the {kind} for a {new}",
                "change the {kind} to a {new}", "make the {kind} a {new}", "instead of the {kind}, put a {new}"],
    "add": ["add a {color} {kind}", "put a {color} {kind} in the picture", "draw a {color} {kind}",
            "insert a {color} {kind}", "can you add a {color} {kind}?", "I'd like a {color} {kind} too"],
    "remove": ["remove the {kind}", "delete the {kind}", "take away the {kind}", "get rid of the {kind}",
               "erase the {kind}", "make the {kind} disappear"],
    "size": ["make the {kind} {bigger}", "make the {kind} a bit {bigger}", "the {kind} should be {bigger}",
             "{grow} the {kind}"],
    "ground": {"sand": ["move it to the beach", "put it on sand", "make the ground sandy", "change the ground to sand"],
               "snow": ["put it in the snow", "make the ground snowy", "change the ground to snow", "move it to a snowfield"],
               "water": ["put it on the sea", "make the ground water", "move it onto the ocean", "change the ground to water"],
               "road": ["put it on a road", "make the ground a road", "move it to the street", "change the ground to asphalt"],
               "grass": ["move it to a meadow", "put it on grass", "make the ground grassy", "change the ground to grass"]},
    "time": {"day": ["make it daytime", "make it day", "turn it into a sunny day", "make it midday"],
             "sunset": ["make it sunset", "turn it into a sunset", "make it evening", "show it at dusk"],
             "night": ["make it night", "turn it into night", "make it nighttime", "show it at night"]},
    "weather": {"snow": ["make it snow", "add falling snow", "let it snow", "make it snowy weather"],
                "rain": ["make it rain", "add rain", "let it rain", "make it a rainy day"],
                "clear": ["stop the weather", "make the weather clear", "remove the snow and rain", "clear the sky"]},
    "style": {"sepia": ["make it sepia", "give it an old photo look", "make it look vintage", "apply a sepia filter"],
              "sketch": ["make it a pencil sketch", "turn it into a sketch", "make it look hand drawn", "draw it as a sketch"],
              "pixel": ["make it pixel art", "pixelate it", "turn it into 8-bit pixel art", "make it look like a retro game"],
              "photo": ["remove the filter", "make it a normal picture again", "undo the style", "make it look realistic"]},
}
_BIGGER = {"small": "medium", "medium": "large"}
_SMALLER = {"large": "medium", "medium": "small"}


@dataclass(frozen=True)
class WorldEdit:
    family: str
    instruction: str
    before: Scene
    after: Scene


def _phrase(rng: random.Random, family: str, key: str | None = None, **kw) -> str:
    options = PHRASES[family] if key is None else PHRASES[family][key]
    return rng.choice(options).format(**kw)


def _replace_thing(scene: Scene, old: Thing, new: Thing) -> Scene:
    return scene.with_things([new if t is old else t for t in scene.things])


def applicable(scene: Scene) -> list[str]:
    """The families that can change this scene."""
    fams = []
    if scene.things:
        fams += ["color", "remove"]
        if any(k not in {t.kind for t in scene.things} for k in KINDS):
            fams.append("replace")
        fams.append("size")  # small things can grow, large ones shrink, medium ones either
    if scene.free_slots():
        fams.append("add")
    fams += ["ground", "time", "weather"]
    if scene.style == "photo":
        fams.append("style")
    return [f for f in FAMILIES if f in fams]


def make_edit(scene: Scene, family: str, rng: random.Random) -> WorldEdit:
    """One edit of `family` on `scene` (raises ValueError if the family does not apply)."""
    if family not in applicable(scene):
        raise ValueError(f"{family} does not apply to this scene")
    kinds_present = {t.kind for t in scene.things}
    if family == "color":
        t = rng.choice(scene.things)
        color = rng.choice([c for c in COLORS if c != t.color])
        after = _replace_thing(scene, t, replace(t, color=color))
        text = _phrase(rng, "color", kind=t.kind, color=color)
    elif family == "replace":
        t = rng.choice(scene.things)
        new = rng.choice([k for k in KINDS if k not in kinds_present])
        after = _replace_thing(scene, t, replace(t, kind=new))
        text = _phrase(rng, "replace", kind=t.kind, new=new)
    elif family == "add":
        kind = rng.choice([k for k in KINDS if k not in kinds_present])
        color = DEFAULT_COLOR[kind] if rng.random() < 0.4 else rng.choice(list(COLORS))
        after = scene.with_things(list(scene.things) + [Thing(kind, color, "medium", scene.free_slots()[0])])
        text = _phrase(rng, "add", kind=kind, color=color)
    elif family == "remove":
        t = rng.choice(scene.things)
        after = scene.with_things([x for x in scene.things if x is not t])
        text = _phrase(rng, "remove", kind=t.kind)
    elif family == "size":
        t = rng.choice(scene.things)
        grow = t.size == "small" or (t.size == "medium" and rng.random() < 0.5)
        after = _replace_thing(scene, t, replace(t, size=(_BIGGER if grow else _SMALLER)[t.size]))
        text = _phrase(rng, "size", kind=t.kind, bigger="bigger" if grow else "smaller",
                       grow="enlarge" if grow else "shrink")
    elif family == "ground":
        g = rng.choice([g for g in GROUNDS if g != scene.ground])
        after, text = replace(scene, ground=g), _phrase(rng, "ground", g)
    elif family == "time":
        tm = rng.choice([t for t in TIMES if t != scene.time])
        after, text = replace(scene, time=tm), _phrase(rng, "time", tm)
    elif family == "weather":
        w = rng.choice([w for w in ("snow", "rain", "clear") if w != scene.weather])
        after, text = replace(scene, weather=w), _phrase(rng, "weather", w)
    elif family == "style":
        s = rng.choice([s for s in STYLES if s != "photo"])
        after, text = replace(scene, style=s), _phrase(rng, "style", s)
    else:
        raise ValueError(f"unknown family {family!r}")
    return WorldEdit(family, text, scene, after)


def random_edit(scene: Scene, rng: random.Random, families: tuple[str, ...] = FAMILIES) -> WorldEdit:
    fams = [f for f in applicable(scene) if f in families]
    weights = [FAMILY_WEIGHTS[FAMILIES.index(f)] for f in fams]
    return make_edit(scene, rng.choices(fams, weights)[0], rng)


def change_mask(before: np.ndarray, after: np.ndarray, tol: int = 8) -> np.ndarray:
    """(H, W) bool: pixels whose colour differs by more than `tol` (of 255) in any channel."""
    return (np.abs(before.astype(np.int16) - after.astype(np.int16)) > tol).any(-1)


def all_instructions() -> list[str]:
    """Every instruction `make_edit` can produce (for caching text encodings once)."""
    kinds, colors = list(KINDS), list(COLORS)
    out: set[str] = set()
    for fam, phrases in PHRASES.items():
        if isinstance(phrases, dict):
            out.update(p for ps in phrases.values() for p in ps)
            continue
        for p in phrases:
            for kind in kinds:
                if fam in ("color", "add"):
                    out.update(p.format(kind=kind, color=c) for c in colors)
                elif fam == "replace":
                    out.update(p.format(kind=kind, new=n) for n in kinds if n != kind)
                elif fam == "remove":
                    out.add(p.format(kind=kind))
                elif fam == "size":
                    out.add(p.format(kind=kind, bigger="bigger", grow="enlarge"))
                    out.add(p.format(kind=kind, bigger="smaller", grow="shrink"))
    return sorted(out)
