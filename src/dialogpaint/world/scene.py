"""Scene graphs of the synthetic world, and their captions.

Is: the vocabulary (kinds, colours, grounds, times, weathers, styles), the frozen `Scene` and `Thing`
dataclasses, captions, and random scenes from a seed. Is not: drawing (render.py) or edits (edits.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

# name -> RGB
COLORS: dict[str, tuple[int, int, int]] = {
    "red": (215, 40, 40), "orange": (240, 140, 30), "yellow": (245, 215, 40), "green": (50, 170, 60),
    "blue": (40, 90, 220), "purple": (140, 60, 190), "pink": (240, 130, 190), "white": (245, 245, 245),
    "black": (35, 35, 40), "brown": (130, 80, 40),
}
SKY_KINDS = ("sun", "moon", "star", "cloud")               # drawn in the sky band
GROUND_KINDS = ("tree", "house", "car", "ball", "flower", "heart")  # drawn standing on the ground
KINDS = GROUND_KINDS + SKY_KINDS
DEFAULT_COLOR = {"sun": "yellow", "moon": "white", "star": "yellow", "cloud": "white", "tree": "green",
                 "house": "red", "car": "blue", "ball": "red", "flower": "pink", "heart": "red"}
GROUNDS = {"grass": (70, 160, 60), "sand": (225, 200, 130), "snow": (240, 244, 250), "water": (40, 110, 190),
           "road": (95, 95, 100)}
GROUND_PLACE = {"grass": "on a meadow", "sand": "on the beach", "snow": "in a snowfield", "water": "on the sea",
                "road": "on a road"}
TIMES = ("day", "sunset", "night")
WEATHERS = ("clear", "snow", "rain")
STYLES = ("photo", "sepia", "sketch", "pixel")
SIZES = {"small": 0.075, "medium": 0.1, "large": 0.13}  # radius as a fraction of the image side
SLOTS = (0.14, 0.38, 0.62, 0.86)                          # horizontal positions, one thing per slot


@dataclass(frozen=True)
class Thing:
    kind: str
    color: str
    size: str = "medium"
    slot: int = 0

    def describe(self) -> str:
        size = "" if self.size == "medium" else self.size + " "
        return f"a {size}{self.color} {self.kind}"


@dataclass(frozen=True)
class Scene:
    things: tuple[Thing, ...] = field(default_factory=tuple)
    ground: str = "grass"
    time: str = "day"
    weather: str = "clear"
    style: str = "photo"

    def caption(self) -> str:
        names = [t.describe() for t in sorted(self.things, key=lambda t: t.slot)]
        objs = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else "nothing"
        sky = {"day": "under a blue sky", "sunset": "at sunset", "night": "at night"}[self.time]
        weather = {"clear": "", "snow": ", snowing", "rain": ", raining"}[self.weather]
        style = {"photo": "", "sepia": ", in sepia", "sketch": ", as a pencil sketch", "pixel": ", as pixel art"}[self.style]
        return f"{objs} {GROUND_PLACE[self.ground]} {sky}{weather}{style}"

    def find(self, kind: str) -> Thing | None:
        return next((t for t in self.things if t.kind == kind), None)

    def free_slots(self) -> list[int]:
        used = {t.slot for t in self.things}
        return [s for s in range(len(SLOTS)) if s not in used]

    def with_things(self, things) -> "Scene":
        return replace(self, things=tuple(sorted(things, key=lambda t: t.slot)))


def random_thing(rng: random.Random, slot: int, exclude_kinds=()) -> Thing:
    kind = rng.choice([k for k in KINDS if k not in exclude_kinds])
    color = DEFAULT_COLOR[kind] if rng.random() < 0.3 else rng.choice(list(COLORS))
    return Thing(kind, color, rng.choice(list(SIZES)), slot)


def random_scene(seed: int | random.Random, *, min_things: int = 1, max_things: int = 3) -> Scene:
    """A random scene (one kind at most once, so that "the ball" is never ambiguous)."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    n = rng.randint(min_things, max_things)
    slots = rng.sample(range(len(SLOTS)), n)
    things, kinds = [], set()
    for s in slots:
        t = random_thing(rng, s, exclude_kinds=kinds)
        kinds.add(t.kind)
        things.append(t)
    return Scene(ground=rng.choice(list(GROUNDS)), time=rng.choices(TIMES, (6, 2, 2))[0],
                 weather=rng.choices(WEATHERS, (6, 1, 1))[0], style="photo").with_things(things)
