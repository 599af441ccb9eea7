"""User-facing errors.

A `DialogPaintError` carries a message written for the person at the keyboard; the CLI prints it as
one line and exits 2, the HTTP API turns it into a 4xx. Anything else that escapes is a bug.
"""


class DialogPaintError(Exception):
    """Bad input or configuration, explained in one sentence."""


class ImageError(DialogPaintError):
    """The image could not be read or is not acceptable (missing, corrupt, too large)."""


class ConfigError(DialogPaintError):
    """An unknown backend name, a parameter out of range, a model folder that is not one."""


class UnsupportedEditError(DialogPaintError):
    """No editor here can do this edit (no weights for it, or the region it names was not found).

    The session answers with the message, logs no edit and leaves the picture as it was."""
