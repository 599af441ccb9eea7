"""A message read as a revision of the last edit: a new colour ("more of a mint green"), a comparative
("bigger", "too much, tone it down"), the same edit on another thing ("the dock too"), a fragment that
refines it ("teal stripes"), a change of mind inside one message.

Is: functions that return the revised instruction (or a Reply) for a message said right after an edit,
an undo or a question, else None. Is not: the decision to try them (rules.py).
"""

from __future__ import annotations

import re

from .base import ConversationState, ForgetTarget, Reply, Turn
from .lexicon import (
    ADDING, COLOURS, COLOUR_PHRASE, COLOUR_RE, COMPARATIVES, DEGREE, FRAGMENT_NOT, IMPERATIVE, OPPOSITE,
    POSITIVE, QUESTION, STRENGTH,
)
from .frames import Frame, _a, _the, parse
from .context import _asked_things, _previous_user, vocabulary
from .recall import stems


def _recolour(text: str, prev: Turn | None, state: ConversationState) -> str | None:
    """Right after recolouring something, a message that only names a colour ("more dark green please",
    "a bit more towards purple", "go for a softer hazel green") changes that colour."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    old = parse(state.edits[-1].instruction)
    if old is not None and old.family in ("color", "replace") and old.target and re.fullmatch(
            r"(?:(?:a bit|a little|much|way|even|slightly) )?(?:more|less) (?:saturated|vivid|vibrant|intense|muted|bold|rich|deep)|"
            r"(?:(?:a bit|a little|much|way|even|slightly) )?(?:richer|deeper|bolder|more vivid|duller)", text):
        return f"{state.edits[-1].instruction}, {text}"  # "more saturated" after "make the sofa emerald velvet": the sofa's
    if old is None or old.family != "color" or not old.target:
        return None
    shade = re.fullmatch(rf"(?:(?:hm+|maybe|no|actually|please)[, ]+)*(?:make (?:it|them) )?(?P<s>(?:{STRENGTH} )?)"
                         r"(?P<a>darker|lighter|deeper|paler|brighter|softer)(?: shade| one| tone)?(?: than (?:that|this|before|now|"
                         r"it is|the last one|that [a-z]+))?(?: please| maybe)?", text)
    if shade and old.value and old.value.split()[-1] in COLOURS:
        return f"make {old.target} {shade.group('s')}{shade.group('a')} {old.value.split()[-1]}"
    comparative = {"redder": "red", "bluer": "blue", "greener": "green", "yellower": "yellow", "pinker": "pink",
                   "whiter": "white", "blacker": "black", "browner": "brown", "oranger": "orange", "purpler": "purple"}
    m = re.fullmatch(r"(?:make (?:it|them) )?(?P<s>(?:a (?:little |tiny )?bit |a little |slightly |much |even |way )?)"
                     r"(?P<c>" + "|".join(comparative) + r")(?: please)?", text)
    if m:
        return f"make {old.target} {m.group('s')}more {comparative[m.group('c')]}"
    t = re.sub(r"^(?:(?:no|actually|wait|hm+|maybe|please|make it|make them|go for|go with|try|rather|more|a bit|"
               r"a little|slightly|much|even|towards?|toward|to|like|instead|use|i meant|i want|i'd prefer|prefer|"
               r"too (?:intense|strong|much|bright|dark)|not quite)[, ]+)+", "", text)
    t = re.sub(r"[, ]+(?:please|maybe|instead|then|thanks|perhaps)$", "", t).strip()
    pattern = re.fullmatch(rf"(?P<c>(?:(?:striped|spotted|checked|checkered|polka[- ]dot|plaid|two-tone|with) )?{COLOUR_PHRASE}"
                           rf"(?:,? (?:and|with) {COLOUR_PHRASE})+(?: stripes| spots| checks)?)", t)
    if pattern:
        return Frame("color", old.target, pattern.group("c")).instruction()
    m = re.fullmatch(rf"(?:an? )?(?P<c>{COLOUR_PHRASE})(?: (?:one|colou?r|shade|tone))?", t) or \
        re.search(rf"\b(?:more like|more of|rather|i meant|i mean|go for|closer to|something like|but) (?:an? )?(?P<c>{COLOUR_PHRASE})"
                  rf"(?: (?:one|colou?r|shade|tone))?(?: instead| please)?$", t) or \
        re.search(rf"\b(?:more like|more of|rather|i meant|i mean|go for|closer to|something like) (?:an? )?(?P<c>{COLOUR_PHRASE})"
                  rf"(?: (?:one|colou?r|shade|tone))?(?: instead| please)?$", text)
    if m:
        return Frame("color", old.target, m.group("c")).instruction()
    m = re.fullmatch(rf"(?:an? )?(?P<c>[a-z]+ (?:{COLOUR_RE}))(?: one| please| instead)?", t)
    if m and m.group("c").split()[0] not in (state.caption or "").lower().split() and \
            m.group("c").split()[0] not in ("more", "less", "and", "or", "not", "no", "the", "very", "too", "so"):
        return Frame("color", old.target, m.group("c")).instruction()  # "dapple grey": a shade the lexicon lacks
    m = re.fullmatch(rf"(?P<s>(?:{STRENGTH} )?(?:less|more)) (?P<c>{COLOUR_RE})", re.sub(r"^(?:make it|make them) ", "", text))
    if m and m.group("c") == old.value.split()[-1]:
        return f"make {old.target} {m.group('s')} {m.group('c')}"  # "a bit less red"
    return None


def _subtler(text: str, prev: Turn | None, state: ConversationState) -> str | None:
    """Right after an edit, "too much, tone it down" redoes it subtly; "not enough, push it further" strongly."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    last = re.sub(r" (?:subtly|strongly)$", "", state.edits[-1].instruction)
    fewer = re.match(r"^(?:(?:a bit|a little|much|way) )?(?P<w>less|fewer) (?P<x>[a-z]+)(?: (?:please|pls|lol|now))*\b(?!.*\b(?:more|and)\b)",
                     text)
    if fewer and last.startswith(("add ", "put ", "sprinkle ", "scatter ")) and fewer.group("x") not in (
            "of", "the", "than", "blur", "contrast", "saturation", "noise", "grain", "colour", "color", "colours", "colors",
            "brightness", "exposure", "warmth", "light", "shine"):
        return f"{last}, {fewer.group('w')} {fewer.group('x')}"  # "less cheese" after "add grated parmesan on top"
    if re.search(r"^(?:too much|that'?s too much|way too much|overdone|too strong|a bit much|tone it down|not so much|"
                 r"too intense|less)\b|\btone it down\b|\btoo (?:strong|much|intense)\b", text):
        return f"{last} subtly"
    if re.search(r"^(?:not enough|more|stronger|even more)$|\b(?:push it further|go further|not enough|stronger|even more)\b", text):
        return f"{last} strongly"
    return _comparative(text, last)


def _comparative(text: str, last: str) -> str | None:
    """A comparative said right after an edit changes that edit: "bigger" -> "add a hat on him, bigger";
    "too big now, halfway between" -> "..., a bit smaller"; "not that dramatic" -> "..., less dramatic"."""
    t = re.sub(r"^(?:(?:and|but|ok(?:ay)?|now|hmm+|eh|so|maybe|actually)[, ]+)+", "", text).strip(" .!")
    t = re.sub(r"(?<=er) up$|(?<=er) down$|(?<=er) still$", "", t)  # "higher up", "a bit lighter still"
    t = re.sub(r"^make (?:it|them) (?=\w+er$|(?:a |just a )?(?:bit|little|lot|tad) \w+er$)", "", t)  # "make it fainter"
    t = re.sub(r"(?:,? (?:please|pls|now|overall|than that|this time|instead|though|lol|haha\w*|like halfway|like half|maybe|"
               r"somewhere in between|in between|"
               r"halfway(?: between)?))+$", "", t)
    last = re.sub(rf", (?:a bit |less |{DEGREE})*(?:{'|'.join(COMPARATIVES)}|[a-z]+)$", "", last)  # a revision of a revision
    m = re.fullmatch(rf"(?P<d>{DEGREE}*)(?P<c>{'|'.join(COMPARATIVES)})(?: (?:ones?|one|please))?", t)
    tone = {"warmer": "warm|cool", "cooler": "warm|cool", "brighter": "bright|dark|light|dim", "darker": "bright|dark|light|dim",
            "lighter": "bright|dark|light|dim", "dimmer": "bright|dark|light|dim"}
    if m and m.group("c") in tone and not re.search(tone[m.group("c")], last):
        return None  # "much warmer" after "make it brighter" is an edit of its own
    if m:
        return f"{last}, {m.group('d')}{m.group('c')}".replace("  ", " ")
    m = re.match(r"^(?:it'?s |that'?s |now )?(?:way |a bit |a little |much )?too (?P<a>[a-z]+)\b", t)
    if m and m.group("a") in OPPOSITE:
        return f"{last}, a bit {OPPOSITE[m.group('a')]}"
    if re.fullmatch(r"(?:double|triple) (?:it|that|them)|twice as (?:much|many)(?: please)?", t):
        return f"{last}, twice as much"
    m = re.fullmatch(r"(?:it'?s |that'?s |now )?(?:still|now) (?:a bit |a little |too |kinda |kind of |slightly |way too |so )?"
                     r"(?P<a>[a-z]+)|(?:it'?s |that'?s )?(?:a bit |way |much |kinda )?too (?P<b>[a-z]+) now", t)
    if m:
        return f"{last}, less {m.group('a') or m.group('b')}"  # "still a bit warm", "too yellow now"
    m = re.fullmatch(r"(?:it'?s |that'?s |now |it looks |looks )?(?:way |a bit |a little |much |kinda |kind of )?too (?P<a>[a-z]+)"
                     r"(?:,? (?:(?:dial|tone|pull|bring|take) (?:it|that) (?:back|down)|tone down|back off)(?: a bit| a little| a touch)?)?", t)
    if m and (m.group("a") in COLOURS or stems(m.group("a")) & stems(last)):
        # "too orange, dial it back" after "make the sky more orange": the same, subtly; "too yellow" after it: less yellow
        return f"{last} subtly" if stems(m.group("a")) & stems(last) else f"{last}, less {m.group('a')}"
    m = re.fullmatch(r"(?:(?:but|ok|okay|now|hmm+|although|though)[, ]+)*(?:now )?(?P<w>he|she|it|they|this|that|the [a-z]+) (?:now )?"
                     r"(?:looks?|seems?|feels?|is|are)(?: now)? (?:kinda |kind of |a bit |a little |too |so |very |really |way too |"
                     r"super |quite |rather )?(?P<a>[a-z]+)(?: now)?", t)
    if m and m.group("a") not in POSITIVE and (not m.group("w").startswith("the ") or m.group("w")[4:] in last):
        return f"{last}, less {m.group('a')}"  # "ok but now he looks kinda plastic"
    m = re.fullmatch(r"(?:not|less) (?:that|so|this|as) (?P<a>[a-z]+)", t)
    if m:
        return f"{last}, less {m.group('a')}"
    return None


def _again(text: str, prev: Turn | None, state: ConversationState, plain: str = "") -> str | None:
    """The last edit once more on another thing ("same for the house", "the dock too") or of the same kind
    ("another one", "more swans" after adding a swan)."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    old = parse(state.edits[-1].instruction)
    if old is None:
        return None
    m = re.fullmatch(r"(?:and |also |plus |same (?:for|with) |do the same (?:for|to|with) |now )?(?:(?:do|make) )?"
                     r"(?P<t>(?:the|her|his|their) [a-z' ]+?)(?: too| as well| also)?", text) or \
        re.fullmatch(r"(?:and |also |plus )?(?P<t>(?!(?:and|also|could|can|would|will|you|u|i|we|it|me|please|pls|that|this|"
                     r"me|him|her|them|do|did|same|more|less|him|us|so|too|me)\b)[a-z']{3,}(?: [a-z']{3,})?) (?:too|as well|also)[.!]*",
                     plain or text)
    said = re.search(r"\b(?:and|also|too|as well|same|plus)\b|\?$", plain or text)
    if m and re.search(r"\b(?:is|are|was|were|looks?|seems?|feels?|glow|shine|sparkle|smile|twinkle)\b", m.group("t")):
        m = None  # "the soup is too pale", "and make the streetlights glow more": a sentence of its own, not "the soup too"
    if m and said and old.family in ("color", "size", "remove") and old.target:
        return Frame(old.family, _the(m.group("t")), old.value).instruction()
    if old.family == "add" and old.value:
        thing = re.sub(r"^(?:a|an|some|the) ", "", re.sub(r" (?:on|in|at|near|by|next to|over|under|behind) .+$", "",
                                                         old.value))
        if re.fullmatch(r"(?:and )?(?:another|one more)(?: one)?(?: please)?", text):
            return f"add another {thing}"
        if re.fullmatch(rf"(?:add )?(?:more|some more|a few more|lots more) {re.escape(thing)}s?(?: please)?", text):
            return f"add more {thing}s"
    return None


def _reposition(text: str, prev: Turn | None, state: ConversationState) -> str | None:
    """Right after adding a thing, "put it on the left side (instead)" moves the added thing there."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    moved = re.match(r"^move (?P<t>.+?) (?:further |a bit |slightly )*(?:to|towards|onto|on) ", state.edits[-1].instruction)
    where = re.fullmatch(r"(?:(?:no|actually|wait|hmm+|maybe|please)[, ]+)*(?:put|place|move|have|set) (?:it|them|that|those) "
                         r"(?:further |more )?(?P<loc>(?:on|to|towards) the (?:left|right|top|bottom|middle|centre|center)(?: side)?)"
                         r"(?: instead| please)?", text)
    if moved and where:
        return f"move {moved.group('t')} {re.sub(r'^(?:on|towards) ', 'to ', where.group('loc'))}"  # "put it on the left instead"
    if not ADDING.match(state.edits[-1].instruction):
        return None
    text = re.sub(r"\b(?:further|farther|a bit more|a little more|slightly|more) (?=to |towards |onto |on |over )", "", text)
    text = re.sub(r" towards? ", " to ", text)
    swap = re.fullmatch(r"(?:(?:no|actually|wait|hm+|maybe|please)[, ]+)*make (?:it|that|them) (?P<v>(?:a|an|two|three|some) .+?)"
                        r"(?: instead| please)?", text)
    if swap:
        where = re.search(r" (?:on|in|at|near|by|next to|over|under|behind|in front of|onto) .+$", state.edits[-1].instruction)
        return f"add {swap.group('v')}{where.group(0) if where else ''}"  # "make it a puppy instead"
    m = re.fullmatch(r"(?:(?:no|actually|wait|hmm+|maybe|please)[, ]+)*(?:put|place|move|have|set) (?:it|them|that|those) "
                     r"(?P<loc>(?:on|in|at|to|near|by|next to|over|under|behind|in front of|onto) .+?)(?: instead| please)?",
                     text)
    if not m:
        return None
    thing = re.sub(r" (?:on|in|at|near|by|next to|over|under|behind|in front of|onto) .+$", "",
                   ADDING.sub("", state.edits[-1].instruction).strip())
    return f"add {thing} {re.sub(r'^(?:to|onto) ', 'on ', m.group('loc'))}"


def _attribute(text: str, prev: Turn | None, state: ConversationState) -> str | None:
    """Right after an edit, a fragment that refines it: "red" after "give the snowman a scarf" (a red scarf),
    "in white" after "replace the car with a Tesla", "pink ones" after "put tulips in the pot", "same but
    with black spots" after "make the horse white"."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    last = state.edits[-1].instruction
    same = re.fullmatch(r"(?:the )?(?:same|like that|that|same thing|same again),? but (?P<x>.+)", text)
    if same:
        return f"{last} {same.group('x')}"
    mod = re.fullmatch(r"(?P<f>(?:in|with|without|using) [a-z' -]+?)(?: please| pls| instead)?", text)
    if mod and len(mod.group("f").split()) <= 5 and not re.search(r"\b(?:is|are|was|were|it|that|this)\b", mod.group("f")) and \
            not re.fullmatch(rf"in (?:{COLOUR_PHRASE})", mod.group("f")):
        return f"{last} {mod.group('f')}"  # "in lowercase letters" after "write hello on the sign"
    more = re.fullmatch(r"(?:(?:way|much|a lot|a bit|even|a little) )?more (?P<x>[a-z]+)(?: please)?", text)
    if more and re.search(rf"\b{re.escape(more.group('x'))}", last.lower()) and not ADDING.match(last.lower()):
        return f"{last}, with more {more.group('x')}"  # "more trails" after "make it night with car light trails"
    if more and re.search(rf"\b{re.escape(more.group('x'))}", last.lower()) and ADDING.match(last.lower()):
        return ADDING.sub(lambda v: f"{v.group(0)} much more", re.sub(r"^(\w+) (?:a|an|some) ", r"\1 ", last), count=1)  # "more smoke"
    c = re.fullmatch(rf"(?:and |also |in |make (?:it|them|that|those) |an? )*(?P<c>{COLOUR_PHRASE})(?: ones?| please| instead)?", text)
    if not c:
        return None
    m = re.fullmatch(r"(?P<head>(?:add|put|place|insert|draw)|give (?:the [a-z]+|her|him|them|it)|replace .+? with) "
                     r"(?:(?:a|an|some) )?(?P<v>[a-z' -]+?)(?P<rest> (?:in|on|to|into|onto|over|under|behind|next to|"
                     r"near|around|in front of|at) .+)?", last)
    if not m:
        plain_make = re.fullmatch(r"make (?P<t>(?:the|her|his|their|its) [a-z' ]+?) (?P<v>(?:a |an )?[a-z' -]+)", last)
        if plain_make and not re.search(rf"\b(?:{COLOUR_RE})\b", last) and text.startswith(("and ", "in ", "also ")):
            return f"{last} and {c.group('c')}"  # "make the balloon a heart shape" + "and purple"
        return None
    if re.search(rf"\b(?:{COLOUR_RE})\b", m.group("v")):
        return None
    return f"{m.group('head')} {_a(c.group('c') + ' ' + m.group('v'))}{m.group('rest') or ''}"


def _same_for(text: str, prev: Turn | None, state: ConversationState) -> str | None:
    """Right after an edit, "and the bikes on the wall too" does the same to another thing."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    too = re.fullmatch(r"(?:and|also|plus|now)? ?(?P<n>(?:the|her|his|their|its|my) [a-z' ]+?),? (?:too|as well|also|"
                       r"(?:the )?same(?: thing| please| for (?:it|them|that))?)", text) or \
        re.fullmatch(r"(?:and|also|plus|now)? ?(?:(?:the )?same (?:for|with|on) )(?P<n>(?:the|her|his|their|its|my) [a-z' ]+?)", text) or \
        re.fullmatch(r"(?:and|also|plus|now)? ?(?P<n>(?!(?:it|that|this|them|me|you)\b)[a-z]+s?),? (?:too|as well|(?:the )?same)", text)
    if not too:
        return None
    thing = too.group("n") if re.match(r"^(?:the|her|his|their|its|my) ", too.group("n")) else f"the {too.group('n')}"
    last = state.edits[-1].instruction
    if (m := re.match(r"^(remove|delete|erase|blur|brighten|darken|sharpen|straighten) ", last)):
        return f"{m.group(1)} {thing}"
    if (m := re.fullmatch(r"make (?P<t>.+?) (?P<v>\S+)", last)):
        return f"make {thing} {m.group('v')}"
    return None


def _same_colour(text: str, state: ConversationState) -> str | None:
    """A colour used before, for another thing: "same red for the paddle", "do the same white for the mouse",
    "same rug colour as the sofa" (the colour an edit gave the sofa, or the caption's)."""
    lead = r"(?:(?:and|now|also|then|pls|please|ok(?:ay)?) )*(?:do |make |use |paint |go with |with )?(?:the )?"
    m = re.fullmatch(rf"{lead}same (?P<c>{COLOUR_PHRASE})(?: colou?r| shade| one)? (?:for|on|to) (?:the |her |his |my |"
                     rf"their )?(?P<x>[a-z' ]+?)(?: too| as well| please| pls)?", text)
    if m:
        return f"make the {m.group('x')} {m.group('c')}"
    m = re.fullmatch(rf"{lead}same (?P<x>[a-z' ]+?) colou?r as (?:the |her |his |my |their )?(?P<y>[a-z' ]+?)(?: please| pls)?", text) \
        or re.fullmatch(r"(?:make |paint )?(?:the )?(?P<x>[a-z' ]+?) (?:the )?same colou?r as (?:the |her |his |my |their )?"
                        r"(?P<y>[a-z' ]+?)(?: please| pls)?", text)
    if not m:
        return None
    y = m.group("y").split()[-1].rstrip("s")
    for e in reversed(state.edits):
        if e.instruction.lower().startswith("make ") and \
                (c := re.search(rf"\b{y}s? (?P<c>{COLOUR_PHRASE})\b", e.instruction.lower())):
            return f"make the {m.group('x')} {c.group('c')}"
    if (c := re.search(rf"\b(?P<c>{COLOUR_PHRASE}) (?:[a-z]+ )?{y}", (state.caption or "").lower())):
        return f"make the {m.group('x')} {c.group('c')}"
    return None


def _also(instruction: str, piece: str) -> str | None:
    """"make the roses yellow" + "the vase too" -> "make the roses and the vase yellow"; else None."""
    too = re.fullmatch(r"(?:and |also |plus )?(?P<n>(?:the|her|his|their|its|my) [a-z' ]+?),? (?:too|as well|also)", piece.lower())
    m = re.fullmatch(r"make (?P<t>.+?) (?P<v>\S+)", instruction)
    return f"make {m.group('t')} and {too.group('n')} {m.group('v')}" if too and m else None


def _similes_out(frag: str) -> str:
    """A fragment without its simile "like" and its intensifier "super", which are not talk: "way more fluffy like a
    cloud", "like super big", "round ones like harry potter" (but "i like it", "like that!" keep theirs)."""
    frag = re.sub(r"(?<![a-z])(?<!n't )(?<!nt )(?<!looks )(?<!look )(?<!feels )(?<!feel )(?<!seems )(?<!sounds )(?<!sound )(?<!just )"
                  r"(?<!\breally )"
                  r"like (?!(?:it|this|that|them|these|those|him|her|you|me|us)\b)(?=[a-z])", "", frag)
    return re.sub(r"\bsuper (?=[a-z]{3,})", "", frag)


def _refine(text: str, prev: Turn | None, state: ConversationState) -> Reply | None:
    """A fragment no rule reads, said right after an edit, refines that edit ("teal stripes", "more of a mint
    green", "dapple grey"): the edit is redone with the fragment added; said right after a question, it
    answers it ("a tropical beach wallpaper"): the question's request is made with the answer added."""
    if prev is None or prev.action not in ("edit", "ask", "forget"):
        return None
    frag = re.sub(r"^(?:(?:no|nah|actually|wait|hmm+|maybe|rather|or|and|but|ok(?:ay)?|please|pls)[, ]+)+", "", text)
    frag = re.sub(r"[, ]+(?:please|pls|instead|maybe|then|perhaps|thanks|thx)$", "", frag).strip(" .!,")
    if not frag or len(frag.split()) > (9 if prev.action == "edit" else 5) or IMPERATIVE.match(frag) or FRAGMENT_NOT.search(_similes_out(frag)) or \
            re.search(r"\b(?:idk|idea|dunno|know|sure|guess)\b", text) or \
            QUESTION.match(frag) or not re.search(r"[a-z]{3}", frag):
        return None
    if prev.action == "forget":  # "horse white", "no. undo", "black then": the undone edit in the new colour
        live = {e.instruction for e in state.edits}
        undone = next((t.instruction for t in reversed(state.turns) if t.role == "assistant" and t.action == "edit"
                       and t.instruction and t.instruction not in live), None)
        swapped = _swap_colour(undone, frag) if undone else None
        return Reply("edit", f"Editing: {swapped}.", instruction=swapped) if swapped else None
    if prev.action == "edit" and state.edits:
        last = re.sub(r"[.!]$", "", state.edits[-1].instruction)
        instr = f"{last}, {frag}"
        return Reply("edit", f"Sorry, changing that: {instr}.", instruction=instr, forget=ForgetTarget("last"))
    asked = _previous_user(state, vocabulary(state))
    if prev.action == "ask" and asked and (len(asked.split()) >= 2 or re.fullmatch(r"[a-z]{3,}s", asked)):
        named = _asked_things(asked, state.caption)  # "shoes" -> "neon green"
        if not named and FRAGMENT_NOT.search(frag):
            return None  # "give it a different style" -> "like an oil painting": the question's frame takes the answer
        colour = re.fullmatch(rf"(?:an? )?({COLOUR_PHRASE})(?: one| ones| please)?", frag)
        if colour and named and (re.search(r"\bcolou?rs?\b", asked) or " " not in asked):
            instr = f"make the {named[-1]} {colour.group(1)}"  # "umbrella color?" -> "yellow"
            return Reply("edit", f"Got it: {instr}.", instruction=instr)
        instr = f"{asked}: {frag}"
        return Reply("edit", f"Got it: {instr}.", instruction=instr)
    return None


def _swap_colour(instruction: str, said: str) -> str | None:
    """`instruction` with its colour changed to the one `said` starts with ("silver", "better in grey, so ..."),
    or None when either has no colour."""
    m = re.match(rf"(?:(?:better|rather|maybe|make (?:it|them)|go with|in)\s+)*(?:an? )?(?P<c>{COLOUR_PHRASE})\b", said.lower())
    old = list(re.finditer(rf"\b{COLOUR_PHRASE}\b", instruction))
    if not m or not old or re.search(r"\bblack (?:and|&) white\b", instruction):
        return None
    return instruction[:old[-1].start()] + m.group("c") + instruction[old[-1].end():]
