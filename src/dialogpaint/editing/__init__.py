"""Editors: the protocol, dual guidance, our InstructPix2Pix sampling loop, loading by name."""

from .base import EditParams, Editor, IdentityEditor
from .loading import EDITORS, load_editor, register_editor


def __getattr__(name):  # torch and diffusers load only when the pipeline is asked for
    if name == "InstructPix2PixEditor":
        from .pipeline import InstructPix2PixEditor

        return InstructPix2PixEditor
    raise AttributeError(name)


__all__ = ["EDITORS", "EditParams", "Editor", "IdentityEditor", "InstructPix2PixEditor", "load_editor",
           "register_editor"]
