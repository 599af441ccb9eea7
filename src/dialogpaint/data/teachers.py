"""Instruction teachers (the paper's Step 2): caption -> (modify instruction, edited caption).

`WorldTeacher` reads the scene graph and draws an exact edit, offline. `OpenAITeacher` asks any
OpenAI-compatible chat endpoint (what the paper did with text-davinci-003) with a self-instruct
prompt: a prompt head, k examples, the caption; its answer is parsed and validated as JSON.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from ..errors import ConfigError
from ..openai_chat import chat_completion, first_json_object
from ..world.edits import WorldEdit, random_edit
from ..world.scene import Scene

PROMPT_HEAD = ("You write image-editing data. Given an image caption, write one short imperative instruction "
               "that edits the image (colour, object replacement, adding or removing an object, scene, time of "
               "day, weather or style) and the caption of the edited image. Answer with JSON only: "
               '{"instruction": "...", "edited_caption": "..."}')

SEED_EXAMPLES = [
    ("a brown dog sitting on a green sofa", "replace the dog with a cheetah", "a cheetah sitting on a green sofa"),
    ("a woman in a white shirt walking in a park", "make her shirt red", "a woman in a red shirt walking in a park"),
    ("a small bird perched on a branch", "make it winter", "a small bird perched on a snowy branch"),
    ("a city street at noon", "make it night", "a city street at night"),
    ("a bowl of fruit on a table", "turn it into a watercolor painting", "a watercolor painting of a bowl of fruit"),
    ("a red car parked by the sea", "move it to Mars", "a red car parked on Mars"),
    ("a man with glasses smiling", "remove his glasses", "a man smiling"),
    ("two cats on a bed", "add a rainbow in the background", "two cats on a bed with a rainbow in the background"),
]


@dataclass(frozen=True)
class Proposal:
    instruction: str
    edited_caption: str
    family: str = "free"
    edit: WorldEdit | None = None  # set by the world teacher: the exact edit on the scene graph


class WorldTeacher:
    name = "world"

    def propose(self, caption: str, rng: random.Random, scene: Scene | None = None) -> Proposal:
        if scene is None:
            raise ConfigError("the world teacher needs scenes of the world (use --teacher openai for captions)")
        e = random_edit(scene, rng)
        return Proposal(e.instruction, e.after.caption(), e.family, e)


class OpenAITeacher:
    """Any OpenAI-compatible /chat/completions endpoint (Ollama, vLLM, llama.cpp server, hosted APIs)."""

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str | None = None, k_examples: int = 4,
                 timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.k = k_examples
        self.timeout = timeout

    def prompt(self, caption: str, rng: random.Random) -> list[dict]:
        shots = rng.sample(SEED_EXAMPLES, min(self.k, len(SEED_EXAMPLES)))
        msgs = [{"role": "system", "content": PROMPT_HEAD}]
        for cap, ins, ed in shots:
            msgs.append({"role": "user", "content": f"Caption: {cap}"})
            msgs.append({"role": "assistant", "content": json.dumps({"instruction": ins, "edited_caption": ed})})
        msgs.append({"role": "user", "content": f"Caption: {caption}"})
        return msgs

    def propose(self, caption: str, rng: random.Random, scene: Scene | None = None) -> Proposal | None:
        content = chat_completion(self.base_url, self.model, self.prompt(caption, rng), api_key=self.api_key,
                                  temperature=0.8, timeout=self.timeout)
        return parse_proposal(content)


def parse_proposal(content: str) -> Proposal | None:
    """The JSON object in a teacher's answer, validated; None when malformed."""
    doc = first_json_object(content)
    if doc is None:
        return None
    ins, cap = doc.get("instruction"), doc.get("edited_caption")
    if not (isinstance(ins, str) and isinstance(cap, str)) or not ins.strip() or not cap.strip() or len(ins) > 200:
        return None
    return Proposal(ins.strip(), cap.strip())
