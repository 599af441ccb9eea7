"""The `rules` backend: a deterministic reading of editing requests (no model, well under 5 ms).

It turns a message into a frame (family, target, value), asks when a part is missing or is a
placeholder ("something else", "a different colour"), completes a pending request with the answer
to its question, revises the last edit on a correction ("no, make it blue instead"), and answers
greetings, thanks, help and "what have you changed?" from the live edits. The instruction it emits
is a short InstructPix2Pix-style imperative naming the target and the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import ConversationState, ForgetTarget, Reply, Turn
from .intents import parse_forget

COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black", "brown", "gray", "grey",
           "gold", "silver", "cyan", "magenta", "violet", "turquoise", "beige", "navy", "teal", "maroon", "blonde", "blond",
           "golden", "auburn", "lime", "crimson", "lavender")
PLACEHOLDERS = ("something else", "something different", "different", "another", "other", "better", "cool",
                "nicer", "nice", "something", "anything", "whatever", "interesting", "fun", "prettier", "new", "else", "other one",
                "different one")
STYLES = {"watercolor": "a watercolor painting", "watercolour": "a watercolor painting", "sketch": "a pencil sketch",
          "oil painting": "an oil painting", "van gogh": "a Van Gogh painting", "cartoon": "a cartoon",
          "anime": "an anime drawing", "pixel art": "pixel art", "sepia": "a sepia photo", "pop art": "pop art",
          "impressionist": "an impressionist painting", "black and white": "black and white",
          "comic": "a comic book drawing", "comic book": "a comic book drawing", "vintage": "a vintage photo",
          "mosaic": "a mosaic", "charcoal": "a charcoal drawing", "claymation": "claymation"}
CONDITIONS = {"night": "make it night", "nighttime": "make it night", "day": "make it daytime",
              "daytime": "make it daytime", "sunset": "make it sunset", "dusk": "make it sunset",
              "winter": "make it winter", "snowy": "make it snow", "snow": "make it snow", "rain": "make it rain",
              "rainy": "make it rain", "autumn": "make it autumn", "fall": "make it autumn", "spring": "make it spring",
              "summer": "make it summer", "foggy": "make it foggy", "fog": "make it foggy", "stormy": "make it stormy"}
IMPLICIT = [(r"\btoo dark\b|\bcan'?t see\b", "make the image brighter"),
            (r"\btoo bright\b|\bwashed out\b|\boverexposed\b", "make the image darker"),
            (r"\b(?:too|so|a bit|kind of|rather|very|pretty|looks?) dull\b|\bboring colou?rs\b|\bbland\b|\bwashed-out\b",
             "make the colors more vivid"),
            (r"\btoo blurry\b|\bnot sharp\b", "make the image sharper"),
            (r"\btoo (?:cold|blue)\b", "make the colors warmer"), (r"\btoo (?:warm|yellow)\b", "make the colors cooler")]
GLOBAL = {"brighter": "make the image brighter", "darker": "make the image darker",
          "more contrast": "increase the contrast", "more colorful": "make the colors more vivid",
          "more colourful": "make the colors more vivid", "warmer": "make the colors warmer",
          "cooler": "make the colors cooler", "sharper": "make the image sharper"}
PRONOUNS = ("it", "that", "this", "them", "one")
GREETING = re.compile(r"^(hi|hello|hey|good (morning|afternoon|evening)|howdy)\b")
THANKS = re.compile(r"^(thanks|thank you|thx|ty|cheers|great|perfect|awesome|nice|good job|great job|well done|"
                    r"cool,? thanks|looks (good|great)|love it)\b")
HELP = re.compile(r"\b(help|what can you do|how does this work|how do i)\b")
SUMMARY = re.compile(r"\b(what (have|did) you (changed?|done|do)|what changes|what'?s changed|what changed|"
                     r"list (the )?edits|summar|so far)\b")
CORRECTION = re.compile(r"^(?:(?:no|nope|not that|actually|wait|hmm|sorry|instead|oh)\b[,!.]?\s*)+(?P<rest>.*)$")
BYE = re.compile(r"\b(bye|goodbye|that'?s all|that is all|i'?m done|all done|see you)\b")
CONNECTOR = re.compile(r"^(?:(?:and|now|also|then|next|ok|okay|alright|so|great|nice|good),?\s+)+")


@dataclass(frozen=True)
class Frame:
    family: str                 # color, replace, add, remove, style, scene, condition, size, global, free
    target: str | None = None   # "the car", "her eyes"
    value: str | None = None    # "blue", "a cheetah", "the beach"

    def missing(self) -> str | None:
        if self.family == "vague":
            return "what"
        if self.family == "change":
            return "value"
        if self.family in ("color", "replace", "remove", "size") and (
                not self.target or self.target in PRONOUNS or _placeholder(self.target)):
            return "target"
        if self.family in ("color", "replace", "add", "style", "scene") and (not self.value or _placeholder(self.value)):
            return "value"
        return None

    def instruction(self) -> str:
        t, v = self.target, self.value
        return {"color": f"make {t} {v}", "replace": f"replace {t} with {v}", "add": f"add {v}",
                "remove": f"remove {t}", "style": f"make it {v}", "scene": f"move it to {v}",
                "size": f"make {t} {v}", "condition": v, "global": v, "free": v}[self.family]


def _placeholder(v: str) -> bool:
    v = re.sub(r"^(a|an|the|some)\s+", "", v.strip())
    v = re.sub(r"\s+(one|colou?r|thing|object|style|place|background)$", "", v)
    return v in PLACEHOLDERS or not v


def _the(noun: str) -> str:
    noun = noun.strip()
    return noun if re.match(r"^(the|his|her|their|its|my|your|a|an)\b", noun) or noun in PRONOUNS else f"the {noun}"


def _a(noun: str) -> str:
    noun = noun.strip()
    if re.match(r"^(a|an|the|some|two|three|\d+)\b", noun) or _placeholder(noun):
        return noun
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


COLOUR_RE = "|".join(COLOURS)
PATTERNS: list[tuple[str, str]] = [
    # colour: "make the car blue", "turn her eyes blue", "change the colour of the car to blue"
    ("color", r"^(?:change|make|turn|paint|color|colour|recolou?r) (?:the )?colou?r of (?P<t>.+?)(?: (?:to|into) (?P<v>.+))?$"),
    ("color", rf"^(?:change|make|turn|paint|color|colour|recolou?r) (?P<t>.+?) (?:to |into )?(?:a )?(?P<v>{COLOUR_RE}|(?:a |an )?(?:different|another|other|new|nicer|better) colou?r)$"),
    ("color", r"^(?:change|make|turn) (?:the )?colou?r$"),
    ("replace", r"^(?:replace|swap|substitute) (?P<t>.+?)(?: (?:with|for|by) (?P<v>.+))?$"),
    ("replace", r"^(?:turn|change|transform|make) (?P<t>.+?) (?:into|to) (?P<v>.+)$"),
    ("add", r"^(?:add|put|place|insert|draw|include) (?P<v>.+?)(?: (?:in|to|into|on) (?:the )?(?:picture|image|photo|scene))?$"),
    ("remove", r"^(?:remove|delete|erase|get rid of|take away|take out) (?P<t>.+)$"),
    ("scene", r"^(?:move|put|place|take|send) (?:it|them|everything|the scene) (?:to|on|in|into|onto) (?P<v>.+)$"),
    ("scene", r"^(?:change|make|turn) the (?:background|setting|scene) (?:to|into) (?P<v>.+)$"),
    ("size", r"^(?:make) (?P<t>.+?) (?P<v>bigger|smaller|larger|taller|shorter|wider|thinner)$"),
]


def parse(text: str) -> Frame | None:
    """A frame for an editing request, or None when the text is not one."""
    t = " ".join(re.sub(r"[?!.]+$", "", text.lower().strip()).split())
    t = CONNECTOR.sub("", t)
    t = re.sub(r"^(?:please|can you|could you|would you|i want you to|i'd like you to|let's|lets)\s+", "", t)
    t = re.sub(r"\s+please$", "", t)
    for pat, instr in IMPLICIT:
        if re.search(pat, t):
            return Frame("global", value=instr)
    for word, instr in GLOBAL.items():
        if re.fullmatch(rf"(?:make )?(?:it|the image|the picture)? ?{word}", t):
            return Frame("global", value=instr)
    m = re.match(r"^(?:make|turn|change|render|draw|paint)(?: it| this| the (?:image|picture|photo))?(?: look)?(?: like| into| as| to| in)?(?: the style of)?(?: an?)? (?P<v>.+?)(?: style)?$", t)
    if m:
        v = m.group("v")
        for key, style in sorted(STYLES.items(), key=lambda kv: -len(kv[0])):
            if re.search(rf"\b{key}\b", v):
                return Frame("style", value=style)
        if v in CONDITIONS:
            return Frame("condition", value=CONDITIONS[v])
        if _placeholder(v) and re.match(r"^(?:make|change) (?:it|this)(?: look)? (?!to |into )", t):
            return Frame("vague")  # "make it better", "make it look cool"
        if _placeholder(v) and re.match(r"^(?:make|turn|change) (?:it|this)", t):
            return Frame("replace", target="it", value=v)
    for word, instr in CONDITIONS.items():
        if re.fullmatch(rf"(?:make it |turn it (?:into )?|it should be )?{word}(?: time)?", t):
            return Frame("condition", value=instr)
    if re.fullmatch(r"(?:change|edit|modify|fix|do|improve|alter) (?:something|anything|stuff|it|this|things|"
                    r"the (?:image|picture|photo))(?: up)?", t):
        return Frame("vague")
    if re.fullmatch(r"(?:remove|delete|erase|get rid of)(?: something| it| that)?", t):
        return Frame("remove")
    m = (re.fullmatch(r"(?:change|make|turn|paint|recolou?r) (?P<t>.+?)'s colou?r(?: (?:to|into) (?P<v>.+))?", t)
         or re.fullmatch(r"(?:change|make|turn|paint|recolou?r) (?P<t>.+?) colou?r (?:to|into) (?P<v>.+)", t))
    if m and m.group("t") not in ("the", "a", "its"):
        v = m.group("v")
        return Frame("color", _the(m.group("t")), v.split()[-1] if v and v.split()[-1] in COLOURS else v)
    m = re.fullmatch(r"(?:could|can|should|shall) (?P<t>.+?) be (?:a |an )?(?P<v>[a-z]+)|(?P<t2>.+?) (?:should|could|must|needs? to) be "
                     r"(?:a |an )?(?P<v2>[a-z]+)", t)
    if m and (m.group("v") or m.group("v2")) in COLOURS:
        return Frame("color", _the(m.group("t") or m.group("t2")), m.group("v") or m.group("v2"))
    m = re.fullmatch(r"(?:paint|recolou?r|colou?r) (?P<t>(?:the|his|her|their|its) [a-z' ]+)", t)
    if m and m.group("t").split()[-1] not in COLOURS:
        return Frame("color", _the(m.group("t")))
    m = re.fullmatch(r"(?:change|alter|modify|swap) (?P<t>(?:the|his|her|their|its) (?!colou?r|background|style)(?:(?! (?:to|into|with|for) )[a-z' ])+)", t)
    if m:
        return Frame("change", _the(m.group("t")))
    for family, pat in PATTERNS:
        m = re.match(pat, t)
        if not m:
            continue
        g = m.groupdict()
        target, value = g.get("t"), g.get("v")
        if family == "replace" and value and value.split()[-1] in COLOURS and not re.match(r"^(a|an)\s", value):
            family = "color"  # "change the car to blue" (but "replace the apple with an orange")
        if family in ("color", "replace", "remove", "size") and target:
            target = _the(target)
        if family in ("replace", "add") and value:
            value = _a(value)
        if family == "scene" and value and not re.match(r"^(the|a|an)\b", value) and value not in ("mars", "space"):
            value = "the " + value
        if family == "scene" and value in ("mars", "space"):
            value = value.capitalize() if value == "mars" else value
        return Frame(family, target, value)
    return None


def caption_nouns(caption: str | None) -> list[str]:
    if not caption:
        return []
    words = re.findall(r"\b(?:a|an|the|two|some)\s+(?:(?:small|large|big|" + COLOUR_RE + r")\s+)*([a-z]+)", caption.lower())
    return list(dict.fromkeys(w for w in words if w not in ("sky", "picture", "image")))


def _gibberish(t: str) -> bool:
    words = re.findall(r"[a-z]+", t.lower())
    if not words:
        return True
    odd = sum(1 for w in words if (not re.search(r"[aeiouy]", w) and len(w) > 2)
              or re.search(r"[^aeiouy\W\d]{5,}", w))
    return odd / len(words) >= 0.5 or (len(words) == 1 and len(words[0]) > 12)


class RulesDialogue:
    name = "rules"

    def respond(self, state: ConversationState) -> Reply:
        text = " ".join(state.last_user_text.split())
        low = text.lower()
        prev = _last_assistant(state.turns)
        # 1. nothing said, or noise
        if not text:
            return Reply("ask", "What would you like to change in the image?")
        # 2. forget / undo, social turns
        target = parse_forget(text)
        if target is not None:
            return Reply("forget", "Forgetting as asked.", forget=target)
        if SUMMARY.search(low):
            if not state.edits:
                return Reply("chat", "No edits yet: the image is the original.")
            return Reply("chat", "So far: " + "; ".join(f"{e.index}. {e.instruction}" for e in state.edits) + ".")
        if GREETING.match(low) and len(low.split()) <= 4:
            return Reply("chat", "Hello! Tell me what to change, for example \"make the sky pink\".")
        if BYE.search(low) and parse(text) is None:
            return Reply("chat", "Goodbye! Your versions stay in this session.")
        if THANKS.match(low) and parse(text) is None:
            return Reply("chat", "You're welcome. Anything else to change?")
        if HELP.search(low):
            return Reply("chat", "I edit the picture as you ask: colours, replacing or removing things, adding "
                                 "objects, styles (watercolor, sketch), the scene (\"move it to the beach\"), time and "
                                 "weather. Say \"undo\" or \"forget the ...\" to take an edit back.")
        # 3. a correction revises the last edit
        m = CORRECTION.match(low)
        if m and prev is not None and prev.action == "edit" and state.edits:
            rest = m.group("rest").strip()
            revised = self._revise(prev.instruction or "", rest)
            if revised:
                return Reply("edit", f"Sorry, changing that: {revised}.", instruction=revised,
                             forget=ForgetTarget("last"))
        # 4. a complete request stands on its own
        frame = _resolve_pronoun(parse(text), state)
        if frame is not None and frame.missing() is None:
            instr = frame.instruction()
            return Reply("edit", f"Editing: {instr}.", instruction=instr)
        # 5. else the answer to a pending question completes the request
        if prev is not None and prev.action == "ask":
            pending = _pending_frame(state.turns)
            if pending is not None:
                done = _complete(pending, text)
                if done is not None and done.missing() is None:
                    return Reply("edit", f"Got it: {done.instruction()}.", instruction=done.instruction())
                if done is not None and done != pending:  # one part given, another still missing
                    return Reply("ask", _question(done, done.missing(), state.caption))
        # 6. "and a camel" right after "add a cactus": one more of the same kind of edit
        more = CONNECTOR.sub("", low).strip(" .!")
        if (frame is None and prev is not None and prev.action == "edit" and (prev.instruction or "").startswith("add ")
                and re.fullmatch(r"(?:a|an|some|two|three|\d+) [a-z' -]+", more)):
            return Reply("edit", f"Editing: add {more}.", instruction=f"add {more}")
        # 7. a vague or unknown request
        if frame is not None:
            return Reply("ask", _question(frame, frame.missing(), state.caption))
        if _gibberish(text):
            return Reply("ask", "Sorry, I didn't understand that. What should I change? For example: "
                                "\"make the car blue\" or \"add a rainbow\".")
        if re.match(r"^(make|turn|change|add|remove|give|put|let|show|apply|replace|draw|paint)\b", low):
            return Reply("edit", f"Editing: {text}", instruction=text)
        return Reply("ask", f"What would you like me to do with that? For example \"make {_the(low)} red\".")

    @staticmethod
    def _revise(last: str, rest: str) -> str | None:
        rest = re.sub(r"\s*instead$", "", rest).strip(" ,.!")
        if not rest:
            return None
        frame = parse(rest)
        old = parse(last)
        if frame is not None and frame.target in PRONOUNS and old is not None and old.target:
            frame = Frame(frame.family, old.target, frame.value)
        if frame is not None and frame.missing() is None and frame.family not in ("free",):
            return frame.instruction()
        value = re.sub(r"^(?:make it|make them|it should be|i meant|i want)\s+", "", rest)
        if old is not None and old.value and value:
            if old.family == "color" and value.split()[-1] in COLOURS:
                return Frame("color", old.target, value.split()[-1]).instruction()
            if old.family in ("replace", "add"):
                return Frame(old.family, old.target, _a(value)).instruction()
        return None


def _resolve_pronoun(frame: Frame | None, state: ConversationState) -> Frame | None:
    """"make it smaller" right after "make the elephant pink": "it" is the last edit's target."""
    if frame is None or frame.target not in PRONOUNS or not state.edits:
        return frame
    old = parse(state.edits[-1].instruction)
    if old is None or not old.target or old.target in PRONOUNS:
        return frame
    return Frame(frame.family, old.target, frame.value)


def _last_assistant(turns: tuple[Turn, ...]) -> Turn | None:
    for t in reversed(turns[:-1]):
        if t.role == "assistant":
            return t
    return None


def _pending_frame(turns: tuple[Turn, ...]) -> Frame | None:
    """The request the last question was about, completed by the answers given since (not the newest)."""
    answers: list[str] = []
    k = len(turns) - 2  # turns[-1] is the newest user message
    while k >= 1 and turns[k].role == "assistant" and turns[k].action == "ask" and turns[k - 1].role == "user":
        frame = parse(turns[k - 1].text)
        if frame is not None:
            for a in reversed(answers):
                frame = _complete(frame, a) or frame
            return frame
        answers.append(turns[k - 1].text)
        k -= 2
    return None


def _complete(pending: Frame, answer: str) -> Frame | None:
    a = re.sub(r"[?!.]+$", "", answer.lower().strip())
    a = re.sub(r"^(?:make it|make them|turn it into|i want|i'd like|let's go with|go with|maybe|how about|please|"
               r"with|into|to|perhaps|let's try|try)\s+", "", a)
    a = re.sub(r",?\s+(?:please|thanks|thank you)$", "", a)
    missing = pending.missing()
    if missing == "what":
        return parse(f"make it {a}")
    if missing == "value" and pending.family == "change":
        if a.split()[-1] in COLOURS:
            return Frame("color", pending.target, a.split()[-1])
        style = parse(f"make it {a}")
        if style is not None and style.family in ("style", "condition"):
            return style
        return Frame("replace", pending.target, _a(re.sub(r"^(?:the|a|an) ", "", a)))
    if missing == "value":
        if pending.family == "color" and a.split()[-1] in COLOURS:
            return Frame("color", pending.target, a.split()[-1])
        if pending.family in ("replace", "add"):
            return Frame(pending.family, pending.target if pending.target not in PRONOUNS else "it", _a(a))
        if pending.family == "style":
            return Frame("style", value=STYLES.get(a, a))
        if pending.family == "scene":
            return Frame("scene", value=a if a.startswith("the ") else "the " + a)
    if missing == "target":
        return Frame(pending.family, _the(re.sub(r"^the ", "", a)), pending.value)
    return None


def _question(frame: Frame, missing: str, caption: str | None) -> str:
    nouns = caption_nouns(caption)
    options = f" ({', '.join(nouns[:3])}?)" if nouns else ""
    if missing == "what":
        return (f"What would you like to change to make it better?{options} For example a colour, a style such as "
                "watercolor, or the scene.")
    if missing == "target":
        what = {"color": "Which object should change colour", "replace": "What should I replace",
                "remove": "What should I remove", "size": f"What should be {frame.value}"}.get(frame.family, "Which part")
        return f"{what}?{options}"
    if frame.family == "color":
        return f"Which colour would you like {frame.target} to be? For example red, blue or green."
    if frame.family == "replace":
        return f"What should {frame.target} become? For example a cat, a tree or a car."
    if frame.family == "change":
        return (f"How should I change {frame.target}? A colour (red, blue...), something else in its place "
                "(a cat, a tree...), or a style?")
    if frame.family == "add":
        return "What should I add? For example a rainbow, a tree or a red ball."
    if frame.family == "style":
        return "Which style? For example a watercolor painting, a pencil sketch or pixel art."
    if frame.family == "scene":
        return "Where should I move it? For example the beach, a snowy forest or Mars."
    return "Could you say a bit more about the change you want?"
