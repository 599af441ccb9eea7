"""The command line through click's CliRunner."""

import pytest
from click.testing import CliRunner

from dialogpaint.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def image_file(tmp_path, scene):
    p = tmp_path / "in.png"
    scene.save(p)
    return p


@pytest.mark.parametrize("cmd", [[], ["edit"], ["chat"], ["demo"], ["backends"]])
def test_help_everywhere(runner, cmd):
    r = runner.invoke(cli, cmd + ["--help"])
    assert r.exit_code == 0 and "Usage" in r.output


def test_edit_identity(runner, image_file, tmp_path):
    out = tmp_path / "out.png"
    r = runner.invoke(cli, ["edit", str(image_file), str(out), "make the ball blue", "--editor", "identity"])
    assert r.exit_code == 0, r.output
    assert out.exists()


def test_edit_random_model_writes_same_size(runner, image_file, tmp_path):
    from PIL import Image

    out = tmp_path / "out.png"
    r = runner.invoke(cli, ["edit", str(image_file), str(out), "make it snowy", "--editor", "random", "--steps", "2"])
    assert r.exit_code == 0, r.output
    assert Image.open(out).size == (64, 64)


def _one_error_line(r):
    assert r.exit_code == 2
    lines = [l for l in r.output.splitlines() if l.strip()]
    assert "Traceback" not in r.output
    return lines


def test_corrupt_file_one_line_exit_2(runner, image_file, tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(image_file.read_bytes()[:150])
    r = runner.invoke(cli, ["edit", str(bad), str(tmp_path / "o.png"), "make it red", "--editor", "identity"])
    lines = _one_error_line(r)
    assert lines == [f"Error: '{bad}' is truncated or corrupt (image file is truncated)"] or \
        (len(lines) == 1 and lines[0].startswith("Error:") and "corrupt" in lines[0])


@pytest.mark.parametrize("args,msg", [
    (["missing.png", "o.png", "x"], "does not exist"),
    (["{img}", "o.png", "  "], "instruction is empty"),
    (["{img}", "o.png", "x", "--steps", "0"], "steps must be"),
    (["{img}", "o.png", "x", "--text-guidance", "99"], "text_guidance must be"),
    (["{img}", "o.png", "x", "--image-guidance", "-1"], "image_guidance must be"),
    (["{img}", "o.png", "x", "--editor", "nope"], "known: auto, identity, ip2p, photo, random, tiny"),
    (["{img}", "o.png", "x", "--scheduler", "nope"], "known: euler_a"),
    (["{img}", "o.txt", "x"], "must end in"),
])
def test_bad_input_is_one_line(runner, image_file, tmp_path, monkeypatch, args, msg):
    monkeypatch.chdir(tmp_path)
    args = [a.replace("{img}", str(image_file)) for a in args]
    r = runner.invoke(cli, ["edit", *args, "--editor", "identity"] if "--editor" not in args else ["edit", *args])
    lines = _one_error_line(r)
    assert len(lines) == 1 and lines[0].startswith("Error:") and msg in lines[0], r.output


def test_not_an_image(runner, tmp_path):
    p = tmp_path / "x.png"
    p.write_text("not a picture")
    r = runner.invoke(cli, ["edit", str(p), str(tmp_path / "o.png"), "x", "--editor", "identity"])
    assert len(_one_error_line(r)) == 1 and "not an image" in r.output


def test_too_large_refused(runner, tmp_path):
    from test_images import huge_png_header

    p = tmp_path / "bomb.png"
    p.write_bytes(huge_png_header(8000, 8000))
    r = runner.invoke(cli, ["edit", str(p), str(tmp_path / "o.png"), "x", "--editor", "identity"])
    assert len(_one_error_line(r)) == 1 and "too large" in r.output


def test_chat_three_edits_forget_middle_by_name(runner, image_file, tmp_path):
    out = tmp_path / "chat"
    script = "make the ball red\nadd a rainbow\nturn the sky orange\nforget the rainbow\n/history\n"
    r = runner.invoke(cli, ["chat", str(image_file), "--out", str(out), "--editor", "random", "--steps", "2"],
                      input=script)
    assert r.exit_code == 0, r.output
    assert "Forgot 'add a rainbow'. Re-applied the 1 later edit(s)" in r.output
    # the default `rules` dialogue states instructions explicitly: "turn the sky orange" -> "make the sky orange"
    assert "live edits: 1. make the ball red; 2. make the sky orange" in r.output
    # original + 3 edits + the replayed third edit
    assert sorted(p.name for p in out.glob("version-*.png")) == [f"version-{i:03d}.png" for i in range(5)]
    assert r.output.rstrip().endswith("bye")  # Ctrl-D (end of input) exits cleanly


def test_chat_slash_commands(runner, image_file, tmp_path):
    out = tmp_path / "chat"
    script = "/help\nmake the ball blue\n/undo\n/undo\n/save\n/bogus\n/quit\nnever read\n"
    r = runner.invoke(cli, ["chat", str(image_file), "--out", str(out), "--editor", "identity"], input=script)
    assert r.exit_code == 0, r.output
    assert "/forget N|WORDS" in r.output
    assert "Forgot the last edit" in r.output and "nothing to forget" in r.output
    assert (out / "current.png").exists()
    assert "unknown command /bogus" in r.output
    assert "never read" not in r.output


def test_chat_without_image_uses_example_scene(runner, tmp_path):
    r = runner.invoke(cli, ["chat", "--out", str(tmp_path / "c"), "--editor", "identity"], input="")
    assert r.exit_code == 0 and "example scene" in r.output


def test_demo_writes_storyboard_and_page(runner, tmp_path):
    out = tmp_path / "demo"
    r = runner.invoke(cli, ["demo", "--out", str(out), "--editor", "random", "--steps", "1"])
    assert r.exit_code == 0, r.output
    assert (out / "storyboard.png").exists() and (out / "index.html").exists()
    assert "RANDOM model" in r.output and "RANDOM model" in (out / "index.html").read_text()


def test_backends_lists(runner):
    r = runner.invoke(cli, ["backends"])
    assert r.exit_code == 0 and "identity" in r.output and "direct" in r.output and "rules" in r.output


def test_chat_asks_a_clarifying_question(runner, image_file, tmp_path):
    script = "make the ball a different colour\nblue\n"
    r = runner.invoke(cli, ["chat", str(image_file), "--out", str(tmp_path / "c"), "--editor", "identity",
                            "--caption", "a red ball on grass"], input=script)
    assert r.exit_code == 0, r.output
    assert "Which colour would you like the ball to be?" in r.output
    assert "live edits: 1. make the ball blue" in r.output
