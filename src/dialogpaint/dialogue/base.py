"""The dialogue protocol: what a dialogue model sees (ConversationState) and says (Reply).

Is: plain data and the `DialogueModel` protocol. Is not: any backend (direct.py, ...), nor the
session that acts on replies (session.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

Action = Literal["edit", "ask", "forget", "chat"]
ACTIONS: tuple[str, ...] = ("edit", "ask", "forget", "chat")


@dataclass(frozen=True)
class ForgetTarget:
    """Which edit(s) to forget. The session resolves it against the live edits."""

    kind: Literal["last", "all", "one"]
    index: int | None = None  # 1-based position among the live edits (kind == "one")
    words: str | None = None  # words from the edit's instruction, e.g. "rainbow" (kind == "one")

    @classmethod
    def of(cls, which) -> "ForgetTarget | None":
        """"last", "all", an edit number (1-based), or words of the edit; None for anything else.

        The one reading of a forget target given as a value (API, buttons, model answers, data)."""
        if which in ("last", "all"):
            return cls(which)
        if isinstance(which, int) and not isinstance(which, bool):
            return cls("one", index=which)
        if isinstance(which, str) and which.strip():
            return cls("one", words=which.strip())
        return None


@dataclass(frozen=True)
class Reply:
    action: Action                       # what the session does
    message: str                         # what the user reads
    instruction: str | None = None       # explicit instruction T when action == "edit"
    forget: ForgetTarget | None = None   # for "forget"; with "edit" it means "revise": forget, then edit
    version: int | None = None           # set by the session: the image version after this reply

    def __post_init__(self):
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}")
        if self.action == "edit" and not (self.instruction and self.instruction.strip()):
            raise ValueError("an edit reply needs an instruction")
        if self.action == "forget" and self.forget is None:
            raise ValueError("a forget reply needs a ForgetTarget")


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant"]
    text: str
    action: str | None = None        # assistant turns: the reply's action
    instruction: str | None = None   # assistant turns: the instruction sent to the editor, if any


@dataclass(frozen=True)
class LiveEdit:
    """An edit in effect on the current image, as the session reports it."""

    index: int          # 1-based position among the live edits
    id: int             # stable id of the edit event in the session's log
    instruction: str
    seed: int
    version: int        # image version this edit produced in the current chain


@dataclass(frozen=True)
class ConversationState:
    turns: tuple[Turn, ...]                    # oldest first; the last one is the user's new message
    edits: tuple[LiveEdit, ...] = ()           # live edits, oldest first
    caption: str | None = None                 # caption of the original image, if known
    extra: dict = field(default_factory=dict)  # backend-specific context the caller passes through

    @property
    def last_user_text(self) -> str:
        for t in reversed(self.turns):
            if t.role == "user":
                return t.text
        return ""


@runtime_checkable
class DialogueModel(Protocol):
    """Reads the conversation, answers with one Reply. Never touches pixels."""

    name: str

    def respond(self, state: ConversationState) -> Reply: ...
