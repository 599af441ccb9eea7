"""The dialogue text format: what seeds, teachers and the dataset share.

Is: a parser and a writer for dialogues in the small text format of `seed_dialogues.txt` (one
"## caption" header, "U:" user lines, "A:" assistant lines), and the validation every dialogue
passes before it is kept. Is not: a teacher or the dataset builder (dialogues.py).

    ## a red car parked on a city street
    U: make the car a different colour
    A: ask | Which colour would you like the car to be?
    U: blue
    A: edit: make the car blue | Making the car blue.
    U: no, green
    A: revise: make the car green | Green instead.
    U: forget it
    A: forget last | Back to the original.
"""

from __future__ import annotations

import re
from importlib import resources

MAX_TURNS = 16       # user + assistant lines in one dialogue
MAX_TEXT = 400       # characters in one line's text
MAX_INSTRUCTION = 25  # words in an instruction


class FormatError(ValueError):
    pass


def parse_forget_target(text: str):
    """'last' | 'all' | an edit number | words of the edit, as the protocol's `forget` value."""
    t = text.strip()
    if t in ("last", "all"):
        return t
    if t.isdigit():
        return int(t)
    if not t:
        raise FormatError("forget needs a target: last, all, a number or words")
    return t


def parse_assistant(line: str) -> dict:
    """'edit: T | msg', 'revise: T | msg', 'ask | msg', 'chat | msg', 'forget X | msg' -> a turn dict."""
    head, sep, message = line.partition("|")
    head, message = head.strip(), message.strip()
    if not sep or not message:
        raise FormatError(f"assistant line without '| message': {line!r}")
    m = re.fullmatch(r"(edit|revise):\s*(.+)", head)
    if m:
        turn = {"role": "assistant", "action": "edit", "instruction": m.group(2).strip(), "text": message}
        if m.group(1) == "revise":
            turn["forget"] = "last"
        return turn
    m = re.fullmatch(r"forget\s+(.+)", head)
    if m:
        return {"role": "assistant", "action": "forget", "forget": parse_forget_target(m.group(1)), "text": message}
    if head in ("ask", "chat"):
        return {"role": "assistant", "action": head, "text": message}
    raise FormatError(f"unknown assistant action in {line!r}")


def parse_dialogues(text: str) -> list[dict]:
    """Every dialogue in `text` as {"caption", "turns"}; raises FormatError on a malformed block."""
    out: list[dict] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip() and not ln.startswith("# ")]
        if not lines or lines[0] == "#":
            continue
        if not lines[0].startswith("## "):
            raise FormatError(f"a dialogue starts with '## caption', got {lines[0]!r}")
        turns = []
        for ln in lines[1:]:
            if ln.startswith("U:"):
                turns.append({"role": "user", "text": ln[2:].strip()})
            elif ln.startswith("A:"):
                turns.append(parse_assistant(ln[2:]))
            else:
                raise FormatError(f"a line starts with 'U:' or 'A:', got {ln!r}")
        out.append({"caption": lines[0][3:].strip(), "turns": turns})
    return out


def format_dialogue(d: dict) -> str:
    lines = [f"## {d['caption']}"]
    for t in d["turns"]:
        if t["role"] == "user":
            lines.append(f"U: {t['text']}")
        elif t["action"] == "edit":
            kind = "revise" if t.get("forget") == "last" else "edit"
            lines.append(f"A: {kind}: {t['instruction']} | {t['text']}")
        elif t["action"] == "forget":
            lines.append(f"A: forget {t['forget']} | {t['text']}")
        else:
            lines.append(f"A: {t['action']} | {t['text']}")
    return "\n".join(lines)


def validate(d: dict) -> str | None:
    """Why a dialogue is rejected, or None when it is well formed."""
    turns = d.get("turns") or []
    if not d.get("caption", "").strip():
        return "no caption"
    if len(turns) < 2:
        return "fewer than two turns"
    if len(turns) > MAX_TURNS:
        return "too long"
    live = 0
    for i, t in enumerate(turns):
        want = "user" if i % 2 == 0 else "assistant"
        if t.get("role") != want:
            return "turns do not alternate user/assistant"
        if len(t.get("text", "")) > MAX_TEXT or (want == "assistant" and not t.get("text", "").strip()):
            return "empty or overlong text"
        if want == "user":
            continue
        if t["action"] == "edit":
            words = len((t.get("instruction") or "").split())
            if not 1 <= words <= MAX_INSTRUCTION:
                return "edit without a short instruction"
            live += 1 - (t.get("forget") == "last")
        elif t["action"] == "ask" and "?" not in t["text"]:
            return "a question without a question mark"
        elif t["action"] == "forget":
            if live == 0:
                return "forget with nothing to forget"
            target = t.get("forget")
            live = 0 if target == "all" else live - 1
            if isinstance(target, int) and not 1 <= target <= live + 1:
                return "forget names an edit that does not exist"
    if turns[-1]["role"] != "assistant":
        return "ends on the user"
    return None


def seed_library() -> list[dict]:
    """The hand-written seed dialogues shipped with the package."""
    text = resources.files("dialogpaint.data").joinpath("seed_dialogues.txt").read_text()
    return parse_dialogues(text)
