"""DialogPaint: edit an image by conversation.

    from dialogpaint import Session, load_editor, load_dialogue
    session = Session(image, editor=load_editor("tiny"), dialogue=load_dialogue())
    reply = session.send("make the ball red")

Importing this package loads neither torch nor diffusers; they load when an editor is built.
"""

from .dialogue import load_dialogue
from .editing import load_editor
from .errors import ConfigError, DialogPaintError, ImageError
from .session import Session

__version__ = "0.1.0"
__all__ = ["ConfigError", "DialogPaintError", "ImageError", "Session", "load_dialogue", "load_editor"]
