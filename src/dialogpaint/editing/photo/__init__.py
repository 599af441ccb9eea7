"""The photo engine: exact edits of real photographs (tone, light, seasons, weather, styles,
geometry, regions) with OpenCV and numpy, no generative model. `load_editor("photo")`."""

from .engine import PhotoEditor
from .parse import PhotoOp, PhotoPlan, parse_instruction, parse_plan

__all__ = ["PhotoEditor", "PhotoOp", "PhotoPlan", "parse_instruction", "parse_plan"]
