"""Recognising undo and forget requests in plain words ("undo", "forget the rainbow", "start over").

Shared by every dialogue backend so that "forget" means the same thing whichever model talks.
"""

from __future__ import annotations

import re

from .base import ForgetTarget

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10}
_P = r"^(?:please\s+)?(?:just\s+)?"
_ALL = re.compile(_P + r"(?:forget|undo|remove|drop|revert|discard|scrap|cancel|clear|reset|lose|delete|ditch)\s+"
                  r"(?:all(?=\s*(?:please\s*)?[.!]*$)|everything|every\s+(?:edit|change)|all\s+(?:of\s+)?(?:the\s+|my\s+|your\s+|those\s+|these\s+)?"
                  r"(?:edits|changes|of\s+(?:it|them)|it|them))\b"
                  r"|" + _P + r"(?:start\s+(?:over|again|afresh|from\s+scratch)|reset(?:\s+(?:it|the\s+image|the\s+picture|"
                  r"the\s+photo))?$|from\s+scratch|"
                  r"(?:go\s+|get\s+|take\s+(?:it|me)\s+|bring\s+(?:it|me)\s+|revert\s+|reverse\s+|return\s+|switch\s+)?back\s+to\s+"
                  r"(?:the\s+|my\s+)?(?:original|start|beginning|unedited)|(?:restore|revert|return|reset)\s+(?:the\s+)?(?:photo|photograph|picture|image|it)\s+to\s+(?:how\s+it\s+was|the\s+"
                  r"original|normal|its\s+original\s+state)|(?:revert|return|restore|reset|go)\s+(?:it\s+)?"
                  r"(?:to\s+)?(?:the\s+|my\s+)?(?:original|unedited)|(?:show|give)\s+me\s+the\s+original|"
                  r"restore\s+(?:the\s+)?original|undo\s+(?:all|everything)|remove\s+all\s+(?:the\s+)?(?:edits|changes)|"
                  r"i\s+(?:prefer(?:red)?|liked|like|want)\s+the\s+original|make\s+it\s+(?:look\s+)?(?:normal|like\s+before|"
                  r"the\s+way\s+it\s+was)(?:\s+again)?$|make\s+it\s+(?:how|the\s+way)\s+it\s+was(?:\s+(?:at\s+first|originally|"
                  r"in\s+the\s+beginning))$|(?:go\s+|get\s+|take\s+it\s+|put\s+it\s+)?back\s+to\s+"
                  r"(?:the\s+)?(?:original\s+|normal\s+|plain\s+)?(?:photo|picture|image)|the\s+original\s+(?:was|is|looked)\s+better|"
                  r"(?:the\s+)?original(?:\s+(?:one|photo|version|pic|image))?(?:\s+again)?[.!]*$)\b")
_LAST = re.compile(_P + r"(?:(?:ok|okay|no|nah|hmm+)\s+)*(?:(?:no\s+)?(?:put|change|set|turn|make|bring)\s+(?:it|him|her|them|that)\s+back"
                   r"(?:\s+(?:like\s+(?:it|he|she|they)\s+(?:was|were)|to\s+normal|to\s+how\s+(?:it|he|she|they)\s+(?:was|were)|"
                   r"as\s+(?:it|he|she|they)\s+(?:was|were)))(?:\s+(?!.*\b(?:make|add|remove|turn|change|put|give|then|and|but)\b).*)?)$|" + _P + r"(?:ctrl\s*\+?\s*z|cmd\s*\+?\s*z|undo+|un-do)(?:\s+please|\s+pls)?[.!]*$|" + _P + r"(?:undo|revert|reverse|go\s+back|step\s+back|roll\s+back|cancel|scrap|ditch)(?:\s+(?:it|that|this|one\s+step|"
                   r"a\s+step|that\s+(?:last\s+)?(?:one|edit|change)|the\s+(?:last|latest|previous|most\s+recent)(?:\s+(?:one|"
                   r"edit|change|step|thing))?|last(?:\s+(?:one|edit|change))?))?(?:\s+please)?[.!]*$"
                   r"|" + _P + r"(?:forget|drop|remove|lose|delete|discard)\s+(?:it|that|this|that\s+(?:one|edit|change)|"
                   r"the\s+(?:last|latest|previous|most\s+recent)(?:\s+(?:one|edit|change|step|thing))?|"
                   r"last(?:\s+(?:one|edit|change))?)(?:\s+please)?[.!]*$"
                   r"|" + _P + r"take\s+(?:(?:it|that|this)\s+)?back(?:\s+(?:it|that|this))?(?:\s+please)?[.!]*$"
                   r"|" + _P + r"(?:return|restore|revert)\s+(?:it|that|this)(?:\s+back)?(?:\s+please)?[.!]*$"
                   r"|" + _P + r"(?:go\s+)?back\s+to\s+how\s+it\s+was\s+before\s+(?:that|the\s+last)(?:\s+one)?[.!]*$"
                   r"|" + _P + r"(?:step\s+|go\s+)?back(?:\s+(?:one|once|one\s+step|a\s+step))?(?:\s+please)?[.!]*$"
                   r"|" + _P + r"(?:(?:i'?ve\s+)?changed\s+my\s+mind\s+)?keep\s+it\s+(?:as|how|the\s+way)\s+it\s+was[.!]*$"
                   r"|" + _P + r"(?:i(?:'d|\s+would)\s+rather\s+you\s+)?reverse\s+the\s+(?:previous|last)\s+(?:change|edit|one)[.!]*$"
                   r"|" + _P + r"leave\s+(?:it|them)\s+(?:where|how|the\s+way)\s+(?:it|they)\s+(?:was|were)(?:\s+(?:originally|"
                   r"before|at\s+first))?[.!]*$"
                   r"|" + _P + r"go\s+back\s+to\s+(?:it|that|the\s+(?:previous|last|earlier)\s+(?:one|version)|the\s+one\s+before)[.!]*$"
                   r"|" + _P + r"(?:go\s+|put\s+it\s+|change\s+it\s+|set\s+it\s+|take\s+it\s+)?back\s+(?:to\s+)?(?:how|the\s+way|what)"
                   r"\s+it\s+was(?:\s+before)?[.!]*$"
                   r"|" + _P + r"(?:return|go\s+back|come\s+back|back|make\s+(?:it|them))\s+(?:(?:it|them)\s+)?(?:to\s+)?(?:how|like|as)\s+"
                   r"(?:it\s+|they\s+)?(?:was|were)(?:\s+(?:before|first|originally))?(?:\s+please)?[.!]*$"  # "return it how was before"
                   r"|" + _P + r"(?:return|come\s+back|go\s+back|back)\s+to\s+(?:the\s+)?(?:before|previous)(?:\s+(?:one|version))?(?:\s+please)?[.!]*$"
                   r"|" + _P + r"(?:go\s+|put\s+it\s+|take\s+it\s+)?back\s+to\s+(?:the\s+|its\s+|his\s+|her\s+|their\s+)?(?:real|normal|"
                   r"regular|usual|old|previous|original)\s+(?:size|colou?r|shape|length|look|one|[a-z]+)[.!]*$"  # "back to the real size"
                   r"|" + _P + r"(?:the\s+)?(?:one\s+)?(?:before|previous|earlier|last|old|other)\s+(?:one|version)\s+(?:was|looked|is|looks)"
                   r"\s+better[.!]*$")
# a terse forget after a reaction ("hmm no. back", "too far, back one", "ugh neither. original")
_REACTION = re.compile(r"^(?:(?:hmm+|no+|nah|nope|ugh+|eh|meh|ok|okay|whatever|neither|too\s+far|too\s+much|actually|nvm|"
                       r"never\s*mind|wait|sorry|oops|yikes|not\s+that)[\s.,!]+)+")
# unambiguous forget verbs take any words; verbs that also name an edit ("remove the car") need an
# edit word after them ("remove the snow edit") or, with the live edits known, words of one of them
_NAMED = re.compile(_P + r"(?:(?:go\s+)?back\s+to\s+(?:how\s+it\s+was\s+)?before|(?:(?:can|could)\s+we\s+)?go\s+back\s+on|disregard|ignore|take\s+back|forget|undo|revert|cancel|scrap|scratch|ditch|discard|reverse|skip|leave\s+out|never\s*mind|un-?remove|"
                    r"let'?s\s+not\s+(?:do|have|keep)|go\s+back\s+to\s+before|roll\s+back)\s+(?:about\s+)?(?P<rest>.+?)"
                    r"(?:\s+after\s+all)?[.!]*$"
                    r"|" + _P + r"(?:remove|delete|drop|revert|take\s+back|get\s+rid\s+of|lose|take\s+away|take\s+off)\s+"
                    r"(?P<rest2>(?:the\s+|that\s+|my\s+)?.+?\s+(?:edit|change|one|effect|filter|look|step|version))(?:\s+please)?[.!]*$")
_AMBIGUOUS = re.compile(_P + r"(?:(?:you\s+)?(?:can|could)\s+)?(?:remove|delete|drop|get\s+rid\s+of|lose|take\s+away|take\s+off|take\s+out|clear|bin|ditch|kill|nuke|zap)\s+"
                        r"(?:the\s+|that\s+|this\s+|my\s+)?(?P<rest>.+?)[.!]*$")
# "put the writing back", "bring his glasses back", "she wants the braces back", "the velvet back to red please"
_BACK = re.compile(_P + r"(?:(?:i|we|he|she|they|you)\s+(?:\w+\s+)?(?:want|wants|need|needs|miss|misses|would\s+like|'d\s+like)\s+|"
                   r"(?:let'?s\s+|can\s+you\s+|could\s+you\s+)?(?:put|bring|give|add|turn|change|make|set|switch)\s+)?"
                   r"(?P<x>(?:the|my|his|her|their|our)\s+[a-z' ]+?)\s+back(?:\s+(?:in|on|again|please|pls))*(?:\s+to\s+[a-z ]+)?[.!]*$")
# "... you put on", "... i added", "... from before": the thing named is one of the edits
_SAID = re.compile(r"\s+(?:that |which )?(?:you|i|we) (?:just |had )?(?:put|add+ed|gave|placed|drew|made|asked for|wanted|"
                   r"requested|inserted|did)\b.*$|\s+(?:from )?(?:before|earlier)$")
_INDEX = re.compile(r"^(?:edit|change|step|version)?\s*(?:number\s+|no\.?\s*|#)?(?P<n>\d+)$")
_ORDINAL = re.compile(r"^(?:the\s+)?(?P<o>" + "|".join(_ORDINALS) + r")(?:\s+(?:one|edit|change))?$")


def parse_forget(text: str, edits=()) -> ForgetTarget | None:
    """A ForgetTarget when `text` asks to undo or forget edits, else None.

    With the live `edits` given, "drop the rain" forgets "make it rain" when the words fit an edit
    that put something over the picture (weather, time, a style, a tone, an added thing) rather than
    an object of the picture ("remove the car" stays an edit)."""
    t = " ".join(text.lower().strip().split())
    t = re.sub(r"[,;]+", "", t)
    t = re.sub(r"^(take (?:the|that|this|his|her|my) [a-z' ]+?) of(?= again$|$)", r"\1 off", t)   # "take the sunglasses of"
    t = re.sub(r"^(take|get|put) ((?:the|that|this|my|his|her) [a-z' ]+?|it|that|this|them) (off|out|away)(?= again$|$)", r"\1 \3 \2", t)  # "take the hat off"
    t = re.sub(r"\s+again$", "", t)
    t = re.sub(r"^(take|get|put) (.+?) back (out|off|away)$", r"\1 \3 \2", t)  # "take the plants back out"
    t = re.sub(r"\s+(?:please|pls|thanks|thank you)$", "", t)
    if not t:
        return None
    if _ALL.search(t):
        return ForgetTarget("all")
    if _LAST.match(t):
        return ForgetTarget("last")
    if (bare := _REACTION.sub("", t)) != t and bare:
        if _ALL.search(bare) and re.search(r"\boriginal\b", bare):
            return ForgetTarget("all")
        if _LAST.match(bare):
            return ForgetTarget("last")
    back = _BACK.match(t) if edits else None
    if back:  # "put the writing back", "she wants the braces back": the edit that took it away
        from .recall import match_edit

        k = match_edit(back.group("x"), edits)
        if k is not None:
            return ForgetTarget("one", index=k)
    m = _NAMED.match(t)
    if not m:
        return _overlay_named(t, edits)
    said = m.group("rest") or m.group("rest2")
    said = re.split(r"\s+(?:but|and keep|except|while keeping|keeping|not the)\s+", said)[0]  # "the snow but keep winter"
    said = re.sub(r"^(?:my\s+)?(?:previous|last|earlier)\s+(?:request|edit|change|instruction)\s+(?:regarding|about|on|for|with)\s+",
                  "", said)  # "disregard my previous request regarding the fence"
    rest = re.sub(r"^(?:the|my|that|about)\s+", "", said).strip()
    rest = re.sub(r"\s+(?:edit|change|one|part|bit|effect|filter|look|step|version)$", "", rest).strip() or rest
    if (mi := _INDEX.match(rest)) is not None:
        return ForgetTarget("one", index=int(mi.group("n")))
    if (mo := _ORDINAL.match(said.strip())) is not None:
        return ForgetTarget("one", index=_ORDINALS[mo.group("o")])
    return ForgetTarget("one", words=rest)


def _overlay_named(t: str, edits) -> ForgetTarget | None:
    """"drop the rain" after "make it rain": a remove-verb naming an overlay edit (not a thing) forgets it."""
    from .recall import kind_of, match_edit

    m = _AMBIGUOUS.match(t)
    if not m or not edits:
        return None
    rest = m.group("rest").strip()
    if rest in ("it", "them", "that", "this", "those", "these", "it again", "them again", "that again"):
        return ForgetTarget("last")  # "take it away" right after an edit: that edit
    said = _SAID.search(rest)
    if said:  # "remove the shirt you put on", "get rid of the person i added": an edit by its own words
        k = match_edit(rest[: said.start()], edits)
        return ForgetTarget("one", index=k) if k is not None else ForgetTarget("last")
    k = match_edit(rest, edits)
    if k is None:
        return None
    kinds = kind_of(edits[k - 1].instruction)
    overlay = kinds & {"weather", "time", "season", "style", "tone", "geometry"}
    added = "add" in kinds and bool(set(rest.split()) & set(edits[k - 1].instruction.lower().split()))
    return ForgetTarget("one", index=k) if overlay or added else None
