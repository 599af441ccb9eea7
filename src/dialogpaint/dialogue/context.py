"""What the conversation lends a message: the vocabulary typos are corrected towards, the request a
question was about, the edit a removal or a regret names, the thing a "that" refers to.

Is: functions of the `ConversationState` (and of a message said in it) used by the rules dialogue.
Is not: the reading of a request on its own (frames.py) nor revisions of the last edit (revisions.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .base import ConversationState, ForgetTarget, LiveEdit, Reply, Turn
from .lexicon import (
    ABSTRACT, ADDING, ANSWER_HEAD, CHITCHAT, COLOURS, COLOUR_PHRASE, COLOUR_RE, CONDITIONS, DANGLING, FILLER,
    IMPERATIVE, NARRATIVE, NP, OPEN_QUESTION, PLACES, PREFERRED, PRONOUNS, REGRET, REQUEST_CUE, REQUEST_FORM,
    PLACE_HEADS, SAME_THING, STYLES, TONE_ADJ, VAGUE_REQUEST, rx,
)
from .frames import (
    Frame, _a, _condition, _gibberish, _incomplete, _placeholder, _scene_value, _the, caption_heads, caption_nouns, parse,
)
from .normalize import CORE_WORDS, correct_typos, tidy
from .normalize import normalize as _normalize
from .intent_model import similarities
from .recall import match_edit, stems


def normalize(text: str, vocab) -> str:
    """normalize.normalize with the colours and looks preferred when a typo is as near to two words."""
    return _normalize(text, vocab, PREFERRED)


def vocabulary(state: ConversationState) -> frozenset[str]:
    """Words typos are corrected towards: the editing words, the caption's nouns, the live edits' words."""
    words = set(CORE_WORDS) | set(COLOURS) | set(caption_nouns(state.caption))
    words |= {w for k in list(STYLES) + list(CONDITIONS) + list(TONE_ADJ) for w in k.split() if len(w) > 3}
    for e in state.edits:
        words |= {w for w in re.findall(r"[a-z]+", e.instruction.lower()) if len(w) > 3}
    if state.caption:
        words |= {w for w in re.findall(r"[a-z]+", state.caption.lower()) if len(w) > 3}
    return frozenset(words)


def _resolved(target: ForgetTarget, state: ConversationState) -> ForgetTarget:
    """Words of an edit -> its number, matched by stems, synonyms and kind ("the snow" = "make it snowy")."""
    if target.kind != "one" or target.words is None:
        return target
    if re.fullmatch(r"(?:both|both of them|them both|the (?:last )?two|last two|these two|those two)(?: edits| changes)?",
                    target.words) and len(state.edits) == 2:
        return ForgetTarget("all")
    k = match_edit(target.words, state.edits, COLOURS)
    return ForgetTarget("one", index=k) if k is not None else target


def _names_a_change(text: str) -> bool:
    """Whether a message also names a change ("hi, can you make it snowy"): then it is not just chat."""
    rest = re.sub(r"^(?:hi|hello|hey|thanks|thank you|cheers|great|perfect|nice|cool|awesome|lovely)\b[ ,!.]*", "", text)
    return rest != text and (parse(rest) is not None or bool(IMPERATIVE.match(rest)))


def _dangling(text: str) -> bool:
    """A request cut short: it ends where a complement must follow ("put a", "make the sky more", "give her")."""
    text = re.sub(r"^i(?:'d| would) like to ", "", text)
    if re.fullmatch(r"crop(?: it| the (?:photo|image|picture|pic|shot))? (?:to|as|in|at)(?: an?)?", text):
        return True  # "crop to": which ratio?
    if re.search(r"\b(?:sparkle|shine|glow|pop|stand out|shimmer|gleam|blur|smile|grow|show|twinkle) (?:a (?:bit|little|lot|tad) )?"
                 r"(?:more|less)$", text):
        return False  # "make the jewellery sparkle more", "shame the chrome doesn't shine more", "blur less"
    if text.endswith((" more", " less")) and (f := parse(text)) is not None and f.missing() is None and \
            f.family in ("global", "condition"):
        return False  # "make the colours pop more"
    if re.fullmatch(r"(?:make|turn|cut|dye|style) (?:the|her|his|their|its|my) (?:[a-z]+'s )?[a-z]+"
                    r"(?: look)?(?: (?:like (?:they'?re|it'?s|he'?s|she'?s|they are|it is)|to|into|like|as))?", text) \
            and not re.search(rf"\b(?:{COLOUR_RE}|brighter|darker|bigger|smaller|pop|smile|smiling|laugh|laughing|wink|grin|cry|frown|"
                              r"blush|glow|shine|sparkle|happy|happier|sad|older|younger|taller|shorter|thinner|bald|tanned|tan|"
                              r"pale|cute|cuter|scary|asleep|sleep|wave|dance|jump|fly|float|disappear|vanish|stand out)$", text):
        return True  # "make the gnome's hat", "cut her hair to", "make the buildings look like they're"
    return (bool(text) and bool(DANGLING.search(text)) and not re.fullmatch(r"(?:undo|forget|help|bye)(?: it| that)?", text)
            and not re.match(r"^(?:what|how|where|who|why|when|which|are|is|do|does|did)\b", text))


def _previous_user(state: ConversationState, vocab) -> str:
    """The user's message before the newest one, in plain words."""
    users = [t.text for t in state.turns if t.role == "user"]
    return normalize(users[-2], vocab) if len(users) >= 2 else ""


def _first_noun(caption: str | None) -> str:
    nouns = caption_nouns(caption)
    return " or the ".join(nouns[:2]) if nouns else "things in it"


_REMOVAL = re.compile(r"\b(?:remove|take (?:it|them|that|those|the [a-z' ]+?) (?:back )?(?:off|out|away)|take (?:off|out|away)|"
                      r"get rid of|lose|drop|ditch|delete|erase|no more)\b|(?:^|[,.!;] ?)(?:[a-z]+[, ]+){0,2}no (?!(?:more|"
                      r"problem|worries|rush|need|idea|wait|thanks|way)\b)[a-z]")


def _takes_back(text: str, state: ConversationState, semantic: bool = True) -> ForgetTarget | None:
    """A thing a live edit added, named with a removal anywhere in the message ("actually no presents, we didn't
    have any", "take the hat back off", "eh nah remove the fish you added", "the bugs are too much, remove
    those"), or a thing an edit changed, asked back ("put the sauce back", "put the books back like they were")
    -> forget that edit; None otherwise."""
    back = re.search(r"\b(?:put|bring|have|get|give|change|turn|set) (?:the |my |his |her |their |our )?(?P<w>[a-z' ]+?) back\b"
                     r"(?P<how> (?:how|the way|like) (?:they|it|she|he) (?:were|was)| to (?:its|their|the) (?:real|original|normal|old|"
                     r"actual) [a-z]+| to (?:normal|before|how it was))?(?P<end>\s*(?:[,.!;]|$))?", text)
    more = back and re.search(r"\b(?:and|then|but) (?:make|add|turn|change|remove|put|give|paint)\b", text[back.end():])
    bare = back and re.sub(r"^(?:old|original|previous|real|first) ", "", back.group("w"))  # "the old poster": the poster
    if back and re.fullmatch(r"it|them|that|this|those|these", back.group("w")):
        if back.group("how") and back.group("end") is not None and not more:
            return ForgetTarget("last")  # "ugh actually, just put them back how they were"
    elif back and not more and (k := match_edit(back.group("w"), state.edits, COLOURS)) is not None:
        return ForgetTarget("one", index=k)  # not "put the dog back and make it red": two requests
    elif back and not more and bare != back.group("w") and (k := match_edit(bare, state.edits, COLOURS)) is not None:
        return ForgetTarget("one", index=k)  # "put the old poster back" after "make the poster say ..."
    elif back and not more and back.group("end") is not None and (k := _latest_taking(state)) is not None:
        return ForgetTarget("one", index=k)  # "put the sauce back" after "clean up his face": what took it away
    elif back and not more and back.group("end") is not None and stems(bare) & stems(state.caption or ""):
        return ForgetTarget("last")  # "put the shoe back" of a puppy chewing a shoe, after "make it a toy bone instead"
    if re.search(r"\b(?:put|bring|change|turn|set)(?: it| them)? back (?:to )?(?:the |its |their )?original colou?rs?\b", text) and \
            (k := match_edit("colour", state.edits, COLOURS)) is not None:
        return ForgetTarget("one", index=k)  # "ok actually put back the original colour"
    if re.search(r"\bmore (?:of an?|like)\b", text):
        return None  # "no not navy, more of a teal": a correction, not a removal
    if not _REMOVAL.search(text) or re.search(r"\bno more (?:edits|changes|editing)\b", text) or \
            re.search(r"(?:,|\band|\bthen|\bbut) (?:also )?(?:add|make|turn|change|put|give|paint|replace|colou?r)\b", text):
        return None  # "no hat, add a scarf": two requests, read clause by clause
    near = r"(?:remove|take|get rid of|lose|drop|ditch|delete|erase|no|without|undo)(?: (?:all|the|those|these|that|this|his|" \
           r"her|my|their|of|off|out|away|back))*"
    for m in re.finditer(rf"\b{near} (?P<w>[a-z]+(?: [a-z]+)?)|\b(?:the|those|these|that|this) (?P<w2>[a-z]+(?: [a-z]+)?)"
                         r"(?: (?:is|are|looks?|was|were))? (?:too much|too many|a bit much|overkill|fake|silly|cheesy|tacky|"
                         r"ridiculous)\b.*\b(?:remove|lose|drop|ditch|get rid|take)\b", text):
        words = re.sub(r" (?:you|u|i|we|please|pls|is|are|was|were|looks?|back|off|out|away|too|then)$", "",
                       m.group("w") or m.group("w2"))
        if words.split()[0] in ("one", "ones", "thing", "things", "edit", "edits", "change", "changes", "last", "way", "photo",
                                "picture", "image", "it", "them", "that", "this", "more", "problem", "worries"):
            continue
        if (k := _added_by(words, state, semantic)) is not None:
            return ForgetTarget("one", index=k)
        if re.fullmatch(COLOUR_RE, words) and (k := match_edit(words, state.edits, COLOURS)) is not None:
            return ForgetTarget("one", index=k)  # "lose the blue" after "barn blue"
    return None


def _latest_taking(state: ConversationState) -> int | None:
    """The latest live edit that took something away (removed, cleaned, erased, blanked, replaced)."""
    for e in reversed(state.edits):
        if re.match(r"(?:remove|delete|erase|clean|tidy|get rid|clear|replace|wipe)\b|make .+ (?:blank|empty|clean|clear)$",
                    e.instruction.lower()):
            return e.index
    return None


def _regret(text: str, state: ConversationState, semantic: bool = True) -> ForgetTarget | None:
    """"the snow was a mistake, take it out", "never mind the painting effect": forget the edit it names
    (`semantic`: may MiniLM's likeness of words tell which edit added a thing)."""
    if not state.edits or re.match(r"(?:no+|nah|nope)[,.!]* (?:an?|more of|more like)\b|(?:no+|nah|nope)[,.!]* not [^,;]+[,;] \w", text):
        return None  # "no a astronaut helmet", "no more of a pearl white": a correction
    if (taken := _takes_back(text, state, semantic)) is not None:
        return taken
    if re.fullmatch(r"(?:please )?(?:flip|turn|rotate|mirror|spin) it back(?: (?:again|please))?", text):
        k = match_edit("rotation flip", state.edits, COLOURS)
        return ForgetTarget("one", index=k) if k is not None else None
    if (un := re.fullmatch(r"(?:please )?un-?(?P<v>[a-z]{3,})(?: (?:the |my |her |his )?(?P<w>[a-z ]+?))?(?: please)?", text)) and \
            un.group("v") not in ("do", "der", "til", "less", "like"):
        k = match_edit(f"{un.group('v')} {un.group('w') or ''}", state.edits, COLOURS)
        if k is not None:
            return ForgetTarget("one", index=k)  # "un-blur the background" after "blur the background"
    keep = re.fullmatch(r"(?:(?:oh|wait|no|actually|hmm+)[, ]+)*keep the (?P<w>[a-z' ]+?)(?: please| after all)?", text)
    if keep:
        k = match_edit(keep.group("w"), [e for e in state.edits if e.instruction.lower().startswith(("remove", "delete", "erase"))],
                       COLOURS)
        if k is not None:
            return ForgetTarget("one", index=k)  # "oh wait, no, keep the ducks" after "remove the ducks"
    orig = re.fullmatch(r"(?:please )?(?:restore|bring back|give me back|put back) (?:the |her |his |my )?(?P<w>[a-z' ]+?)(?:'s)? "
                        r"original (?:colou?r|look|state|shape|size|background)(?: back)?", text)
    if orig and (k := match_edit(orig.group("w").replace("'s", ""), state.edits, COLOURS)) is not None:
        return ForgetTarget("one", index=k)  # "restore the tram's original colour"
    if re.search(r"\b(?:leave it (?:tilted|crooked|as it was|as is|alone|like (?:that|it was))|(?:that|it) was on purpose|"
                 r"that'?s on purpose|meant to be like that)\b", text):
        return ForgetTarget("last")  # "no, leave it tilted, that was on purpose"
    no = re.fullmatch(r"(?:no|nah|nope|no more|not the|without the) (?P<w>[a-z' ]+?)(?: please| pls| thanks| then)?", text)
    if no and len(no.group("w").split()) <= 3 and not IMPERATIVE.match(no.group("w")) and \
            not re.match(r"(?:actually|wait|i|it|that|this|make|more|less|not|too|just|sorry)\b", no.group("w")) and (k := match_edit(no.group("w"), state.edits, COLOURS)) is not None:
        return ForgetTarget("one", index=k)  # "no crab" after "add a crab"
    better = re.fullmatch(r"(?:(?:hmm+|no|nah|actually|ok(?:ay)?|honestly)[, ]+)*(?:the |her |his |my |their )?(?P<w>[a-z' ]+?) "
                          r"(?:was|were|looked|look) (?:much |way |a lot |so much )?better (?:before|earlier|originally|"
                          r"the way (?:it|they) (?:was|were))(?: (?:honestly|tbh|though|tho))?", text)
    if better:  # "hmm no, the eyes were better before"
        k = match_edit(better.group("w"), state.edits, COLOURS)
        return ForgetTarget("one", index=k) if k is not None else ForgetTarget("last")
    thing = re.fullmatch(r"(?:the )?(?P<w>[a-z ]+?) (?:thing|one|edit|change|bit),? (?:no|nope|nah|no thanks|not that)", text)
    if thing and (k := match_edit(thing.group("w"), state.edits, COLOURS)) is not None:
        return ForgetTarget("one", index=k)  # "the watermelon thing, no"
    if (to := re.fullmatch(r"(?:please )?(?:go|switch|change it|turn it|take it|get) back to (?:the |a )?(?:plain |original |old )?"
                           r"(?P<w>[a-z ]+?)(?: please)?", text)):
        k = match_edit(to.group("w"), state.edits, COLOURS)
        if k is None:
            alt = {"daytime": "night", "day": "night", "daylight": "night", "summer": "winter snow", "colour": "bw sepia",
                   "color": "bw sepia", "photo": "style", "normal": "last"}.get(to.group("w").split()[-1])
            k = match_edit(alt, state.edits, COLOURS) if alt else None
        if k is not None:
            return ForgetTarget("one", index=k)  # "go back to daytime" after "make it night"
    text = re.sub(r" back (?:the way|how) (?:they|it|she|he) (?:were|was)$", " back", text)  # "put her earrings back the way they were"
    back = re.fullmatch(r"(?:please )?(?:bring|put|change|turn|make|give|set|switch)(?: me)? (?P<w>.+?) back(?: to (?:normal|how it was|"
                        r"what it was))?(?: please)?|(?:please )?(?:bring|give) back (?P<w2>.+?)(?: please)?", text)
    if back:
        words = back.group("w") or back.group("w2")
        if words in ("him", "her", "them", "it", "that", "this", "those", "these"):
            return ForgetTarget("last")  # "I miss my dog, put him back" right after replacing him
        k = match_edit(words, state.edits, COLOURS)
        if k is None:  # "bring back the daylight" undoes the night; "the colour back" undoes black and white
            opposite = {"daylight": "night", "day": "night", "sun": "night", "light": "night", "colour": "bw sepia",
                        "colours": "bw sepia", "color": "bw sepia", "colors": "bw sepia", "summer": "winter snow",
                        "sky": "night storm fog rain", "sunshine": "rain fog storm"}
            alt = " ".join(opposite.get(w, "") for w in re.findall(r"[a-z]+", words))
            k = match_edit(alt, state.edits, COLOURS) if alt.strip() else None
        return ForgetTarget("one", index=k) if k is not None else None
    if not REGRET.search(text) or (re.search(r"\b(?:love|like|great|nice|perfect|amazing|good|natural|beautiful|lovely)\b", text)
                                   and not re.search(r"\b(?:not|don'?t|no|never|isn'?t|doesn'?t|undo|remove|drop)\b", text)):
        return None
    if re.search(r"\b(?:undo|take back|remove|revert|scrap|lose|drop) (?:it|that|this)\b|, undo$", text) and \
            len(state.edits) >= 1 and not re.search(r"\b(?:the|my) \w+", text):
        return ForgetTarget("last")  # "that's wrong, undo it"
    words = REGRET.sub(" ", re.sub(r"\b(?:i|i'm|i am|it|that|this|hmm+|the|a|an|was|is|after|all|want|to|stay|a|photo|"
                                   r"keep|earlier|before|for|asked|effect)\b", " ", text))
    k = match_edit(words, state.edits, COLOURS)
    if k is None and re.search(r"\b(?:painting|drawing|sketch|style|filter|effect|look)\b", text):
        k = match_edit("style", state.edits, COLOURS)
    return ForgetTarget("one", index=k) if k is not None else None


def _resolve_pronoun(frame: Frame | None, state: ConversationState) -> Frame | None:
    """"make it smaller" right after "make the elephant pink": "it" is the last edit's target; right after a
    question about a thing ("now change the bucket" -> "make it bright orange"), that thing."""
    if frame is None or frame.target not in PRONOUNS:
        return frame
    prev = _last_assistant(state.turns)
    if prev is not None and prev.action == "ask" and (pending := _pending_frame(state)) is not None and pending.target \
            and pending.target not in PRONOUNS and not _placeholder(pending.target):
        return Frame(frame.family, pending.target, frame.value)
    if not state.edits:
        return frame
    old = parse(state.edits[-1].instruction)
    if old is not None and old.family == "add" and old.value and not _placeholder(old.value):
        thing = re.sub(r" (?:on|in|at|near|by|next to|over|under|behind|in front of|onto) .+$", "", old.value)
        return Frame(frame.family, _the(re.sub(r"^(?:a|an|some|the) ", "", thing)), frame.value)  # "add a boat", "make it bigger"
    if old is None or not old.target or old.target in PRONOUNS:
        return frame
    return Frame(frame.family, old.target, frame.value)


_HE = ("man", "boy", "guy", "father", "dad", "son", "husband", "grandpa", "grandfather", "brother", "groom", "king", "gentleman")
_SHE = ("woman", "girl", "lady", "mother", "mum", "mom", "daughter", "wife", "grandma", "grandmother", "sister", "bride",
        "queen")
VAGUE_LOOK = (r"(?:old|older|vintage|retro|aged|antique|new|newer|modern|cool|cooler|pretty|prettier|nice|nicer|better|good|"
              r"great|awesome|fun|funnier|amazing|beautiful|perfect|"
              r"interesting|different|special|professional|pro|cute|cuter|fancy|fancier|epic|stunning|best|right|ok|okay|"
              r"like (?:.+)|more (?:.+)|less (?:.+)|.*er than .*|it|that|this)")


def _subject_for_pronoun(text: str, state: ConversationState) -> str:
    """"make it yellow" / "make them look juicier" before any edit: the pronoun is the caption's subject
    ("a sports car in a showroom" -> "make the car yellow"; "them" takes the first plural head, "a bowl of
    strawberries" -> the strawberries). A look of the whole picture ("make it brighter", "turn it into a
    painting") and a caption that is a place keep "it"."""
    m = re.match(r"^(?P<v>make|paint|colou?r|turn|show|dye|recolou?r|change) (?P<p>it|them|him|her(?= looks?\b))\b"
                 r"(?P<rest>.*)$", text)
    prev = _last_assistant(state.turns)
    if state.edits or not m or not state.caption or (prev is not None and prev.action == "ask") or re.search(
            r"\b(?:the|my|his|her|their|our|this|these|those|that) (?!(?:pic|photo|picture|image|shot)s?\b)[a-z]{3,}",
            state.extra.get("whole", state.last_user_text).lower()):
        return text  # "the sky is too white, do it blue": "it" is the sky
    frame = parse(text)
    looks = re.fullmatch(r" look(?:s)? (?:a (?:little |tiny )?bit |a lot |much |more |less |so |really )*(?P<a>[a-z -]+)",
                         m.group("rest"))
    if not ((frame is not None and frame.family == "color" and frame.value and not _placeholder(frame.value))
            or (looks and not re.fullmatch(VAGUE_LOOK, looks.group("a")))):
        return text  # "make it bigger", "make it look cool": which thing, which look? (asked elsewhere)
    heads = caption_heads(state.caption)
    if heads and (m.group("p") == "him" and heads[0] in _SHE or m.group("p") == "her" and heads[0] in _HE):
        return text  # "make him look older" of "a woman holding a cat": not her
    if m.group("p") == "them":
        heads = [h for h in heads if h.endswith("s") and not h.endswith("ss")]
    if not heads or (m.group("p") == "it" and heads[0] in PLACE_HEADS):
        return text
    return f"{m.group('v')} the {heads[0]}{m.group('rest')}"


def _in_picture(target: str | None, state: ConversationState) -> bool:
    """Whether `target` ("the stripes") names something of the caption or of a live edit."""
    from .recall import stems

    want = stems(re.sub(r"^(?:the|that|those|these|this|my|her|his|their|its)\s+", "", target or ""))
    said = " ".join([state.caption or "", *(e.instruction for e in state.edits)]).lower()
    return not want or bool(want & stems(said))


def _asked_things(asked: str, caption: str | None) -> list[str]:
    """The things a request named: the caption's words in it, or the request itself when it is one plural noun
    ("shoes")."""
    return _caption_words_in(asked, caption) or re.findall(r"^[a-z]{3,}s$", asked)


def _caption_words_in(text: str, caption: str | None) -> list[str]:
    """The caption's words (3+ letters, in caption order) that `text` names ("frosting color?" of "a cupcake with
    white frosting" -> ["frosting"])."""
    return [w for w in re.findall(r"[a-z]{3,}", (caption or "").lower())
            if w not in ("the", "and", "with", "its", "his", "hers", "this", "was", "has", "is")
            and rx(rf"\b{w[:-1] if len(w) >= 4 and re.search(r'[^su]s$', w) else w}").search(text)]


def _added_by(thing: str, state: ConversationState, semantic: bool = True) -> int | None:
    """The live edit that put `thing` into the picture ("the sugar" after "sprinkle powdered sugar on the tart"):
    removing it means forgetting that edit, not editing again. By stems; with `semantic`, also by MiniLM's
    likeness of a thing the photo lacks to one an edit added (off: MiniLM is not loaded)."""
    from .recall import of_kind, stems

    bare = re.sub(r"^(?:the|that|those|these|this|my|her|his|their)\s+", "", thing)
    want = stems(bare)
    if not want:
        return None
    added = [(e.index, re.split(r" (?:on|to|in|over|onto|into|around|by|next to|near|\w+ing|that|which|with) ",
                                ADDING.sub("", part))[0])
             for e in reversed(state.edits) for part in re.split(r",? and |, ", e.instruction.lower())
             if ADDING.match(part)]  # "make the walls blue and add stars on the ceiling": the stars
    pictured = bool(want & stems(state.caption or ""))  # "remove the drinks" of "a table with food and drinks"
    for index, what in added:
        if want <= stems(what) or not pictured and of_kind(bare, what):  # "the hat"; "the headwear" = "a santa hat"
            return index
    head = stems(re.split(r" (?:on|in|at|of|from|with|near|by|behind|under|over|around)\b", bare)[0])
    if not pictured and head:  # "get rid of that dreamy glow" after "make everything softer and dreamy": a look's words
        for e in reversed(state.edits):
            if not ADDING.match(e.instruction.lower()) and not re.match(r"(?:remove|delete|erase)\b", e.instruction.lower()) \
                    and head & (stems(e.instruction) - stems(state.caption or "")):
                return e.index
    # "the boat" after "put a canoe by the dock": a thing the photo did not have, like one an edit added
    if semantic and added and not want & stems(" ".join(caption_nouns(state.caption))) and (
            sims := similarities(bare, [what for _, what in added])) is not None:
        best = max(range(len(added)), key=lambda k: sims[k])
        if sims[best] >= SAME_THING:
            return added[best][0]
    return None


def _fill_vague(asked: str, answer: str, caption: str | None) -> str | None:
    """The vague request the question was about, with the answer in the vague words' place: "give the cat
    an accessory" + "a monocle" -> "give the cat a monocle"; an answer that is a request of its own has its
    "it" resolved ("do something fun" + "give it googly eyes" -> "give the cupcake googly eyes")."""
    m = VAGUE_REQUEST.search(asked)
    if m is None:
        return None
    answer = answer.strip(" .!")
    if IMPERATIVE.match(answer):
        thing = re.search(r"\b(?:the|her|his|their|my) [a-z]+", asked)
        first = NP.search((caption or "").lower())
        noun = thing.group(0) if thing else (f"the {first.group(1).strip()}" if first else None)
        if noun and re.match(r"^(?:give|dress|put [a-z ]+ on) it\b|^give it\b", answer):
            return re.sub(r"\bit\b", noun, answer, count=1)
        return None
    if re.search(r"\b(?:style|look|colou?r|vibe|theme|design|version|hairstyle|model)\b", m.group(0)) or \
            answer.startswith(("like ", "in ", "as ")):
        return None  # a look or a colour: the question's own completion reads those
    if not re.match(r"^(?:give|put|add|place|swap|replace|turn|change|dress)\b", asked) or len(answer.split()) > 5 or \
            re.match(r"^(?:what|how|why|who|where|when|which|is|are|do|does|can|could|would)\b", answer):
        return None
    return f"{asked[:m.start()]}{answer}{asked[m.end():]}".strip()


def _requests(sentence: str, state: ConversationState) -> bool:
    """Whether a sentence of a longer message asks for something (an imperative, "can you ...", "I'd like
    ..."), rather than telling the story around it ("I'm selling this car online.")."""
    text = normalize(FILLER.sub("", sentence), vocabulary(state))  # "sorry, make the sofa green too"
    return bool(IMPERATIVE.match(text) or REQUEST_FORM.search(sentence.lower()) or
                _forget_words(sentence.lower()))


def _forget_words(t: str) -> bool:
    return bool(re.search(r"\b(?:undo|revert|scrap|forget|take (?:it|that|them|the [a-z]+) back|go back|put (?:it|them|the [a-z]+) "
                          r"back|bring (?:it|them|the [a-z]+) back|return it)\b", t))


def _lend_noun(sentence: str, context: list[str]) -> str:
    """A request sentence whose "that"/"it" is the thing the sentence before it named ("There's a garden hose
    on the ground. Can you get rid of that?" -> "... get rid of the garden hose"); else the sentence as said."""
    nouns = []
    for said in reversed(context):  # the nearest sentence that names a thing ("My dad's shirt came untucked. He'd
        ctx = re.sub(r"\b(?:a couple|a few|a pair|a bunch|a lot|lots) of\b", "some", said.lower())  # hate that. ...")
        # (introduced by "has"/"there's", the noun): "The background has a bright exit sign ... remove it": the sign
        found = [(bool(re.search(r"\b(?:has|have|there'?s|there is|there are|i see|you can see)\s+$", ctx[:m.start()]) and
                       m.group(0).split()[0] in ("a", "an", "some")), re.sub(r"(?:^| )ones?$", "", m.group(1).strip()))
                 for m in NP.finditer(ctx)]  # "the beard one": the beard
        found = [(a, n) for a, n in found if n and n.split()[-1] not in ABSTRACT and n.split()[0] not in ABSTRACT]
        if re.search(r"\b(?:remove|get rid of|delete|erase|take (?:out|away)|hide|lose)\b", sentence.lower()):
            found.sort(key=lambda an: not an[0])
        nouns = [n for _, n in found]
        if nouns:
            break
    if not nouns:
        return sentence
    said = re.search(r"\b(him|her|them)\b", sentence.lower())
    who = (*_HE, *_SHE, "person", "kid", "child", "stranger", "tourist", "photographer")
    people = [" ".join(n.split()[:k + 1]) for n in nouns for k, w in enumerate(n.split()) if w in who][:1]  # "man looking": man
    plural = [n for n in nouns if re.search(r"[^s]s$", n.split()[-1])]
    if said and said.group(1) in ("him", "her") and people:
        nouns = people  # "in the background there is a man looking at the camera, remove him": the man
    elif said and said.group(1) == "them" and plural:
        nouns = plural
    the = f"the {nouns[0]}"
    t = sentence.lower()
    t = re.sub(r"\b(?:could|can|would|might) (?:it|that|this|they|those|these) (?:please )?(?:be )?(?:taken out|removed|deleted|"
               r"erased|taken away|gotten rid of|got rid of|go)\b", "remove it", t)  # "Could it be taken out?", "can it go?"
    t2 = re.sub(r"\b(get rid of|remove|delete|erase|take out|take away|hide|make|turn|paint|colou?r|recolou?r|fix|brighten|"
                r"darken|straighten|tidy up|clean up|touch up|give|update|change|repaint|tuck|blur|sharpen|move|"
                r"shrink|enlarge|iron|press|soften|fill|open|close|cover|whiten|lighten|fade|trim|mute|dim|"
                r"replace|swap|(?:take|get|put)(?= \w+ (?:off|out|away|down|in)\b)) (?:it|that|this|them|those|(?<!give )him|"
                r"(?<!give )her(?=[?.!]*$| (?:look|happ|smil|less|more)))\b",
                rf"\1 {the}", t, count=1)
    t2 = re.sub(r"\b(show (?:me |him |her |us )?(?:what |how )?)(?:it|that|this|they|them)\b", rf"\1{the}", t2, count=1) \
        if t2 == t else t2  # "show me what it'd look like in mustard yellow"
    t2 = re.sub(r"\b(tidy|clean|fix|touch|smooth|brighten|light|cheer|warm|cool|dry) (?:it|that|this|them) (up|down|out)\b",
                rf"\1 {the} \2", t2, count=1)
    t2 = re.sub(r"^((?:please |can you |could you |pls )*(?:make|paint|turn|colou?r))(?= (?:more |less |a bit |a little |very )?"
                r"[a-z]+[?.!]*$)", rf"\1 {the}", t2, count=1)  # "The cat is too dark. Please make bright"
    if re.search(r"\badd\b", t2):
        t2 = re.sub(r"\b(on|onto|around|over|to) (?:it|them)\b", rf"\1 {the}", t2, count=1)
        t2 = re.sub(r"\badd (two|three|four|a few|some|more|one|a couple(?: more)?)(?: or (?:two|three|four|five))?(?=[?.!]*$)",
                    lambda m: f"{m.group(0)} {nouns[0]}", t2, count=1)
    return t2 if t2 != t else sentence


def _colour_answer(asked: str, answer: str, caption: str | None = None) -> str | None:
    """A colour (or colours and a pattern) given as the answer to a question about a thing: "swap the laces" +
    "neon green ones", "the tablecloth needs a different pattern" + "red and white gingham"; without a "the ..."
    in the request, the caption's thing it names ("new cabinet color" + "sage green"), a bare noun ("background"
    + "mustard yellow") or, for a new paint job or colour, the caption's subject."""
    a = re.sub(r"[,.!?]", "", answer.lower()).strip()
    if not re.match(rf"(?:an? )?{COLOUR_PHRASE}\b", a) or len(a.split()) > 7 or IMPERATIVE.match(a):
        return None
    m = re.search(r"\b(?:the|her|his|their|my|its|our) (?!(?:photo|picture|image|colou?rs?|background|pic|shot)\b)"
                  r"[a-z]+(?:'s [a-z]+)?(?: [a-z]+)?", asked)
    if m is None:
        colour, own = re.sub(r"^an? ", "", a), parse(asked)
        if own is not None and own.target and own.target not in PRONOUNS and not _placeholder(own.target):
            return f"make {own.target} {colour}"  # "new cabinet color" -> the cabinet
        if named := _caption_words_in(asked, caption):
            return f"make the {named[0]} {colour}"
        if re.fullmatch(r"(?:the )?(?:background|backdrop|wall|walls|sky)", asked.strip(" ?.!")):
            return f"make the {asked.strip(' ?.!').removeprefix('the ')} {colour}"
        heads = [h for h in caption_heads(caption) if h not in PLACE_HEADS]
        if heads and re.search(r"\b(?:paint ?job|colou?r|recolou?r|respray|repaint)\b", asked):
            return f"make the {heads[0]} {colour}"
        return None
    target = re.sub(r" (?:a|an|the|be|needs?|make|to|in|with|into|different|another|some|new|it|colou?r)$", "", m.group(0))
    target = re.sub(r" (?:a|an|the|be|needs?|make|to|in|with|into|different|another|some|new|it|colou?r)$", "", target)
    a = re.sub(r"^an? ", "", a)
    if re.match(r"^(?:swap|replace|change) ", asked) and re.search(r"\bones?$", a):
        return f"replace {target} with {a}"
    return f"make {target} {re.sub(r' ones?$', '', a)}"


def _narrative(plain: str) -> bool:
    """A story about people, with no request in it (see NARRATIVE; REQUEST_CUE and the edit verbs rule it out)."""
    return bool(NARRATIVE.search(plain)) and not REQUEST_CUE.search(re.sub(r"\b(?:more|less|too|\w+er)\b", "", plain)) \
        and not re.search(r"\b(?:can|could|would|will) (?:you|u)\b|\bplease\b|\?$", plain)


def _words(state: ConversationState) -> tuple[str, frozenset[str], str, str]:
    """The last user turn read once: (as said, single-spaced; the vocabulary typos are corrected towards;
    typos fixed; in plain words: politeness dropped, wishes as imperatives)."""
    raw = " ".join(state.last_user_text.split())
    vocab = vocabulary(state)
    return raw, vocab, correct_typos(tidy(raw), vocab, PREFERRED), _subject_for_pronoun(normalize(raw, vocab), state)


def _cut_short_before(state: ConversationState, vocab) -> bool:
    """Whether the assistant just asked about a request that stopped short ("make it look like"): the
    user's answer continues it."""
    prev = _last_assistant(state.turns)
    return prev is not None and prev.action == "ask" and _dangling(_previous_user(state, vocab))


def _after_edit(state: ConversationState, said: str, reply: Reply) -> ConversationState:
    """The conversation as if `said` had been answered with the edit `reply`, and the user now spoke again."""
    edit = LiveEdit(index=len(state.edits) + 1, id=-1, instruction=reply.instruction, seed=0, version=-1)
    turns = (*_saying(state, said).turns, Turn("assistant", reply.message, "edit", reply.instruction), Turn("user", ""))
    return replace(state, turns=turns, edits=(*state.edits, edit))


def _saying(state: ConversationState, text: str) -> ConversationState:
    """The same conversation with `text` (a part of the message) as the user's last message; the whole
    message stays in `extra["whole"]`."""
    turns = list(state.turns)
    whole = state.extra.get("whole", state.last_user_text)
    for k in range(len(turns) - 1, -1, -1):
        if turns[k].role == "user":
            turns[k] = Turn("user", text)
            break
    return replace(state, turns=tuple(turns), extra={**state.extra, "whole": whole})


def _last_assistant(turns: tuple[Turn, ...]) -> Turn | None:
    for t in reversed(turns[:-1]):
        if t.role == "assistant":
            return t
    return None


def _pending_frame(state: ConversationState) -> Frame | None:
    """The request the last question was about, completed by the answers given since (not the newest)."""
    turns, vocab = state.turns, vocabulary(state)
    answers: list[str] = []
    k = len(turns) - 2  # turns[-1] is the newest user message
    while k >= 1 and turns[k].role == "assistant" and turns[k].action == "ask" and turns[k - 1].role == "user":
        said = normalize(turns[k - 1].text, vocab)
        frame = parse(said) or _incomplete(said, state)
        if frame is None and turns[k].text.startswith(OPEN_QUESTION):
            frame = Frame("vague")  # the open question was asked: the answer says what to change
        if frame is not None:
            for a in reversed(answers):
                frame = _complete(frame, a) or frame
            return frame
        answers.append(turns[k - 1].text)
        k -= 2
    return None


def _complete(pending: Frame, answer: str) -> Frame | None:
    """The pending request completed by an answer, often a fragment ("a pine forest", "like an oil painting",
    "a deep red", "with tulips"); None when the answer does not fit the question."""
    a = re.sub(r"[?!.]+$", "", answer.lower().strip())
    a = re.sub(r",?\s+(?:please|thanks|thank you|i think|i guess|maybe|perhaps|then|instead|would be (?:nice|good|great|"
               r"cool|lovely|better|fine)|would look (?:nice|good|great)|is fine|works|if possible)$", "", a)
    if re.match(r"^(?:what|how|where|who|why|when|which|are you|do you|is it|can i)\b(?! about)", a) or \
            re.search(r"\bwhat do you (?:think|suggest|recommend)\b|\bnot sure\b|\bi don'?t know\b|\bno idea\b|"
                      r"\byou (?:pick|choose|decide)\b", a):
        return None  # a question back, or no answer yet, is not an answer
    if pending.missing() == "what" and IMPERATIVE.match(answer.lower()) and parse(answer) is None:
        return Frame("free", value=answer.lower().strip())  # a request of its own: "make it look like a spaceship"
    m = re.fullmatch(r"(?:something|anything|stuff|change something) (?:with|to|about|on|in|for) (?P<t>(?:the|her|his|their|its) .+)", a)
    if m:
        return Frame("change", m.group("t"))  # "something with the sky": ask how
    a = ANSWER_HEAD.sub("", a).strip() or a
    if not a:
        return None
    missing = pending.missing()
    colour = re.search(rf"\b(?:{COLOUR_RE})\b(?!.*\b(?:{COLOUR_RE})\b)", a)
    style = next((v for k, v in sorted(STYLES.items(), key=lambda kv: -len(kv[0])) if rx(rf"\b{re.escape(k)}\b").search(a)),
                 None)
    if missing == "what":
        full = parse(a) or parse(f"make it {a}")
        if full is not None and full.family == "replace" and full.target in PRONOUNS and full.value:
            return Frame("free", value=f"turn it into {full.value}")  # "turn it into a fairy tale scene"
        if full is not None and full.missing() is None:
            return full
        if style:
            return Frame("style", value=style)
        if _condition(a) is not None:
            return Frame("condition", value=_condition(a))
        if PLACES.search(a):
            return Frame("scene", value=_scene_value(a))
        if full is None and not _gibberish(a) and not CHITCHAT.search(a):
            return Frame("free", value=a if IMPERATIVE.match(a) else f"add {a}")  # "flames painted on the sides"
        return full
    if missing == "value" and pending.family == "change":
        if re.fullmatch(rf"(?:an? )?{COLOUR_PHRASE}(?: (?:one|colou?r|shade|tone))?", a):
            return Frame("color", pending.target, re.sub(r"^an? ", "", a))
        if style:
            return Frame("style", value=style)
        if _condition(a) is not None and re.search(r"\b(?:season|time|weather|day|lighting)\b", pending.target or ""):
            return Frame("condition", value=_condition(a))
        if re.match(r"^(?:a|an|the|some|two|three|\d+) ", a) or len(a.split()) == 1 and _condition(a) is None:
            return Frame("replace", pending.target, _a(re.sub(r"^(?:the) ", "", a)))
        return Frame("free", value=f"make {pending.target} {a}")  # "stormy and dark", "polka dots", "autumn coloured"
    if missing == "value":
        if pending.family == "color" and re.fullmatch(rf"(?:an? )?{COLOUR_PHRASE}", a):
            return Frame("color", pending.target, re.sub(r"^an? ", "", a))
        if pending.family == "color" and re.fullmatch(rf"(?:an? )?{COLOUR_PHRASE} (?:with|and) [a-z' -]+", a):
            return Frame("color", pending.target, re.sub(r"^an? ", "", a))  # "red with a white stripe"
        if pending.family == "color" and colour:
            return Frame("color", pending.target, colour.group(0))
        if pending.family in ("replace", "add"):
            where = re.match(r"^(?:an? )?(?:something|anything|stuff)(?P<loc> (?:in|on|to|into|onto|over|under|behind|next to|near|"
                             r"around|at) .+)$", pending.value or "")
            return Frame(pending.family, pending.target if pending.target not in PRONOUNS else "it",
                         _a(a) + (where.group("loc") if where else ""))
        if pending.family == "style":
            return Frame("style", value=style or STYLES.get(a, a))
        if pending.family == "scene":
            if colour and len(a.split()) <= 3:
                return Frame("color", "the background", colour.group(0))
            if pending.target == "the background":
                return Frame("free", value=f"change the background to {_scene_value(a)}")
            return Frame("scene", value=_scene_value(a))
    if missing == "target":
        if pending.family == "color" and not pending.value and re.fullmatch(rf"(?:an? )?{COLOUR_PHRASE}", a):
            return Frame("color", None, re.sub(r"^an? ", "", a))  # "change the colour" -> "silver": of what, still
        return Frame(pending.family, _the(re.sub(r"^the ", "", a)), pending.value)
    return None
