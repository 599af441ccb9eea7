"""Loading editors by name and from a diffusers folder, offline."""

import numpy as np
import pytest
import torch

from dialogpaint import load_editor
from dialogpaint.editing import EDITORS, InstructPix2PixEditor, register_editor
from dialogpaint.editing.pipeline import cpu_has_fast_bf16, default_device_dtype
from dialogpaint.errors import ConfigError


def test_unknown_editor_lists_known():
    with pytest.raises(ConfigError, match="known: auto, identity, ip2p, photo, random, tiny"):
        load_editor("nope")


def test_folder_round_trip(tiny_components, tmp_path, scene):
    from diffusers import StableDiffusionInstructPix2PixPipeline

    pipe = StableDiffusionInstructPix2PixPipeline(**tiny_components, safety_checker=None, feature_extractor=None,
                                                  requires_safety_checker=False)
    pipe.save_pretrained(tmp_path / "model")
    a = InstructPix2PixEditor.from_components(**tiny_components, device="cpu")
    b = load_editor(str(tmp_path / "model"), device="cpu")
    assert isinstance(b, InstructPix2PixEditor)
    x = a.edit(scene, "make it red", steps=2, seed=1)
    y = b.edit(scene, "make it red", steps=2, seed=1)
    assert np.abs(np.asarray(x, dtype=int) - np.asarray(y, dtype=int)).max() <= 1
    c = InstructPix2PixEditor.from_pretrained(tmp_path / "model", device="cpu")
    assert c.unet.config.in_channels == 8


def test_not_a_model_folder(tmp_path):
    with pytest.raises(ConfigError, match="not a diffusers model folder"):
        load_editor(str(tmp_path))


def test_hub_id_offline_is_a_clear_error():
    # HF_HUB_OFFLINE=1 in tests: nothing is downloaded, and the message says why
    with pytest.raises(ConfigError, match="could not load InstructPix2Pix weights"):
        load_editor("ip2p", model="someone/not-cached-model")


def test_registry_accepts_extensions():
    register_editor("mine", lambda **kw: "my editor", "test extension")
    try:
        assert load_editor("mine") == "my editor"
    finally:
        EDITORS.pop("mine")


def test_device_dtype_defaults():
    dev, dt = default_device_dtype()
    cpu_dt = torch.bfloat16 if cpu_has_fast_bf16() else torch.float32  # bf16 only where the CPU has it natively
    assert (dev.type, dt) == (("cuda", torch.float16) if torch.cuda.is_available() else ("cpu", cpu_dt))
    assert default_device_dtype("cpu", "fp32") == (torch.device("cpu"), torch.float32)
    assert default_device_dtype("cpu", "bf16") == (torch.device("cpu"), torch.bfloat16)
    with pytest.raises(ConfigError):
        default_device_dtype("cpu", "fp7")


def test_wrong_unet_channels(tiny_components):
    from diffusers import UNet2DConditionModel

    unet = UNet2DConditionModel(sample_size=8, in_channels=4, out_channels=4, block_out_channels=(32, 64),
                                layers_per_block=1, cross_attention_dim=32, norm_num_groups=32,
                                down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
                                up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"))
    with pytest.raises(ConfigError, match="input channels"):
        InstructPix2PixEditor.from_components(**{**tiny_components, "unet": unet}, device="cpu")


@pytest.mark.parametrize("name", ["euler_a", "euler", "ddim", "dpm++"])
def test_schedulers_by_name(tiny_components, scene, name):
    ed = InstructPix2PixEditor.from_components(**tiny_components, device="cpu")
    out = ed.edit(scene, "x", steps=2, seed=0, scheduler=name)
    assert out.size == scene.size


def test_large_input_is_capped_and_resized_back(tiny_components):
    from PIL import Image

    ed = InstructPix2PixEditor.from_components(**tiny_components, device="cpu", max_side=64)
    img = Image.new("RGB", (200, 100), (10, 200, 30))
    assert ed.preprocess(img).shape == (1, 3, 32, 64)
    assert ed.edit(img, "x", steps=1).size == (200, 100)
    assert ed.edit(img, "x", steps=1, resize_back=False).size == (64, 32)


def test_callback_reports_progress(tiny_components, scene):
    ed = InstructPix2PixEditor.from_components(**tiny_components, device="cpu")
    seen = []
    ed.edit(scene, "x", steps=3, callback=lambda i, n: seen.append((i, n)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, dialogpaint; print('torch' in sys.modules, 'diffusers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_keep_unchanged_composites(tiny_components, scene):
    """A threshold nothing exceeds gives the input back; 0 gives the plain decoder output."""
    plain = InstructPix2PixEditor.from_components(**tiny_components, device="cpu")
    keep_all = InstructPix2PixEditor.from_components(**tiny_components, device="cpu", preserve=1e9)
    out_plain = plain.edit(scene, "x", steps=2, seed=0)
    out_keep = keep_all.edit(scene, "x", steps=2, seed=0)
    assert np.array_equal(np.asarray(out_keep), np.asarray(scene))
    assert np.abs(np.asarray(out_plain, dtype=int) - np.asarray(scene, dtype=int)).mean() > 5  # random weights
    keep_none = InstructPix2PixEditor.from_components(**tiny_components, device="cpu", preserve=0.0)
    out_none = keep_none.edit(scene, "x", steps=2, seed=0)
    assert np.abs(np.asarray(out_none, dtype=int) - np.asarray(out_plain, dtype=int)).max() <= 1
