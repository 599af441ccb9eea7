"""The bundled model's parts in plain torch (editing/native.py) against diffusers and transformers."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

from dialogpaint.editing import InstructPix2PixEditor
from dialogpaint.editing.components import load_components
from dialogpaint.editing.native import VAE, EulerAncestral, UNet, load_native_parts, unet_supported
from dialogpaint.editing.schedulers import make_scheduler
from dialogpaint.paths import models_dir

TINY = models_dir() / "dialogpaint-tiny"


@pytest.fixture(scope="module")
def both():
    """The tiny model loaded twice: (native parts, diffusers/transformers parts)."""
    return load_components(TINY, native=True), load_components(TINY)


def _maxdiff(a, b):
    return (a.float() - b.float()).abs().max().item()


def test_bundled_model_loads_natively(both):
    native, ref = both
    assert type(native["unet"]).__module__ == "dialogpaint.editing.native"
    assert type(ref["unet"]).__name__ == "UNet2DConditionModel"


@torch.inference_mode()
def test_parts_match_the_libraries(both):
    native, ref = both
    g = torch.Generator().manual_seed(0)
    x, ctx = torch.randn(3, 16, 16, 16, generator=g), torch.randn(3, 32, 384, generator=g)
    for t in (torch.tensor(999.0), torch.tensor(3.0)):
        a = native["unet"](x, t, encoder_hidden_states=ctx)[0]
        b = ref["unet"](x, t, encoder_hidden_states=ctx, return_dict=False)[0]
        assert _maxdiff(a, b) <= 1e-5
    img = torch.rand(1, 3, 128, 96, generator=g) * 2 - 1
    za, zb = native["vae"].encode(img).latent_dist.mode(), ref["vae"].encode(img).latent_dist.mode()
    assert _maxdiff(za, zb) <= 1e-5
    assert _maxdiff(native["vae"].decode(zb)[0], ref["vae"].decode(zb, return_dict=False)[0]) <= 1e-5
    for text in ["", "make the ball blue", "Make the BIG café 'ball' blue " * 8]:  # the last one is truncated
        ta, tb = (p["tokenizer"](text, padding="max_length", max_length=32, truncation=True, return_tensors="pt")
                  for p in (native, ref))
        assert torch.equal(ta.input_ids, tb.input_ids) and torch.equal(ta.attention_mask, tb.attention_mask)
        ha = native["text_encoder"](ta.input_ids, attention_mask=ta.attention_mask)[0]
        hb = ref["text_encoder"](tb.input_ids, attention_mask=tb.attention_mask)[0]
        assert _maxdiff(ha, hb) <= 1e-5


def test_whole_edit_matches_the_diffusers_loaded_editor(both):
    from dialogpaint.world import random_scene, render

    image = render(random_scene(1), 128)
    outs = []
    for parts in both:
        ed = InstructPix2PixEditor.from_components(**parts, device="cpu", dtype="fp32", max_side=128)
        outs.append(np.asarray(ed.edit(image, "make the ball blue", steps=6, seed=2), dtype=np.int16))
    assert np.abs(outs[0] - outs[1]).max() <= 1
    assert np.abs(outs[0] - np.asarray(image, dtype=np.int16)).max() > 2  # it did edit


@torch.inference_mode()
def test_other_unet_and_vae_configs_match(tmp_path):
    """Options the bundled model does not use (2 layers, linear projection, no VAE attention) load the same."""
    from diffusers import AutoencoderKL, UNet2DConditionModel

    torch.manual_seed(0)
    ref = UNet2DConditionModel(sample_size=8, in_channels=8, out_channels=4, block_out_channels=(32, 64, 64),
                               layers_per_block=2, down_block_types=("CrossAttnDownBlock2D",) * 2 + ("DownBlock2D",),
                               up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 2, cross_attention_dim=24,
                               attention_head_dim=4, norm_num_groups=16, use_linear_projection=True).eval()
    cfg = dict(ref.config)
    assert unet_supported(cfg)
    ours = UNet(cfg).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x, ctx = torch.randn(3, 8, 16, 16), torch.randn(3, 7, 24)
    assert _maxdiff(ours(x, torch.tensor(500.0), ctx)[0], ref(x, torch.tensor(500.0), ctx).sample) <= 1e-5
    vref = AutoencoderKL(block_out_channels=(16, 32), layers_per_block=2, latent_channels=4, norm_num_groups=8,
                         down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                         mid_block_add_attention=False).eval()
    vours = VAE(dict(vref.config)).eval()
    vours.load_state_dict(vref.state_dict(), strict=True)
    img = torch.rand(1, 3, 32, 32) * 2 - 1
    z = vref.encode(img).latent_dist.mode()
    assert _maxdiff(vours.encode(img).latent_dist.mode(), z) <= 1e-5
    assert _maxdiff(vours.decode(z)[0], vref.decode(z).sample) <= 1e-5


@pytest.mark.parametrize("spacing", ["linspace", "leading", "trailing"])
@pytest.mark.parametrize("prediction", ["epsilon", "v_prediction"])
def test_euler_ancestral_matches_diffusers(spacing, prediction):
    from diffusers import EulerAncestralDiscreteScheduler

    cfg = dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
               prediction_type=prediction, timestep_spacing=spacing, steps_offset=1)
    ours, ref = EulerAncestral(cfg), EulerAncestralDiscreteScheduler(**cfg)
    ours.set_timesteps(7)
    ref.set_timesteps(7)
    assert torch.equal(ours.timesteps, ref.timesteps) and float(ours.init_noise_sigma) == float(ref.init_noise_sigma)
    ga, gb = torch.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    xa = xb = torch.randn(1, 4, 8, 8, generator=torch.Generator().manual_seed(1)) * ref.init_noise_sigma
    for t in ref.timesteps:
        eps = torch.sin(xa * 3 + float(t))  # any function of the sample
        assert torch.equal(ours.scale_model_input(xa, t), ref.scale_model_input(xb, t))
        xa = ours.step(eps, t, xa, generator=ga)[0]
        xb = ref.step(eps, t, xb, generator=gb, return_dict=False)[0]
        assert torch.equal(xa, xb)


def test_make_scheduler_keeps_native_only_for_its_own_kind(both):
    base = both[0]["scheduler"]
    assert isinstance(make_scheduler(None, base), EulerAncestral)
    assert isinstance(make_scheduler("euler_a", base), EulerAncestral)
    other = make_scheduler("dpm++", base)
    assert type(other).__name__ == "DPMSolverMultistepScheduler" and other.config.prediction_type == "v_prediction"


def test_unsupported_folder_falls_back_to_diffusers(tmp_path):
    folder = tmp_path / "m"
    shutil.copytree(TINY, folder)
    cfg = json.loads((folder / "unet" / "config.json").read_text())
    cfg["resnet_time_scale_shift"] = "scale_shift"  # not written natively (and not matching the weights)
    (folder / "unet" / "config.json").write_text(json.dumps(cfg))
    opts = json.loads((folder / "dialogpaint.json").read_text())
    assert load_native_parts(folder, opts) is None
    index = json.loads((TINY / "model_index.json").read_text())
    index["scheduler"][1] = "DDIMScheduler"
    (folder / "model_index.json").write_text(json.dumps(index))
    shutil.copy(TINY / "unet" / "config.json", folder / "unet" / "config.json")
    assert load_native_parts(folder, opts) is None  # another scheduler: diffusers'


def test_tiny_edit_imports_neither_diffusers_nor_transformers(tmp_path):
    """The cold start's premise (README: Speed), checked without timing anything."""
    code = (
        "import sys\n"
        "from dialogpaint import load_editor\n"
        "from dialogpaint.world import random_scene, render\n"
        "ed = load_editor('tiny', device='cpu')\n"
        "ed.edit(render(random_scene(0), 128), 'make the ball blue', steps=2)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('diffusers', 'transformers', 'peft'))\n"
        "print('BAD', bad[:5])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "BAD []" in out.stdout
