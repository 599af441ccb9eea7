"""Data construction, training and evaluation, end to end at toy size (seconds, offline)."""

import json

import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from dialogpaint.cli import cli


def test_data_edits_manifest_and_resume(tmp_path):
    out = tmp_path / "pairs"
    r = CliRunner().invoke(cli, ["data", "edits", "--out", str(out), "-n", "12", "--seed", "1"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(l) for l in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == 12
    for row in rows:
        assert (out / row["source"]).exists() and (out / row["target"]).exists()
        assert row["instruction"] and row["edited_caption"] != "" and row["changed"] > 0
    stats = json.loads((out / "stats.json").read_text())
    assert stats["kept"] == 12 and stats["captions"] >= 12
    # resume: asking for more keeps the first 12 and adds 3
    r = CliRunner().invoke(cli, ["data", "edits", "--out", str(out), "-n", "15", "--seed", "1"])
    rows2 = [json.loads(l) for l in (out / "manifest.jsonl").read_text().splitlines()]
    assert [x["id"] for x in rows2[:12]] == [x["id"] for x in rows] and len(rows2) == 15


def test_filter_drops_small_changes(tmp_path):
    out = tmp_path / "pairs"
    r = CliRunner().invoke(cli, ["data", "edits", "--out", str(out), "-n", "5", "--min-changed", "0.9"])
    assert r.exit_code == 0
    stats = json.loads((out / "stats.json").read_text())
    assert stats["too_small"] > 0 and stats["kept"] == 5
    assert all(json.loads(l)["changed"] >= 0.9 for l in (out / "manifest.jsonl").read_text().splitlines())


def test_openai_teacher_parses_and_rejects():
    from dialogpaint.data.teachers import parse_proposal

    p = parse_proposal('Sure! {"instruction": "make it night", "edited_caption": "a house at night"}')
    assert p.instruction == "make it night"
    assert parse_proposal("no json here") is None
    assert parse_proposal('{"instruction": ""}') is None


def test_openai_teacher_against_local_server(chat_endpoint):
    """A real HTTP round trip to a fake OpenAI-compatible endpoint on 127.0.0.1."""
    import random

    from dialogpaint.data.teachers import OpenAITeacher

    chat_endpoint.reply = json.dumps({"instruction": "make the dog a cat", "edited_caption": "a cat"})
    p = OpenAITeacher(chat_endpoint.url, "m").propose("a dog", random.Random(0))
    assert p.instruction == "make the dog a cat" and p.edited_caption == "a cat"
    body = chat_endpoint.seen[0][2]
    assert body["messages"][-1]["content"] == "Caption: a dog" and body["messages"][0]["role"] == "system"


@pytest.mark.slow
def test_tiny_recipe_smoke_then_load_and_eval(tmp_path):
    """Every stage of the recipe for a few steps, export, load through load_editor, edit, evaluate."""
    from dialogpaint import load_editor
    from dialogpaint.eval.editor import EvalConfig, run_eval
    from dialogpaint.train.recipe import PRESETS, run_recipe

    summary = run_recipe(PRESETS["smoke"], tmp_path / "work", tmp_path / "model", device="cpu", progress=False)
    assert summary["editor_steps"] == 4
    ck = torch.load(tmp_path / "work" / "editor" / "checkpoint.pt", weights_only=False)
    assert ck["config"]["steps"] == 4 and ck["step"] == 4  # the checkpoint carries its config
    ed = load_editor(str(tmp_path / "model"), device="cpu")
    from dialogpaint.world import random_scene, render

    out = ed.edit(render(random_scene(0), 128), "make it night", steps=2)
    assert out.size == (128, 128)
    res = run_eval(ed, EvalConfig(n_single=3, n_chains=1, steps=1), tmp_path / "eval", training=summary, progress=False)
    assert res["single"]["identity"]["all"]["success"] == 0.0  # the identity baseline never succeeds
    assert (tmp_path / "eval" / "samples.png").exists() and (tmp_path / "eval" / "table.md").exists()
    # resuming a finished run trains no more steps and keeps the result
    again = run_recipe(PRESETS["smoke"], tmp_path / "work", tmp_path / "model2", device="cpu", progress=False)
    assert again["editor_steps"] == 4


def test_conditioning_dropout_rates():
    """train_editor's dropout masks hit 5% / 5% / 5% (text only / image only / both), and follow the config."""
    from dialogpaint.train.config import EditorTrainConfig
    from dialogpaint.train.editor import dropout_masks

    r = torch.rand(200_000, generator=torch.Generator().manual_seed(0))
    no_text, no_image = dropout_masks(r, EditorTrainConfig())
    for v in ((no_text & ~no_image), (no_image & ~no_text), (no_text & no_image)):
        assert abs(float(v.float().mean()) - 0.05) < 0.003
    no_text, no_image = dropout_masks(r, EditorTrainConfig(drop_text=0.2, drop_image=0.0, drop_both=0.1))
    assert abs(float((no_text & ~no_image).float().mean()) - 0.2) < 0.005
    assert float((no_image & ~no_text).float().mean()) == 0.0
    assert abs(float((no_text & no_image).float().mean()) - 0.1) < 0.005


def test_train_editor_finetunes_a_diffusers_folder(tmp_path, tiny_components):
    """`dialogpaint train editor` on a pairs folder, starting from InstructPix2Pix-layout weights."""
    from diffusers import StableDiffusionInstructPix2PixPipeline

    from dialogpaint import load_editor

    StableDiffusionInstructPix2PixPipeline(**tiny_components, safety_checker=None, feature_extractor=None,
                                           requires_safety_checker=False).save_pretrained(tmp_path / "init")
    runner = CliRunner()
    r = runner.invoke(cli, ["data", "edits", "--out", str(tmp_path / "pairs"), "-n", "6", "--size", "64"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["train", "editor", "--data", str(tmp_path / "pairs"), "--init", str(tmp_path / "init"),
                            "--out", str(tmp_path / "ft"), "--size", "64", "--batch-size", "2", "--steps", "3",
                            "--lr", "1e-3", "--device", "cpu"])
    assert r.exit_code == 0, r.output
    ck = torch.load(tmp_path / "ft" / "checkpoint.pt", weights_only=False)
    assert ck["step"] == 3 and ck["config"]["init"] == str(tmp_path / "init")
    before = tiny_components["unet"].conv_in.weight.detach().clone()
    ed = load_editor(str(tmp_path / "ft" / "model"), device="cpu")
    assert not torch.equal(ed.unet.conv_in.weight.detach(), before)  # the weights moved
    assert ed.edit(Image.new("RGB", (64, 64)), "make it red", steps=1).size == (64, 64)


def test_cosine_lr_warms_up_then_ends_at_a_tenth_by_steps_or_by_time():
    from dialogpaint.train.schedule import cosine_lr

    assert cosine_lr(1.0, 0, 100, warmup=10) == pytest.approx(0.1)           # warm-up: 1/10 of the way
    assert cosine_lr(1.0, 9, 100, warmup=10) == pytest.approx(0.98, abs=0.01)  # warm, cosine barely started
    assert cosine_lr(1.0, 100, 100) == pytest.approx(0.1)                     # the end of the steps
    assert cosine_lr(1.0, 5, 100, elapsed_s=60, budget_s=60) == pytest.approx(0.1)  # the budget ends first
