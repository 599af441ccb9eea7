"""The tiny model's refiner (editing/refiner.py): shapes, its start, files, loading through the editor."""

import json

import numpy as np
import torch

from dialogpaint.editing import InstructPix2PixEditor, load_editor
from dialogpaint.editing.refiner import Refiner, RefinerConfig


def test_refiner_starts_near_the_decoder_and_copies_with_its_gate():
    torch.manual_seed(0)
    r = Refiner(RefinerConfig(latent_channels=4, channels=(8, 16), pos_channels=2, size=32))
    img, dec, rec = (torch.rand(2, 3, 32, 32) * 2 - 1 for _ in range(3))
    z = torch.randn(2, 4, 16, 16)
    out = r(img, dec, z, rec)
    assert out.shape == (2, 3, 32, 32)
    g = torch.sigmoid(torch.tensor(-3.0))  # zero-initialised output: small gate and detail weight, no residual
    assert torch.allclose(out, g * img + (1 - g) * (dec + g * (img - rec)), atol=1e-5)
    with torch.no_grad():
        r.out.bias[3] = 30.0  # a gate of one: the input comes back whatever the decoder said
    assert torch.allclose(r(img, dec, z, rec), img, atol=1e-6)
    # another size: the position map is resized
    half = [t[:, :, :16, :16] for t in (img, dec)]
    assert r(*half, z[:, :, :8, :8], rec[:, :, :16, :16]).shape == (2, 3, 16, 16)


def test_refiner_files_round_trip(tmp_path):
    r = Refiner(RefinerConfig(latent_channels=4, channels=(8, 16), pos_channels=0, size=32))
    with torch.no_grad():
        for p in r.parameters():
            p.normal_()
    r.save_pretrained(tmp_path / "refiner")
    back = Refiner.from_pretrained(tmp_path / "refiner")
    assert back.cfg == r.cfg
    x = torch.randn(1, 3, 32, 32), torch.randn(1, 3, 32, 32), torch.randn(1, 4, 16, 16), torch.randn(1, 3, 32, 32)
    assert torch.equal(back(*x), r.eval()(*x))


def test_a_folder_with_a_refiner_loads_it_and_one_without_does_not(tiny_components, tmp_path, scene, monkeypatch):
    """The same loader reads both: the refiner is optional and found by its folder."""
    from dialogpaint.editing import text_encoders
    from dialogpaint.train.export import export_editor

    c = tiny_components
    monkeypatch.setitem(text_encoders.TEXT_ENCODERS, "random", lambda n: (c["text_encoder"], c["tokenizer"]))
    lat = c["vae"].config.latent_channels
    plain = export_editor(tmp_path / "plain", unet=c["unet"], vae=c["vae"], tokenizer=c["tokenizer"],
                          prediction_type="epsilon", max_side=64, preserve=None)
    (plain / "dialogpaint.json").write_text(json.dumps({**json.loads((plain / "dialogpaint.json").read_text()),
                                                        "text_encoder": "random"}))
    ref = Refiner(RefinerConfig(latent_channels=lat, channels=(8, 16), size=64))
    with torch.no_grad():
        ref.out.bias[3] = 30.0  # copies the input
    withr = export_editor(tmp_path / "withr", unet=c["unet"], vae=c["vae"], tokenizer=c["tokenizer"],
                          prediction_type="epsilon", max_side=64, preserve=None, refiner=ref)
    (withr / "dialogpaint.json").write_text((plain / "dialogpaint.json").read_text())
    a, b = load_editor(str(plain), device="cpu", dtype="fp32"), load_editor(str(withr), device="cpu", dtype="bf16")
    assert a.refiner is None and isinstance(b.refiner, Refiner)
    assert next(b.refiner.parameters()).dtype == torch.bfloat16  # cast with the VAE
    img = scene.resize((64, 64))
    out = b.edit(img, "x", steps=2, seed=0)
    assert np.abs(np.asarray(out, int) - np.asarray(img, int)).max() <= 2  # the gate copies the input
    # from parts, without a refiner: InstructPix2Pix as it was
    assert InstructPix2PixEditor.from_components(**c, device="cpu").refiner is None


def test_refiner_trainer_runs_resumes_and_continues_with_more_steps(tmp_path):
    import numpy as np
    import pytest
    from diffusers import AutoencoderKL

    from dialogpaint.train.refiner import RefinerTrainConfig, train_refiner

    torch.manual_seed(0)
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(4, 4, 4, 4),
                        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
                        layers_per_block=1, norm_num_groups=2, sample_size=32)
    rng = np.random.default_rng(0)
    src = rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8)
    tgt = src.copy()
    tgt[:, 8:24, 8:24] = 255 - tgt[:, 8:24, 8:24]
    mask = np.zeros((6, 32, 32), bool)
    mask[:, 8:24, 8:24] = True
    cfg = RefinerTrainConfig(pairs=6, size=32, batch_size=2, steps=2, bf16=False)
    _, steps, _ = train_refiner(cfg, vae, tmp_path, data=(src, tgt, mask, None, None), progress=False)
    assert steps == 2 and (tmp_path / "refiner-checkpoint.pt").is_file()
    _, steps, _ = train_refiner(RefinerTrainConfig(**{**cfg.__dict__, "steps": 4}), vae, tmp_path, progress=False)
    assert steps == 4  # continued from step 2 with the cached data, not restarted
    with pytest.raises(ValueError, match="another config"):
        train_refiner(RefinerTrainConfig(**{**cfg.__dict__, "steps": 6, "lr": 1e-3}), vae, tmp_path, progress=False)


def test_refiner_trainer_refuses_fewer_steps_than_done(tmp_path):
    import numpy as np
    import pytest
    from diffusers import AutoencoderKL

    from dialogpaint.train.refiner import RefinerTrainConfig, train_refiner

    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(4, 4, 4, 4),
                        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
                        layers_per_block=1, norm_num_groups=2, sample_size=32)
    img = np.zeros((4, 32, 32, 3), np.uint8)
    cfg = RefinerTrainConfig(pairs=4, size=32, batch_size=2, steps=3, bf16=False)
    train_refiner(cfg, vae, tmp_path, data=(img, img, np.zeros((4, 32, 32), bool), None, None), progress=False)
    with pytest.raises(ValueError, match="already at step 3"):
        train_refiner(RefinerTrainConfig(**{**cfg.__dict__, "steps": 2}), vae, tmp_path, progress=False)


def _small_vae():
    from diffusers import AutoencoderKL

    torch.manual_seed(0)
    return AutoencoderKL(in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(4, 4, 4, 4),
                         down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
                         layers_per_block=1, norm_num_groups=2, sample_size=32)


def test_refiner_trainer_starts_from_a_saved_refiner_and_a_checkpoint_still_resumes_first(tmp_path):
    import pytest

    from dialogpaint.train.refiner import RefinerTrainConfig, train_refiner

    vae = _small_vae()
    img = np.random.default_rng(0).integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
    data = (img, img, np.zeros((4, 32, 32), bool), None, None)
    start = Refiner(RefinerConfig(latent_channels=8, size=32))
    with torch.no_grad():
        for p in start.parameters():
            p.normal_()
    start.save_pretrained(tmp_path / "start")
    cfg = RefinerTrainConfig(pairs=4, size=32, batch_size=2, steps=1, lr=0.0, bf16=False)  # lr 0: weights stay put
    model, steps, _ = train_refiner(cfg, vae, tmp_path / "work", data=data, progress=False, init=tmp_path / "start")
    assert steps == 1
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), start.state_dict().values()))
    # a checkpoint in the work folder wins over --init: the run resumes (here from the same weights), not restarts
    other = Refiner(RefinerConfig(latent_channels=8, size=32))
    other.save_pretrained(tmp_path / "other")
    model, steps, _ = train_refiner(RefinerTrainConfig(**{**cfg.__dict__, "steps": 2}), vae, tmp_path / "work",
                                    progress=False, init=tmp_path / "other")
    assert steps == 2
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), start.state_dict().values()))
    # a refiner of another shape is refused
    Refiner(RefinerConfig(latent_channels=8, channels=(8, 16), size=32)).save_pretrained(tmp_path / "small")
    with pytest.raises(ValueError, match="another shape"):
        train_refiner(cfg, vae, tmp_path / "fresh", data=data, progress=False, init=tmp_path / "small")


def test_train_refiner_cli_continues_a_model_folders_refiner(tmp_path):
    from click.testing import CliRunner

    from dialogpaint.cli import cli

    model = tmp_path / "model"
    _small_vae().save_pretrained(model / "vae")
    (model / "training.json").write_text("{}")
    start = Refiner(RefinerConfig(latent_channels=8, size=128))
    start.save_pretrained(tmp_path / "start")
    base = ["train", "refiner", "--model", str(model), "--work", str(tmp_path / "work"), "--preset", "smoke",
            "--device", "cpu"]
    r = CliRunner().invoke(cli, base + ["--init", str(tmp_path / "nowhere")])
    assert r.exit_code != 0 and "no refiner.safetensors" in r.output
    r = CliRunner().invoke(cli, base + ["--init", str(tmp_path / "start")])
    assert r.exit_code == 0, r.output
    assert Refiner.from_pretrained(model / "refiner").cfg == start.cfg
    assert json.loads((model / "training.json").read_text())["refiner"]["init"] == str(tmp_path / "start")
