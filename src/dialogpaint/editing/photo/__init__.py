"""The photo engine: exact edits of real photographs (tone, light, seasons, weather, styles,
geometry, regions) with OpenCV and numpy, no generative model. `load_editor("photo")`."""

from .engine import PhotoEditor
from .parse import PhotoOp, parse_instruction

__all__ = ["PhotoEditor", "PhotoOp", "parse_instruction"]
