"""The photo engine, the auto router and the refusal, on real photos that ship inside installed wheels."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from dialogpaint import Session, load_editor
from dialogpaint.cli import cli
from dialogpaint.editing.photo import PhotoEditor, parse_instruction
from dialogpaint.editing.routing import AutoEditor
from dialogpaint.errors import UnsupportedEditError
from dialogpaint.eval.photos import FAMILIES, run_photos, shipped_photos, structure, summarize

skimage_data = pytest.importorskip("skimage.data")


def _photo(name: str, side: int = 384) -> Image.Image:
    im = Image.fromarray(getattr(skimage_data, name)()).convert("RGB")
    im.thumbnail((side, side))
    return im


@pytest.fixture(scope="module")
def astronaut():
    return _photo("astronaut")


@pytest.fixture(scope="module")
def coffee():
    return _photo("coffee")


# reading instructions -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, op, extra", [
    ("make it night", "night", {}),
    ("make the image a bit brighter", "brighter", {"strength": 0.5}),
    ("make it much warmer", "warmer", {"strength": 2.2}),
    ("make the colors more vivid", "vivid", {"strength": 1.0}),
    ("make it look like a Polaroid", "vintage", {}),
    ("make it a sepia photo", "sepia", {}),
    ("make it look like winter", "winter", {}),
    ("let it snow", "snow", {}),
    ("add some fog", "fog", {}),
    ("make it golden hour", "sunset", {}),
    ("turn it into a watercolor painting", "watercolor", {}),
    ("make it black and white", "bw", {}),
    ("make it look blue", "tint", {"colour": "blue"}),
    ("rotate it 90 degrees to the left", "rotate", {"angle": 270}),
    ("flip it upside down", "flip", {}),
    ("mirror the image", "mirror", {}),
    ("crop it to a square", "crop_square", {}),
    ("make the blue sky pink", "recolor", {"region": "sky", "colour": "pink"}),
    ("make the red car blue", "recolor", {"region": "colour:red", "colour": "blue"}),
    ("make her eyes green", "recolor", {"region": "part:her eyes", "target": "her eyes"}),
    ("blur the background", "blur", {"region": "background"}),
    ("make the white background black", "fill", {"region": "background", "colour": "black"}),
])
def test_instructions_are_read_as_exact_operations(text, op, extra):
    got = parse_instruction(text)
    assert got is not None and got.op == op
    for k, v in extra.items():
        assert getattr(got, k) == v


@pytest.mark.parametrize("text", ["add a hat to the man", "replace the dog with a cat", "remove the snow",
                                  "turn the car into a snowmobile", "make it daytime", "put a boat on the lake"])
def test_generative_requests_are_not_taken(text):
    assert parse_instruction(text) is None


def test_compound_instructions_are_applied_part_by_part(coffee):
    from dialogpaint.editing.photo import parse_plan

    plan = parse_plan("make the red cup blue and make it a bit warmer, then mirror the image")
    assert [op.op for op in plan.ops] == ["recolor", "warmer", "mirror"]
    assert parse_plan("make it night and add a moon") is None  # one part needs generation: not ours
    result = PhotoEditor().edit_with_note(coffee, "make it black and white and mirror the image")
    bw = np.asarray(PhotoEditor().edit(coffee, "make it black and white"))
    assert np.array_equal(np.asarray(result.image), bw[:, ::-1])
    assert "black and white; then mirrored" in result.note


def test_a_thing_without_its_colour_is_a_guess_not_exact():
    assert not parse_instruction("make the car blue").exact
    assert parse_instruction("make the red car blue").exact


# editing ------------------------------------------------------------------------------------------

def test_global_edits_keep_size_structure_and_show_the_edit(coffee):
    ed = PhotoEditor()
    night = ed.edit(coffee, "make it night")
    assert night.size == coffee.size
    y = lambda im: np.asarray(im.convert("L"), np.float32).mean()  # noqa: E731
    assert y(night) < 0.6 * y(coffee) and structure(coffee, night) > 0.8
    bw = np.asarray(ed.edit(coffee, "make it black and white"), np.int16)
    assert np.abs(bw[..., 0] - bw[..., 2]).max() <= 1
    assert y(ed.edit(coffee, "make it a little brighter")) < y(ed.edit(coffee, "make it much brighter"))


def test_full_resolution_and_geometry(coffee):
    ed = PhotoEditor()
    big = coffee.resize((1200, 800))
    assert ed.edit(big, "make it sepia").size == (1200, 800)
    arr = np.asarray(big)
    assert np.array_equal(np.asarray(ed.edit(big, "mirror the image")), arr[:, ::-1])
    assert np.array_equal(np.asarray(ed.edit(big, "rotate it 90 degrees")), np.rot90(arr, -1))
    assert ed.edit(big, "crop it to a square").size == (800, 800)


def test_weather_is_seeded(coffee):
    ed = PhotoEditor()
    a, b, c = (np.asarray(ed.edit(coffee, "make it snow", seed=s)) for s in (1, 1, 2))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_region_edits_leave_everything_else_identical(astronaut, coffee):
    ed = PhotoEditor()
    # the red cup and saucer turn blue; pixels far from anything red are untouched
    out = np.asarray(ed.edit(coffee, "make the red cup blue"), np.int16)
    src = np.asarray(coffee, np.int16)
    changed = np.abs(out - src).max(-1) > 0
    assert 0.05 < changed.mean() < 0.7
    b_minus_r = (out[..., 2] - out[..., 0])[changed].mean()
    assert b_minus_r > 30
    # a white background: the person (her face) is kept exactly
    out = np.asarray(ed.edit(astronaut, "make the background white"), np.int16)
    src = np.asarray(astronaut, np.int16)
    face = (slice(80, 120), slice(150, 190))  # (y, x) in the 384 px photo
    assert np.array_equal(out[face], src[face])
    assert np.mean(np.all(out > 235, -1)) > np.mean(np.all(src > 235, -1)) + 0.1


def test_eyes_are_found_on_a_face(astronaut):
    out = np.asarray(PhotoEditor().edit(astronaut, "make her eyes green"), np.int16)
    changed = np.abs(out - np.asarray(astronaut, np.int16)).max(-1) > 8
    ys, xs = np.nonzero(changed)
    assert 0 < changed.sum() < 0.01 * changed.size           # two small irises, nothing else
    assert 60 < ys.mean() < 110 and 130 < xs.mean() < 200     # where her eyes are (384 px photo)


def test_no_region_found_is_a_refusal_not_a_guess(coffee):
    with pytest.raises(UnsupportedEditError, match="couldn't find her eyes"):
        PhotoEditor().edit(coffee, "make her eyes green")


# the session, the refusal, routing -----------------------------------------------------------------

FAMILY_TURNS = [  # how a user might ask, through the default dialogue -> the photo engine
    "make it look like winter", "it's too dark", "make it look like a Polaroid", "make it black and white",
    "make it sepia", "make it night", "make it sunset", "make it dawn", "make it overcast", "make it foggy",
    "make it rain", "let it snow", "make it autumn", "make it spring", "make it summer", "make it sunny",
    "make it a pencil sketch", "make it look like a charcoal drawing", "make it look like a watercolor painting",
    "turn it into an oil painting", "make it a cartoon", "make it pixel art", "make it pop art",
    "make it a bit darker", "more contrast", "make the colors more vivid", "make it warmer", "make the colors cooler",
    "make the background white", "make her eyes green", "make the orange suit blue", "make the sky pink",
    "blur the background", "mirror the image", "flip it upside down", "rotate it 90 degrees", "crop it to a square",
    "add some fog", "give it a vintage look", "make it a little brighter",
]


@pytest.mark.parametrize("text", FAMILY_TURNS)
def test_every_family_through_a_session_with_the_default_dialogue(astronaut, text):
    astronaut = astronaut.crop((0, 0, 384, 320))  # not square, so that "crop it to a square" changes it
    s = Session(astronaut, editor=load_editor("auto"), seed=0)
    reply = s.send(text)
    assert reply.action == "edit", reply.message
    assert "Photo engine:" in reply.message
    assert len(s.edits) == 1 and s.image is not s.original
    assert not np.array_equal(np.asarray(s.image), np.asarray(astronaut))
    if parse_instruction(reply.instruction).kind != "geometry":  # geometry moves the structure on purpose
        assert structure(astronaut, s.image) > 0.5


def test_refusal_logs_no_edit_and_keeps_the_picture(coffee):
    s = Session(coffee, editor=load_editor("auto"), seed=0)
    s.send("make it warmer")
    before = s.image
    reply = s.send("add a hat to the cup")
    assert reply.action == "chat"
    assert "--editor ip2p" in reply.message and "Without them I can do" in reply.message
    assert len(s.edits) == 1 and s.image is before
    assert [t.role for t in s.turns][-2:] == ["user", "assistant"]  # the exchange itself is kept


def test_cli_edit_refuses_with_one_line_and_writes_nothing(tmp_path, coffee):
    src = tmp_path / "in.jpg"
    coffee.save(src)
    r = CliRunner().invoke(cli, ["edit", str(src), str(tmp_path / "out.png"), "add a hat"])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and r.output.startswith("Error: I can't do that")
    assert not (tmp_path / "out.png").exists()
    r = CliRunner().invoke(cli, ["edit", str(src), str(tmp_path / "out.png"), "make it a pencil sketch"])
    assert r.exit_code == 0 and "Photo engine: Turned it into a pencil sketch" in r.output
    assert Image.open(tmp_path / "out.png").size == coffee.size


def test_backends_lists_the_photo_engine():
    r = CliRunner().invoke(cli, ["backends"])
    assert r.exit_code == 0 and "photo" in r.output


REQUESTS = ["make it night", "make it a watercolor painting", "make the car blue", "add a hat",
            "replace the background with a beach", "make the dog wear sunglasses", "make it look like winter"]


def test_auto_never_returns_a_damaged_photo():
    ed = load_editor("auto")
    assert isinstance(ed, AutoEditor)
    for photo in shipped_photos()[:6]:
        image = photo.image.resize((640, round(640 * photo.image.height / photo.image.width)))
        for req in REQUESTS:
            try:
                out = ed.edit(image, req, steps=2)
            except UnsupportedEditError:
                continue
            assert structure(image, out) > 0.5, (photo.name, req)
    assert ed._world is None  # the world model was never used on a photo


def test_auto_sends_world_pictures_to_the_world_model():
    from dialogpaint.world import example_scene

    ed = load_editor("auto")
    picture, _ = example_scene(size=128)
    assert ed.route(picture, "add a tree") == "world"
    assert ed.route(picture, "make it night") == "photo"
    assert ed.route(Image.fromarray(skimage_data.coffee()), "add a tree") == "none"


def test_auto_prefers_exact_edits_even_with_weights(coffee):
    from dialogpaint.editing.base import IdentityEditor

    calls = []

    class Recording(IdentityEditor):
        name = "ip2p"

        def edit(self, image, instruction, **kw):
            calls.append(instruction)
            return super().edit(image, instruction, **kw)

    ed = AutoEditor(PhotoEditor(), generative=Recording)
    ed.edit(coffee, "make it night")
    ed.edit(coffee, "add a hat")
    ed.edit(coffee, "make the car blue")  # a guess for the photo engine: the weights get it
    assert calls == ["add a hat", "make the car blue"]


# the benchmark ------------------------------------------------------------------------------------

def test_eval_photos_scores_the_engine_above_its_baselines():
    photos = shipped_photos()[:2]
    fams = [f for f in FAMILIES if f.name in ("black and white", "night", "fog", "mirror")]
    rows, outputs = run_photos(PhotoEditor(), photos, fams, side=256, progress=False)
    base, _ = run_photos(load_editor("identity"), photos, fams, side=256, progress=False)
    s = summarize(rows + base)
    assert s["photo"]["passed"] == s["photo"]["n"] == 8
    assert s["identity"]["passed"] == 0
    assert all(r.structure > 0.999 for r in base if r.family != "mirror")  # unchanged, and so not edited
    assert len(outputs) == 8


def test_a_compound_with_black_and_white_reaches_the_engine_whole(coffee):
    s = Session(coffee, editor=load_editor("auto"), seed=0)
    reply = s.send("make it black and white and mirror it")
    bw = np.asarray(PhotoEditor().edit(coffee, "make it black and white"))
    assert reply.action == "edit" and np.array_equal(np.asarray(s.image), bw[:, ::-1])


def test_a_colour_cast_is_removed_not_added():
    import numpy as np

    from dialogpaint.editing.photo.parse import parse_plan
    from dialogpaint.editing.photo.tone import balance

    (op,) = parse_plan("fix the color balance and remove the orange tint").ops
    assert op.op == "balance"
    assert parse_plan("give it an orange tint").ops[0].op == "tint"
    rng = np.random.default_rng(0)
    mild = np.clip(rng.random((16, 16, 3), np.float32) * np.array([1.0, 0.85, 0.75], np.float32), 0, 1)
    assert np.ptp(balance(mild).reshape(-1, 3).mean(0)) < 0.02 < np.ptp(mild.reshape(-1, 3).mean(0))  # the cast is gone
    strong = np.clip(rng.random((16, 16, 3), np.float32) * np.array([1.0, 0.7, 0.1], np.float32), 0, 1)
    out = balance(strong)
    assert np.ptp(out.reshape(-1, 3).mean(0)) < np.ptp(strong.reshape(-1, 3).mean(0))  # less cast ...
    assert out[..., 2].max() <= 1.5 * strong[..., 2].max() + 1e-6  # ... but no channel blown up more than 1.5x
