"""Speed features keep the pictures right: bf16 on CPUs, fp32 latents, the fast preset.

Timings live in benchmarks/editor_speed.py, never here.
"""

import numpy as np
import pytest
import torch

from dialogpaint.editing import InstructPix2PixEditor, load_editor
from dialogpaint.world import random_scene, render


@pytest.fixture
def fresh_components():
    from dialogpaint.editing.random_model import random_components

    return random_components()


def test_bf16_unet_sees_bf16_and_the_scheduler_fp32(fresh_components, scene, recwarn):
    ed = InstructPix2PixEditor.from_components(**fresh_components, device="cpu", dtype="bf16")
    assert ed.unet.dtype == ed.vae.dtype == torch.bfloat16
    assert ed.text_encoder.dtype == torch.float32  # on a CPU the text encoder stays fp32
    seen = []
    unet_forward = ed.unet.forward

    def unet_spy(sample, t, **kw):
        seen.append(("unet", sample.dtype, kw["encoder_hidden_states"].dtype))
        return unet_forward(sample, t, **kw)

    ed.unet.forward = unet_spy
    cls = type(ed.scheduler)
    step = cls.step

    def step_spy(self, model_output, timestep, sample, *a, **kw):
        seen.append(("step", model_output.dtype, sample.dtype))
        return step(self, model_output, timestep, sample, *a, **kw)

    cls.step = step_spy
    try:
        out = ed.edit(scene, "make the ball blue", steps=3, seed=5)
    finally:
        cls.step = step
    assert seen == [("unet", torch.bfloat16, torch.bfloat16), ("step", torch.float32, torch.float32)] * 3
    assert out.size == scene.size
    assert not [w for w in recwarn if "float32" in str(w.message)]


def test_tiny_model_in_bf16_stays_close_to_fp32():
    """The shipped model: bf16 moves the picture far less than another seed does."""
    fp32, bf16 = load_editor("tiny", device="cpu", dtype="fp32"), load_editor("tiny", device="cpu", dtype="bf16")
    img = render(random_scene(0), 128)

    def edit(ed, seed):
        return np.asarray(ed.edit(img, "make the ball blue", steps=10, seed=seed), dtype=np.int16)

    ref = edit(fp32, 1)
    d_dtype = np.abs(edit(bf16, 1) - ref).mean()
    d_seed = np.abs(edit(fp32, 2) - ref).mean()
    assert d_dtype < 1.0  # in 0-255 levels
    assert d_dtype < 0.5 * d_seed


def test_fast_flag_sets_its_preset_unless_told_otherwise():
    import click
    from click.testing import CliRunner

    from dialogpaint.cli import _params
    from dialogpaint.cli_options import editing_options
    from dialogpaint.editing.schedulers import FAST

    @click.command()
    @editing_options
    def show(steps, text_guidance, image_guidance, scheduler, **_):
        p = _params(steps, text_guidance, image_guidance, scheduler)
        click.echo(f"{p.steps} {p.scheduler}")

    run = CliRunner().invoke
    assert run(show, []).output.split() == ["20", "None"]
    assert run(show, ["--fast"]).output.split() == [str(FAST["steps"]), FAST["scheduler"]]
    assert run(show, ["--fast", "--steps", "12"]).output.split() == ["12", FAST["scheduler"]]
    assert run(show, ["--fast", "--scheduler", "ddim"]).output.split() == [str(FAST["steps"]), "ddim"]


def test_fast_preset_edits_with_the_tiny_model():
    from dialogpaint.editing.schedulers import FAST

    ed = load_editor("tiny", device="cpu")
    img = render(random_scene(0), 128)
    out = ed.edit(img, "make the ball blue", steps=FAST["steps"], scheduler=FAST["scheduler"], seed=0)
    again = ed.edit(img, "make the ball blue", steps=FAST["steps"], scheduler=FAST["scheduler"], seed=0)
    assert out.size == img.size and np.array_equal(np.asarray(out), np.asarray(again))
    assert np.abs(np.asarray(out, dtype=np.int16) - np.asarray(img, dtype=np.int16)).mean() > 0.5  # it edited
