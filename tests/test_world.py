"""The synthetic world: scenes, captions, rendering, exact edits."""

import random

import numpy as np
import pytest

from dialogpaint.world import KINDS, COLORS, random_scene, render
from dialogpaint.world.edits import FAMILIES, PHRASES, all_instructions, applicable, change_mask, make_edit, random_edit
from dialogpaint.world.scene import Scene, Thing


def test_vocabulary_sizes():
    assert len(KINDS) >= 10 and len(COLORS) >= 8


def test_render_is_deterministic_and_sized():
    s = random_scene(3)
    a, b = render(s, 128), render(s, 128)
    assert a.size == (128, 128) and a.mode == "RGB"
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert render(s, 256).size == (256, 256)


def test_caption_names_things():
    s = Scene(things=(Thing("ball", "red", "large", 0), Thing("tree", "green", "medium", 2)), ground="sand",
              time="night")
    assert s.caption() == "a large red ball and a green tree on the beach at night"


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_changes_the_image_and_only_where_expected(family):
    rng = random.Random(family)
    for i in range(20):
        scene = random_scene(rng, min_things=1, max_things=3)
        if family not in applicable(scene):
            continue
        e = make_edit(scene, family, rng)
        a, b = np.asarray(render(e.before, 128)), np.asarray(render(e.after, 128))
        m = change_mask(a, b)
        assert m.any(), (family, e.instruction)
        if family in ("color", "remove", "add", "size", "replace"):
            assert m.mean() < 0.5  # a local edit
        if family in ("time", "style"):
            assert m.mean() > 0.1  # a global one (pixel art on flat colour changes only edges)
        assert e.instruction in all_instructions()


def test_random_edit_caption_changes():
    rng = random.Random(0)
    s = random_scene(rng)
    e = random_edit(s, rng)
    assert e.before.caption() != e.after.caption() or e.family in ("size",)


def test_phrasings_several_per_family():
    for fam, p in PHRASES.items():
        n = len(p) if isinstance(p, list) else min(len(v) for v in p.values())
        assert n >= 4, fam
