"""The `direct` backend: InstructPix2Pix without dialogue.

Every message is taken as the instruction as-is, except plain undo/forget phrases, and an empty
message, which gets a question back instead of an edit.
"""

from __future__ import annotations

from .base import ConversationState, Reply
from .intents import parse_forget


class DirectDialogue:
    name = "direct"

    def respond(self, state: ConversationState) -> Reply:
        text = " ".join(state.last_user_text.split())
        if not text:
            return Reply("ask", "What would you like to change in the image?")
        target = parse_forget(text)
        if target is not None:
            return Reply("forget", "Forgetting as asked.", forget=target)
        return Reply("edit", f"Editing: {text}", instruction=text)
