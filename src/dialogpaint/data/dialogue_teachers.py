"""Dialogue teachers: who writes a dialogue for a caption (paper Sec. 3.1.1).

Is: the self-instruct prompt (a prompt head + k seed examples + the caption), a teacher that sends it
to any OpenAI-compatible endpoint (what the paper did with a far larger model), and an offline
procedural teacher that composes dialogues from the caption with varied phrasing, so the whole
pipeline runs here. Both return text in the dialogue format (dialogue_format.py). Is not: the
dataset builder (dialogues.py), which parses, validates, dedupes and splits.
"""

from __future__ import annotations

import random

from ..dialogue.frames import caption_nouns
from .dialogue_format import format_dialogue

PROMPT_HEAD = (
    "You write training dialogues for DialogPaint, an assistant that edits a picture through conversation. "
    "Given the caption of a picture, write one natural dialogue between a user and the assistant about editing "
    "it. The user may be vague; then the assistant asks one short clarifying question with options taken from "
    "the picture, and edits once the request is clear. Every edit carries one explicit imperative instruction "
    "naming the thing and the change. Include, across dialogues, multi-round edits, corrections, forgetting an "
    "edit, and small talk. Use exactly the format of the examples: '## caption', 'U:' lines, and 'A:' lines of "
    "the forms 'A: edit: INSTRUCTION | message', 'A: revise: INSTRUCTION | message', 'A: ask | question', "
    "'A: forget last|all|N|words | message', 'A: chat | message'. Write only the dialogue.")


def self_instruct_prompt(caption: str, examples: list[dict]) -> list[dict]:
    """Chat messages: the head, k examples, then the caption to write for."""
    shots = "\n\n".join(format_dialogue(e) for e in examples)
    return [{"role": "system", "content": PROMPT_HEAD},
            {"role": "user", "content": f"Examples:\n\n{shots}\n\nNow write one dialogue for this caption.\n## {caption}"}]


class OpenAIDialogueTeacher:
    """Sends the self-instruct prompt to an OpenAI-compatible chat endpoint."""

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str | None = None, temperature: float = 0.9):
        self.base_url, self.model, self.api_key, self.temperature = base_url, model, api_key, temperature

    def write(self, caption: str, examples: list[dict], rng: random.Random) -> str:
        from ..openai_chat import chat_completion

        text = chat_completion(self.base_url, self.model, self_instruct_prompt(caption, examples),
                               api_key=self.api_key, temperature=self.temperature)
        return text if text.lstrip().startswith("##") else f"## {caption}\n{text}"


# --- the procedural teacher ----------------------------------------------------------------------
COLOURS = ("red", "blue", "green", "yellow", "purple", "pink", "orange", "white", "black", "gold", "silver", "teal")
OBJECTS = ("cat", "dog", "tree", "bicycle", "lamp", "teapot", "sunflower", "robot", "statue", "horse", "boat",
           "pumpkin", "snowman", "cactus", "balloon", "rabbit", "penguin", "castle", "umbrella", "guitar")
ADDITIONS = ("a rainbow", "a hot air balloon", "a flock of birds", "a full moon", "some flowers", "a red kite",
             "a small dog", "falling snow", "a lantern", "butterflies", "a campfire", "a sailboat")
STYLES = ("a watercolor painting", "a pencil sketch", "an oil painting", "pixel art", "a Van Gogh painting",
          "a comic book drawing", "an anime drawing", "a mosaic")
STYLE_WORDS = {"a watercolor painting": "watercolor", "a pencil sketch": "sketch", "an oil painting": "oil painting",
               "pixel art": "pixel art", "a Van Gogh painting": "Van Gogh", "a comic book drawing": "comic book",
               "an anime drawing": "anime", "a mosaic": "mosaic"}
SCENES = ("the beach", "Mars", "a snowy forest", "the desert", "a big city", "the moon", "a tropical island")
CONDITIONS = {"night": "make it night", "sunset": "make it sunset", "winter": "make it winter",
              "autumn": "make it autumn", "rainy": "make it rain", "foggy": "make it foggy", "stormy": "make it stormy"}
IMPLICIT = {"it's too dark": "make the image brighter", "this is way too bright": "make the image darker",
            "the colours look dull": "make the colors more vivid", "it feels a bit cold": "make the colors warmer",
            "it's blurry": "make the image sharper"}

U = {  # user phrasings per intent; {t} target noun, {v} value
    "color": ["make the {t} {v}", "can you turn the {t} {v}?", "I'd like the {t} to be {v}", "paint the {t} {v} please",
              "change the {t} to {v}", "could the {t} be {v}?"],
    "replace": ["replace the {t} with a {v}", "turn the {t} into a {v}", "swap the {t} for a {v}",
                "can you change the {t} into a {v}?"],
    "add": ["add {v}", "put {v} in the picture", "can you add {v}?", "I want {v} in there"],
    "remove": ["remove the {t}", "get rid of the {t}", "take out the {t} please", "delete the {t}"],
    "style": ["make it look like {v}", "turn it into {v}", "can you make it {v}?", "{w} style please"],
    "scene": ["move it to {v}", "put everything on {v}", "change the background to {v}", "set it on {v}"],
    "condition": ["make it {w}", "can it be {w}?", "turn it {w}", "{w} please"],
    "vague_color": ["change the colour of the {t}", "make the {t} a different colour", "recolour the {t}",
                    "the {t} needs another colour"],
    "vague_replace": ["replace the {t}", "swap the {t} for something else", "change the {t} into something else"],
    "vague_what": ["make it better", "change something", "make it look cool", "do something fun with it",
                   "make it different"],
    "vague_remove": ["remove something", "delete it", "take something out"],
    "answer": ["{v}", "{v} please", "let's go with {v}", "maybe {v}", "how about {v}?"],
    "correct": ["no, {v} instead", "actually {v}", "hmm, make it {v}", "not that, {v}"],
    "thanks": ["thanks!", "thank you", "great, thanks", "perfect", "love it", "nice work"],
    "greet": ["hi", "hello!", "hey there", "good morning"],
    "help": ["what can you do?", "how does this work?", "help"],
    "summary": ["what have you changed so far?", "what did you do?", "list the edits", "what changes so far?"],
    "forget_last": ["undo", "undo that", "forget that", "go back", "forget the last edit"],
    "forget_all": ["start over", "forget everything", "undo all the edits", "forget all of it"],
    "forget_words": ["forget the {w}", "remove the {w} edit", "undo the {w}"],
    "bye": ["that's all, bye", "bye!", "I'm done, thanks"],
}
A = {
    "edit": ["Sure: {i}.", "Editing: {i}.", "On it: {i}.", "Okay, I'll {i}."],
    "thanks": ["You're welcome! Anything else?", "Glad you like it.", "Happy to help. What next?"],
    "greet": ["Hello! What should I change in the picture?", "Hi! Tell me an edit, like \"make the sky pink\"."],
    "help": ["I recolour, replace, add and remove things, change the style, the scene, the time of day and the "
             "weather, and I can undo or forget any edit."],
    "bye": ["Goodbye! Your versions are saved in this session.", "Bye! Come back for more edits."],
}


def _pick(rng: random.Random, xs, **kw) -> str:
    return rng.choice(xs).format(**kw)


class ProceduralTeacher:
    """Composes a dialogue from the caption's nouns: episodes of edits, questions, corrections, forgets, chat."""

    name = "procedural"

    def write(self, caption: str, examples: list[dict], rng: random.Random) -> str:
        nouns = caption_nouns(caption) or ["picture"]
        turns: list[dict] = []
        live: list[tuple[str, str]] = []  # (instruction, keyword) of live edits

        def say(user: str, action: str, text: str, **extra):
            turns.append({"role": "user", "text": user})
            turns.append({"role": "assistant", "action": action, "text": text, **extra})

        def edit(user: str, instr: str, key: str, revise: bool = False):
            extra = {"instruction": instr, **({"forget": "last"} if revise else {})}
            say(user, "edit", _pick(rng, A["edit"], i=instr), **extra)
            if revise:
                live.pop()
            live.append((instr, key))

        if rng.random() < 0.25:
            say(_pick(rng, U["greet"]), "chat", _pick(rng, A["greet"]))
        if rng.random() < 0.1:
            say(_pick(rng, U["help"]), "chat", _pick(rng, A["help"]))
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            if len(turns) > 6:
                break  # at most 16 lines in all: each episode adds up to 6, the ending 2
            self._episode(rng, nouns, say, edit, live)
            r = rng.random()
            if live and r < 0.2:
                instr, _ = live.pop()
                say(_pick(rng, U["forget_last"]), "forget", f"Forgot '{instr}'.", forget="last")
            elif len(live) >= 2 and r < 0.3:
                k = rng.randrange(len(live))
                instr, key = live.pop(k)
                say(_pick(rng, U["forget_words"], w=key), "forget", f"Forgot '{instr}'.", forget=key)
            elif live and r < 0.4:
                say(_pick(rng, U["summary"]), "chat",
                    "So far: " + "; ".join(f"{i}. {e}" for i, (e, _) in enumerate(live, 1)) + ".")
        r = rng.random()
        if len(live) >= 2 and r < 0.1:
            live.clear()
            say(_pick(rng, U["forget_all"]), "forget", "All edits forgotten: back to the original.", forget="all")
        elif r < 0.45:
            say(_pick(rng, U["thanks"]), "chat", _pick(rng, A["thanks"]))
        elif r < 0.55:
            say(_pick(rng, U["bye"]), "chat", _pick(rng, A["bye"]))
        return format_dialogue({"caption": caption, "turns": turns})

    def _episode(self, rng, nouns, say, edit, live):
        t = rng.choice(nouns)
        kind = rng.choice(("color", "color", "replace", "add", "remove", "style", "scene", "condition", "implicit",
                           "vague_color", "vague_color", "vague_replace", "vague_what", "vague_remove", "correct"))
        if kind in ("color", "correct"):
            v = rng.choice(COLOURS)
            edit(_pick(rng, U["color"], t=t, v=v), f"make the {t} {v}", t)
            if kind == "correct":
                w = rng.choice([c for c in COLOURS if c != v])
                edit(_pick(rng, U["correct"], v=w), f"make the {t} {w}", t, revise=True)
        elif kind == "replace":
            v = rng.choice(OBJECTS)
            edit(_pick(rng, U["replace"], t=t, v=v), f"replace the {t} with a {v}", v)
        elif kind == "add":
            v = rng.choice(ADDITIONS)
            edit(_pick(rng, U["add"], v=v), f"add {v}", v.split()[-1])
        elif kind == "remove":
            edit(_pick(rng, U["remove"], t=t), f"remove the {t}", t)
        elif kind == "style":
            v = rng.choice(STYLES)
            edit(_pick(rng, U["style"], v=v, w=STYLE_WORDS[v]), f"make it look like {v}", STYLE_WORDS[v].split()[-1])
        elif kind == "scene":
            v = rng.choice(SCENES)
            edit(_pick(rng, U["scene"], v=v), f"move it to {v}", v.split()[-1])
        elif kind == "condition":
            w = rng.choice(list(CONDITIONS))
            edit(_pick(rng, U["condition"], w=w), CONDITIONS[w], w)
        elif kind == "implicit":
            u = rng.choice(list(IMPLICIT))
            edit(u, IMPLICIT[u], IMPLICIT[u].split()[-1])
        elif kind == "vague_color":
            opts = rng.sample(COLOURS, 3)
            say(_pick(rng, U["vague_color"], t=t), "ask",
                f"Which colour would you like the {t} to be? For example {opts[0]}, {opts[1]} or {opts[2]}.")
            v = rng.choice(opts + [rng.choice(COLOURS)])
            edit(_pick(rng, U["answer"], v=v), f"make the {t} {v}", t)
        elif kind == "vague_replace":
            opts = rng.sample(OBJECTS, 3)
            say(_pick(rng, U["vague_replace"], t=t), "ask",
                f"What should replace the {t}? For example a {opts[0]}, a {opts[1]} or a {opts[2]}.")
            v = rng.choice(opts)
            edit(_pick(rng, U["answer"], v=f"a {v}"), f"replace the {t} with a {v}", v)
        elif kind == "vague_what":
            named = ", the ".join(rng.sample(nouns, min(2, len(nouns))))
            say(_pick(rng, U["vague_what"]), "ask",
                f"What would you like to change? The {named}, the style, or the time of day?")
            v = rng.choice(STYLES)
            edit(_pick(rng, U["style"], v=v, w=STYLE_WORDS[v]), f"make it look like {v}", STYLE_WORDS[v].split()[-1])
        else:  # vague_remove
            named = " or the ".join(rng.sample(nouns, min(2, len(nouns))))
            say(_pick(rng, U["vague_remove"]), "ask", f"What should I remove? The {named}?")
            edit(f"the {t}", f"remove the {t}", t)
