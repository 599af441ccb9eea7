"""Where DialogPaint finds its bundled models and keeps the user's data.

Is: two folders, each overridable by an environment variable. The bundled models ship inside the
package (`dialogpaint/models`, package data; in a checkout a link to the repository's `models/`), so
a wheel installed anywhere finds them. Is not: any loading (editing/loading.py, dialogue/) and
imports nothing heavy, so every layer may use it.
"""

from __future__ import annotations

import os
from pathlib import Path


def models_dir() -> Path:
    """The bundled models: $DIALOGPAINT_MODELS, else the package's `models` folder."""
    env = os.environ.get("DIALOGPAINT_MODELS")
    return Path(env) if env else Path(__file__).resolve().parent / "models"


def data_home() -> Path:
    """The user's data (chat sessions, the server's store): $DIALOGPAINT_HOME, else ~/.local/share/dialogpaint."""
    return Path(os.environ.get("DIALOGPAINT_HOME") or Path.home() / ".local" / "share" / "dialogpaint")
