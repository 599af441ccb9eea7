"""Recognising undo and forget requests in plain words ("undo", "forget the rainbow", "start over").

Shared by every dialogue backend so that "forget" means the same thing whichever model talks.
"""

from __future__ import annotations

import re

from .base import ForgetTarget

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10}
_ALL = re.compile(r"^(?:please\s+)?(?:forget|undo|remove|drop|revert|discard)\s+(?:all|everything|all\s+(?:the\s+)?(?:edits|changes))\b"
                  r"|^(?:please\s+)?(?:start\s+over|start\s+again|reset|back\s+to\s+(?:the\s+)?original|restore\s+(?:the\s+)?original)\b")
_LAST = re.compile(r"^(?:please\s+)?(?:undo|revert|go\s+back|step\s+back)(?:\s+(?:it|that|this|the\s+last(?:\s+(?:one|edit|change))?|last(?:\s+(?:one|edit|change))?))?[.!]*$"
                   r"|^(?:please\s+)?forget\s+(?:it|that|this|the\s+last(?:\s+(?:one|edit|change))?|last(?:\s+(?:one|edit|change))?)[.!]*$"
                   r"|^(?:please\s+)?take\s+(?:it|that|this)\s+back(?:\s+please)?[.!]*$")
_NAMED = re.compile(r"^(?:please\s+)?(?:forget|undo)\s+(?:about\s+)?(?P<rest>.+?)[.!]*$"
                    r"|^(?:please\s+)?(?:remove|delete|drop|revert|take\s+back)\s+(?P<rest2>(?:the\s+)?.+?\s+(?:edit|change))[.!]*$")
_INDEX = re.compile(r"^(?:edit|change|step|version)?\s*(?:number\s+|no\.?\s*|#)?(?P<n>\d+)$")
_ORDINAL = re.compile(r"^(?:the\s+)?(?P<o>" + "|".join(_ORDINALS) + r")(?:\s+(?:one|edit|change))?$")


def parse_forget(text: str) -> ForgetTarget | None:
    """A ForgetTarget when `text` asks to undo or forget edits, else None."""
    t = " ".join(text.lower().strip().split())
    t = re.sub(r"[,;]+", "", t)
    if not t:
        return None
    if _ALL.search(t):
        return ForgetTarget("all")
    if _LAST.match(t):
        return ForgetTarget("last")
    m = _NAMED.match(t)
    if not m:
        return None
    said = m.group("rest") or m.group("rest2")
    rest = re.sub(r"^(?:the|my|that|about)\s+", "", said).strip()
    rest = re.sub(r"\s+(?:edit|change|one|part|bit)$", "", rest).strip() or rest
    if (mi := _INDEX.match(rest)) is not None:
        return ForgetTarget("one", index=int(mi.group("n")))
    if (mo := _ORDINAL.match(said.strip())) is not None:
        return ForgetTarget("one", index=_ORDINALS[mo.group("o")])
    return ForgetTarget("one", words=rest)
