"""Editors by name: one registry, built-ins registered the same way as extensions.

Names: `identity` (returns its input), `random` (tiny random weights, built offline), `tiny` (the
bundled DialogPaint-Tiny model in models/), `ip2p` (InstructPix2Pix weights: a local folder, or a hub
id the user chose), `photo` (exact photo edits, no weights), `auto` (a router: see routing.py), or a
path to a diffusers folder. Extensions add names through the `dialogpaint.editors` entry-point group: a callable taking
the options below and returning an Editor.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from ..errors import ConfigError
from ..paths import models_dir
from ..registry import Registry
from .components import folder_options

IP2P_HUB_ID = "timbrooks/instruct-pix2pix"  # used only when the user asks for `ip2p` by name


EDITORS = Registry("editor", "dialogpaint.editors")  # factories take (model=None, device=None, dtype=None)


def register_editor(name: str, factory: Callable[..., object], description: str) -> None:
    EDITORS.register(name, factory, description)


def load_editor(name: str = "auto", *, model: str | None = None, device: str | None = None,
                dtype: str | None = None):
    """An editor by registry name, or from a diffusers folder given as `name`."""
    if name not in EDITORS and (os.sep in name or Path(name).is_dir()):
        return _from_folder(name, device=device, dtype=dtype)
    return EDITORS.build(name, also=", or a model folder", model=model, device=device, dtype=dtype)


def _from_folder(folder, *, device=None, dtype=None, name=None):
    from .pipeline import InstructPix2PixEditor

    path = Path(folder)
    if not (path / "model_index.json").is_file():
        raise ConfigError(f"'{path}' is not a diffusers model folder (no model_index.json)")
    opts = folder_options(path)
    kw = {k: opts[k] for k in ("max_side", "preserve", "domain") if k in opts}
    return InstructPix2PixEditor.from_pretrained(path, device=device, dtype=dtype, name=name or path.name, **kw)


# built-ins -------------------------------------------------------------------------------------

def _identity(**_):
    from .base import IdentityEditor

    return IdentityEditor()


def _random(*, device=None, dtype=None, **_):
    from .pipeline import InstructPix2PixEditor
    from .random_model import random_components

    return InstructPix2PixEditor.from_components(**random_components(), device=device, dtype=dtype,
                                                 max_side=256, name="random")


def _tiny(*, device=None, dtype=None, **_):
    folder = models_dir() / "dialogpaint-tiny"
    if not (folder / "model_index.json").is_file():
        raise ConfigError(f"the bundled model is missing: {folder} has no model_index.json")
    return _from_folder(folder, device=device, dtype=dtype, name="tiny")


def _ip2p(*, model=None, device=None, dtype=None, **_):
    from .pipeline import InstructPix2PixEditor

    return InstructPix2PixEditor.from_pretrained(model or IP2P_HUB_ID, device=device, dtype=dtype, name="ip2p")


def ip2p_in_local_cache(hub_id: str = IP2P_HUB_ID) -> bool:
    """Whether InstructPix2Pix weights are already in the local Hugging Face cache (no network)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    hit = try_to_load_from_cache(hub_id, "model_index.json")
    return isinstance(hit, str) and os.path.isfile(hit)


def _photo(**_):
    from .photo import PhotoEditor

    return PhotoEditor()


def _auto(*, model=None, device=None, dtype=None, **_):
    """The router (editing/routing.py): the photo engine for exact operations, InstructPix2Pix weights
    when the user has them (given, or cached locally) for the rest, the tiny model on its own world."""
    from .photo import PhotoEditor
    from .routing import AutoEditor

    generative = None
    if model:  # a model the user named loads now: a bad path is an error at start, not mid-conversation
        loaded = _ip2p(model=model, device=device, dtype=dtype)

        def generative():
            return loaded
    elif ip2p_in_local_cache():
        def generative():
            from .pipeline import InstructPix2PixEditor

            try:
                return InstructPix2PixEditor.from_pretrained(IP2P_HUB_ID, device=device, dtype=dtype, name="ip2p",
                                                             local_files_only=True)
            except ConfigError:
                return None  # an incomplete cache: as if there were no weights
    world = None
    if (models_dir() / "dialogpaint-tiny" / "model_index.json").is_file():
        def world():
            return _tiny(device=device, dtype=dtype)
    return AutoEditor(PhotoEditor(), generative=generative, world=world)


register_editor("identity", _identity, "returns the input unchanged (tests, baselines)")
register_editor("random", _random, "tiny InstructPix2Pix-form model with random weights (tests, no edits)")
register_editor("tiny", _tiny, "DialogPaint-Tiny, bundled in models/, CPU, trained on the synthetic world")
register_editor("ip2p", _ip2p, f"InstructPix2Pix weights: --model FOLDER or hub id (default {IP2P_HUB_ID}); GPU advised")
register_editor("photo", _photo, "exact photo edits (tone, light, seasons, weather, styles, geometry, regions), "
                "full resolution, CPU, no weights")
register_editor("auto", _auto, "per edit: the photo engine when it can do it exactly, else InstructPix2Pix weights "
                "(--model or the local cache), else DialogPaint-Tiny on its synthetic world; refuses otherwise")
