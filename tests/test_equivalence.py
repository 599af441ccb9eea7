"""Our sampling loop against the peer: diffusers' StableDiffusionInstructPix2PixPipeline."""

import copy

import numpy as np
import pytest
import torch
from diffusers import DDIMScheduler, EulerAncestralDiscreteScheduler, StableDiffusionInstructPix2PixPipeline

from dialogpaint.editing import InstructPix2PixEditor


def _peer(components, scheduler):
    pipe = StableDiffusionInstructPix2PixPipeline(
        unet=components["unet"], vae=components["vae"], text_encoder=components["text_encoder"],
        tokenizer=components["tokenizer"], scheduler=scheduler, safety_checker=None,
        feature_extractor=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    return pipe


@pytest.fixture
def fresh_components():
    """Components of our own: an editor casts its UNet and VAE in place, so the shared fixture is not used."""
    from dialogpaint.editing.random_model import random_components

    return random_components()


@pytest.mark.parametrize("sched_cls,name", [(DDIMScheduler, "ddim"), (EulerAncestralDiscreteScheduler, "euler_a")])
def test_matches_diffusers_pipeline(fresh_components, scene, sched_cls, name):
    # the peer gets its own copy of the weights, untouched by whatever our editor does to its modules
    peer_components = copy.deepcopy(fresh_components)
    sched = sched_cls.from_config(fresh_components["scheduler"].config)
    editor = InstructPix2PixEditor.from_components(**{**fresh_components, "scheduler": sched}, device="cpu",
                                                   dtype="fp32")
    ours = editor.edit(scene, "make the ball blue", steps=6, text_guidance=7.5, image_guidance=1.5, seed=3)
    peer = _peer(peer_components, sched_cls.from_config(sched.config))(
        "make the ball blue", image=scene, num_inference_steps=6, guidance_scale=7.5, image_guidance_scale=1.5,
        generator=torch.Generator("cpu").manual_seed(3)).images[0]
    a, b = np.asarray(ours, dtype=np.int16), np.asarray(peer, dtype=np.int16)
    assert a.shape == b.shape == (64, 64, 3)
    assert np.abs(a - b).max() <= 2
    # and the comparison can fail: another seed gives another image
    other = editor.edit(scene, "make the ball blue", steps=6, seed=4)
    assert np.abs(np.asarray(other, dtype=np.int16) - b).max() > 2


def test_same_seed_same_image(fresh_components, scene):
    editor = InstructPix2PixEditor.from_components(**fresh_components, device="cpu")  # the default dtype
    a = editor.edit(scene, "add snow", steps=3, seed=11)
    b = editor.edit(scene, "add snow", steps=3, seed=11)
    assert np.array_equal(np.asarray(a), np.asarray(b))

