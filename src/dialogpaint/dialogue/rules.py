"""The `rules` backend: a reading of editing requests (0.3-2.6 ms a turn, median).

Is: the message put in plain words first (normalize.py: typos, politeness, wishes as imperatives),
then read into a frame (family, target, value); a question when a part is missing, a placeholder
("something else") or the message stops short ("make it look like"), naming what is missing with
options from the caption, never quoting the user; the answer to a question completes the pending
request, even as a fragment ("a pine forest"); corrections and shades revise the last edit ("no,
green instead", "a bit darker"); compound requests become one instruction keeping both parts;
complaints become their fix; forgets are matched to live edits (recall.py); greetings, thanks,
help and "what have you changed?" are answered. The instruction it emits is a short imperative the
editors read ("make the car blue", "make the image a bit brighter"). Is not: a learned model; only a
message no reading fits goes to the MiniLM intent model (intent_model.py), when it is installed.

This file is the order the readings are tried in (`RulesDialogue`); the readings live beside it:
lexicon.py (words and patterns), frames.py (one request on its own), context.py (what the
conversation lends a message), revisions.py (a message as a revision of the last edit).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .base import ConversationState, ForgetTarget, LiveEdit, Reply, Turn
from .intents import _ORDINALS, parse_forget
from .recall import STOP, match_edit, stems
from .lexicon import (
    ADDING, BYE, CHITCHAT, COLOUR_PHRASE, COLOUR_RE, COLOURS, COMPARATIVES, CONNECTOR, CORRECTION, EDIT_QUESTION, FILLER, FRAGMENT_NOT,
    CHANGE_CUE, GREETING, HELP, HELP_TEXT, IMPERATIVE, KEEP, MIND_CHANGE, NOT_A_TOOL_QUESTION, NOT_THINGS, PLACE_HEADS, PRAISE,
    NOTHING_SAID, PRONOUNS, QUESTION, REACTION, REQUEST_CUE, REQUEST_FORM, STATEMENT, SUMMARY, THANKS, TOOL_QUESTION, TOPIC, VAGUE_REQUEST,
)
from .frames import (
    EMOJI, Frame, _a, _asked_after_complaint, _compound, _condition, _gibberish, _incomplete, _noun_phrase, _open_question, _placeholder,
    _question, _thing, caption_heads, clauses, parse, sentences_of, text_request,
)
from .normalize import SALUTATION, english_count
from .context import (
    _added_by, _after_edit, _asked_things, _caption_words_in, _colour_answer, _complete, _cut_short_before, _dangling, _fill_vague,
    _first_noun, _forget_words, _in_picture, _last_assistant, _lend_noun, _names_a_change, _narrative, _pending_frame,
    _previous_user, _regret, _requests, _resolve_pronoun, _resolved, _saying, _words, normalize, vocabulary,
)
from .revisions import (
    _again, _also, _attribute, _recolour, _refine, _reposition, _same_colour, _same_for, _subtler, _swap_colour,
)


def _lowered(raw: str) -> str:
    """A message in lower case with straight apostrophes and single spaces (punctuation kept)."""
    return " ".join(raw.lower().replace("\u2019", "'").split())


MAX_CHARS = 2000  # a longer message is asked to be shorter (the regex readings are not made for essays)


_FINISH = r"(?:matte|glossy|shiny|shinier|metallic|sparkly|sparkling|glittery|striped|spotted|polka[- ]dot|lit up|lit|glowing|" \
          r"velvet|leather|wooden|satin|silk|denim|faded|distressed|bigger|smaller|brighter|darker|softer|fluffier|bolder)"


def _and_more(more: str, last: str) -> str | None:
    """A fragment joined by "and" right after an edit: a finish or a second colour for the same thing ("and matte",
    "and purple" after "make the mug blue"), or a thing to put in ("and confetti"); None otherwise."""
    if re.fullmatch(_FINISH, more):
        return f"{last}, {more}"
    if re.fullmatch(rf"(?:an? )?{COLOUR_PHRASE}", more) and last.startswith("make "):
        return f"{last} and {re.sub(r'^an? ', '', more)}"
    if re.fullmatch(r"[a-z]{4,}(?: [a-z]{3,})?", more) and not parse(more) and more not in NOT_THINGS and \
            not FILLER.match(more) and not set(more.split()) & _NOT_A_THING and \
            not re.search(rf"\b(?:{COLOUR_RE})\b|(?:er|ly|ish|ed)$", more) and english_count(more.split()[-1]) >= 100:
        return f"add {more}"
    return None


# words that are never a thing to put in ("and then", "and maybe", "and sorry")
_NOT_A_THING = {"then", "maybe", "sorry", "where", "when", "what", "which", "anyway", "also", "perhaps", "yesterday", "today",
                "tomorrow", "nothing", "else", "something", "anything", "everything", "this", "that", "these", "those", "there",
                "here", "now", "again", "still", "just", "even", "though", "thanks", "please", "yeah", "yes", "okay", "well",
                "done", "same", "more", "less", "much", "very", "really", "some", "stuff", "things", "thing", "while",
                "because", "since", "until", "after", "before", "about", "with", "without", "your", "mine", "ours"}


def _words_to_write(state: ConversationState, raw: str) -> str | None:
    """The answer to "what should the text say?": the words as typed, written where the requests before said
    ("on the cake"; "want to put something on his shirt" + "text" -> on his shirt)."""
    asked = [t.text for t in state.turns[:-1] if t.role == "user"][-3:]
    wheres = [text_request(normalize(a, ())) for a in asked]
    if wheres[-1:] == [None] or not wheres or len(raw.split()) > 10 or IMPERATIVE.match(raw.lower()) or "?" in raw:
        return None
    place = next((w for w in reversed(wheres) if w), None) or next(
        (m.group(0) for a in reversed(asked) if (m := re.search(r"\bon (?:the|his|her|my|their|its) [a-z]+", a.lower()))), "")
    said = raw.strip().strip("'\"\u2018\u2019\u201c\u201d").strip()
    if re.match(r"(?i)^(?:what|how|why|which|who|hmm+|idk|dunno|not sure|no idea|i don'?t know|you (?:choose|pick|decide)|"
                r"anything|whatever|something|on|in|at|onto|across)\b", said):
        return None  # a question back, a hesitation or a place is not the words to write
    return f"write '{said}'" + (f" {place}" if place else "")


LOOK_WORD = re.compile(r"\b(?:contrast|saturat\w*|brightness|exposure|sharp\w*|blur\w*|vivid|warm\w*|cool\w*|bright\w*|dark\w*)\b")
SURE_VAGUE = 0.8  # the intent model's probability of "ask" above which a first request the rules read is asked about
SURE_FORGET = 0.95  # the turn model's (blended) probability of "forget" above which unrecognised talk forgets the last edit
TALK_REPLIES = ("Nice!", "I'm here to edit")  # how the rules answer talk no reading recognised (not thanks, praise, help)


def _said_surely(said: tuple[str, float] | None, label: str, p: float) -> bool:
    """Whether a model's (label, probability) is `label` with at least `p`."""
    return said is not None and said[0] == label and said[1] >= p


def _sure(label: str, p: float, chat: float) -> str | None:
    """A model's label when it is sure enough: p >= `chat` for chat, 0.6 for the others; else None."""
    return label if p >= (chat if label == "chat" else 0.6) else None


def _pronoun_named(text: str, state: ConversationState) -> str:
    """An instruction no rule read with its object pronoun ("make them heart shaped", "blur it") named by
    what the conversation is about: the thing of the last edit, or of the request a question was about."""
    m = re.match(r"^(?P<v>[a-z]+(?: (?:me|him|her|us))?(?: the| a lot more of| more of| some of)?) (?P<p>it|them)\b(?P<rest>.*)$", text)
    if not m or not state.turns or _last_assistant(state.turns) is None:
        return text
    look = parse(text)
    if look is not None and look.family in ("global", "style", "condition") or \
            re.match(r"^make it (?:look )?(?:a |an )?[a-z]+ (?:photo|painting|drawing|sketch|style|version)\b", text):
        return text  # "make it a polaroid photo": the picture
    named = _resolve_pronoun(Frame("free", m.group("p"), None), state)
    target = named.target if named is not None and named.target not in PRONOUNS else _edited_thing(state)
    if target is None:
        return text
    verb = re.sub(r" the$", "", m.group("v"))  # "make the them further away"
    return f"{verb} {target}{m.group('rest')}"


def _edited_thing(state: ConversationState) -> str | None:
    """The thing the assistant's last edit named ("make the basil green and healthy" -> "the basil"; "the front door"
    when the caption has a door), even if that edit was undone since; None when it named no thing."""
    last = next((t.instruction for t in reversed(state.turns[:-1]) if t.role == "assistant" and t.action == "edit"
                 and t.instruction), None)
    m = re.search(r"\b(?P<d>the|her|his|their|my) (?!(?:image|picture|photo|colou?rs?|contrast|background|shadows|highlights|"
                  r"saturation|color balance|colour balance)\b)(?P<a>[a-z]+)(?: (?P<b>[a-z]+))?", last or "")
    if not m:
        return None
    two = m.group("b") and m.group("b") in _caption_words_in(m.group("b"), state.caption)
    return f"{m.group('d')} {m.group('a')} {m.group('b')}" if two else f"{m.group('d')} {m.group('a')}"


_SALUTATION = re.compile(rf"^{SALUTATION}\s*[,!.:]+\s*", re.I)
_SIGN_OFF = re.compile(r"(?<=[.!?,])\s*(?:(?:best|kind|warm|many)?\s*regards|yours (?:sincerely|truly|faithfully)|best wishes|"
                       r"sincerely|with (?:thanks|love|best wishes))[,!.]*(?:\s+[A-Z][a-z]+\.?){0,3}[.!]*$", re.I)


_ASK_ABOUT = "What should I change about "  # the question "and the vase" after an edit gets; `_asked_about` reads it back


def _asked_about(state: ConversationState) -> str | None:
    """The thing of "What should I change about the door?" when that was the assistant's last question."""
    prev = _last_assistant(state.turns)
    about = re.match(rf"{_ASK_ABOUT}(?P<x>[a-z' ]+)\?", prev.text) if prev is not None and prev.action == "ask" else None
    return about.group("x") if about else None


def _letter_body(raw: str) -> str:
    """A message written as a letter without its greeting and signature ("Dear computer, ... Regards Bill")."""
    return _SIGN_OFF.sub("", _SALUTATION.sub("", raw)).strip()


def _reaction(plain: str, state: ConversationState) -> bool:
    """A short message right after an edit that names nothing to change: no thing of the picture or of an edit,
    no colour, look, size or undo word, no request form ("ok rude", "perfect, posting this", "there we go")."""
    words = re.findall(r"[a-z']+", plain)
    if not words or len(words) > 8 or IMPERATIVE.match(plain) or REQUEST_CUE.search(plain) or "?" in plain or \
            re.search(r"\b(?:a|an|some|the|two|three|his|her|my|its|their|on|in|like|and|also)\b", plain):
        return False  # "brass handles on the cabinets", "a small strawberry on the chest": things; "and also": more to come
    named = " ".join([state.caption or "", *(e.instruction for e in state.edits)]).lower()
    if _caption_words_in(plain, named):
        return False
    return not re.search(rf"\b(?:{COLOUR_RE}|more|less|too|not|no|nah|undo|back|again|instead|but|still|bit|little|"
                         rf"[a-z]{{3,}}er|add|remove|without|with|make|change|wish|want|need|should|could|would|can|"
                         rf"style|look|looks|colou?rs?|light|dark|bright|sharp|blur\w*)\b", plain)


class RulesDialogue:
    name = "rules"

    def __init__(self, intent: bool = True):
        self.intent = intent  # ask the MiniLM intent model about messages no rule reads (when it is installed)

    def warm(self) -> None:
        """Load the intent model now (a server calls this at start, so no user's first turn waits for it)."""
        if self.intent:
            from .intent_model import default_model

            default_model()

    def respond(self, state: ConversationState) -> Reply:
        raw = " ".join(state.last_user_text.split())
        prev = _last_assistant(state.turns)
        if (letter := _letter_body(raw)) != raw and letter and state.turns and state.turns[-1].role == "user" and \
                (prev is None or prev.action != "ask") and \
                not re.search(r"\b(?:write|writing|written|say|says|saying|text|reads?|caption|card|banner|sign)\b|['\"]", raw.lower()):
            state = replace(state, turns=(*state.turns[:-1], replace(state.turns[-1], text=letter)))
            raw = letter  # "Dear computer, can you ... Regards, Bill": the request without the letter's greeting and name
        if not raw:
            return Reply("ask", "What would you like to change in the image?")
        if len(raw) > MAX_CHARS:
            return Reply("ask", f"That message is very long ({len(raw)} characters); please tell me the change in a "
                                f"sentence or two (at most {MAX_CHARS} characters).")
        if not re.search(r"[a-zA-Z]", raw) and not re.fullmatch(r"\d+(?: ?[:x/] ?\d+)?", raw.strip(" .!")):  # "😂😂😂", "👍"
            return Reply("chat", "Tell me whenever you'd like to change something in the picture.")
        reply = self._selected(state, raw) or self._understand(state, raw, top=True) or self._guess(state)
        reply = self._grounded(state, raw, reply)
        if reply.action == "edit" and (named := _pronoun_named(reply.instruction, state)) != reply.instruction:
            reply = replace(reply, message=reply.message.replace(reply.instruction, named), instruction=named)
            # "make them green velvet instead" after an undo of the chairs' edit: the chairs
        if reply.action == "edit" and reply.forget is None and \
                all(w in NOTHING_SAID for w in re.findall(r"[a-z][a-z'-]*", reply.instruction.lower())):
            return Reply("ask", _open_question(state.caption))  # "give it a vibe", "make it look better idk"
        if reply.action == "edit" and not state.edits and (prev is None or prev.action == "chat") and re.fullmatch(
                r"(?:(?:can|could) (?:you|u) |please |pls )*make (?:it|them|me|us|him|her|this)(?: look)? cooler"
                r"(?:,? (?:idk|lol|pls|please|haha|somehow))*[.!?]*", raw.lower()):
            return Reply("ask", "Cooler how: cooler colours (bluer tones), or more striking, for example neon lights, a "
                                "cyberpunk look or sunglasses?")  # blind writers all meant "more awesome"
        bare = re.fullmatch(r"(?:and|also|oh and|and also)[, ]+(?P<x>(?:the|his|her|their|my) [a-z']+(?: [a-z']+)?)[.!?]*", raw.lower())
        if reply.action == "edit" and bare and prev is not None and prev.action == "edit" and not re.search(
                rf"\b(?:{COLOUR_RE}|too|also|{'|'.join(COMPARATIVES)}|[a-z]+ier|brass|gold|silver|wood|wooden|glass|metal|marble|leather|velvet|linen|"
                rf"stone|steel|chrome|copper)\b", bare.group("x").split(" ", 1)[1]):
            x = re.sub(r"^(?:his|her|their|my) ", "the ", bare.group("x"))  # "and the vase" after an edit: what of it?
            return Reply("ask", f"{_ASK_ABOUT}{bare.group('x')}? For example its colour, or something to add to {x}.")
        if reply.action == "edit" and self._emoji_reaction(state, raw):
            return Reply("chat", "Noted! Anything else to change?")  # "king gerald 👑", "holiday mode 😎"
        if self._vague_by_model(state, reply):
            return Reply("ask", _open_question(state.caption))  # "make it festive", "make my phone case"
        if self._forgotten_by_model(state, reply):
            return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("last"))  # "the winter stuff was a mistake"
        if reply.action == "edit" and not re.match(r"(?:drop|scatter|sprinkle|hang|plant|pop|stick|throw|toss)\b", reply.instruction) \
                and not IMPERATIVE.match(reply.instruction) and not _caption_words_in(reply.instruction, state.caption) and \
                self._only_words_of(reply.instruction, f"{raw} {normalize(raw, vocabulary(state))}") and \
                self._intent(raw, chat=0.9) == "chat":
            # "honestly i agree", "my first time making dumplings!! they r ugly but tasty": no reading turned the
            # words into a request, and the intent model is sure it is talk
            return Reply("chat", "Nice! Tell me whenever you'd like to change something in the picture.")
        return reply

    @staticmethod
    def _selected(state: ConversationState, raw: str) -> Reply | None:
        """"the yellow one" / "I meant the silver one" right after an edit or a question about a thing: which of
        them the request was about ("make the umbrella black" -> "make the yellow umbrella black")."""
        prev = _last_assistant(state.turns)
        if prev is None or prev.action not in ("edit", "ask"):
            return None
        m = re.fullmatch(r"(?:(?:no+|oops|sorry|nah|actually|wait|i meant|i mean|meant)[,.! ]+)*(?:i meant |i mean |meant )?(?:the )?"
                         r"(?P<a>[a-z]+) "
                         r"one(?:[,.!]* (?:please|pls|thanks?|thank you|i mean|instead))*", _lowered(raw).strip(" .!?"))
        if not m or m.group("a") not in (*COLOURS, "big", "bigger", "small", "smaller", "little", "tall", "short", "left",
                                         "middle", "front", "back", "top", "bottom", "wooden", "metal", "glass", "plastic"):
            return None
        asked = state.edits[-1].instruction if prev.action == "edit" and state.edits else _previous_user(state, vocabulary(state))
        thing = re.search(r"\b(?:the|her|his|their) (?P<n>[a-z]+)\b", asked or "")
        if not thing or thing.group("n") in NOT_THINGS or thing.group("n") in COLOURS:
            return None
        instr = asked[:thing.start("n")] + f"{m.group('a')} " + asked[thing.start("n"):]
        if prev.action == "edit":
            return Reply("edit", f"Sorry, changing that: {instr}.", instruction=instr, forget=ForgetTarget("last"))
        return Reply("edit", f"Got it: {instr}.", instruction=instr)

    @staticmethod
    def _grounded(state: ConversationState, raw: str, reply: Reply) -> Reply:
        """An edit that names nothing of the picture nor of the edit before, said right after an edit or a
        question, with no thing of its own ("a little deeper, like dusty rose" after "make the wrapping paper
        pale pink"): the refinement of that edit or the answer to that question."""
        prev = _last_assistant(state.turns)
        if reply.action != "edit" or reply.forget is not None or prev is None or prev.action not in ("edit", "ask"):
            return reply
        focus = state.edits[-1].instruction if prev.action == "edit" and state.edits else \
            " ".join(t.text for t in state.turns[:-1] if t.role == "user")  # what was said before this message
        said = _lowered(raw)
        named = set(_caption_words_in(reply.instruction, state.caption)) | set(_caption_words_in(said, state.caption))
        thing = _edited_thing(state) if prev.action == "edit" and not re.search(r"\b(?:with|into|to)\b", focus) else None
        # the words that say the message is about that edit: its thing ("more like a brown herringbone tweed" shares
        # "tweed" with "make the blazer tweed" but not the blazer), or any of its words when it named no thing
        kept = stems(thing.split(" ", 1)[1]) if thing else stems(focus) - STOP
        if named or stems(reply.instruction) & kept or ADDING.match(said) or re.search(r"\b(?:as well|too|also)\b", said) or \
                re.match(r"^(?:remove|delete|erase|add|replace|reduce|fix|straighten|crop|rotate|mirror|sharpen)\b", reply.instruction) or \
                re.match(r"^(?:remove|delete|erase|get rid|take|replace|swap|change|turn|make (?:the|her|his|their|my) )", said):
            return reply
        look = parse(reply.instruction)
        if look is not None and look.family == "global" and RulesDialogue._only_words_of(said, reply.instruction):
            return reply  # "much warmer" after "make the image a bit brighter": a look of the whole picture, said whole
        refined = _refine(normalize(raw, vocabulary(state)), prev, state)
        return refined if refined is not None and refined.action == "edit" else reply

    @staticmethod
    def _only_words_of(instruction: str, raw: str) -> bool:
        """Whether an instruction is only the user's own words (no reading made a request of them)."""
        said = set(re.findall(r"[a-z]+", raw.lower()))
        return bool(said) and all(w in said for w in re.findall(r"[a-z]+", instruction.lower()))

    def _understand(self, state: ConversationState, raw: str, top: bool = False) -> Reply | None:
        """The rules' sure reading of `raw`, said as the last user turn: first as a whole, then clause by
        clause ("Hi there! Could you give the dog a bandana?", "nah, go back to the original",
        "keep the walls but undo the bedding change"); None when no rule reads it."""
        sub = state if top else _saying(state, raw)
        low = raw.lower()
        if top and re.search(r"\b(?:never ?mind|nevermind|nvm)\b", low) and re.search(
                r"\b(?:it'?s|i'?m|that'?s|all|we'?re|its) (?:fine|good|ok|okay|great|perfect)\b", low) and \
                not re.search(r"\b(?:undo|go back|revert|remove|take|put|back|before|original|without|add|make|can|could|now|"
                              r"just|instead|change|turn|give|but)\b", low):
            return Reply("chat", "OK, keeping it as it is. Anything else to change?")  # "never mind, it's fine as it is"
        said = (self._added_more(state, raw) or self._forgot_more(state, raw) or self._about_topic(state, raw) or
                self._remove_named(state, raw) if top else None) or \
            self._by_order(state, raw) or self._changed_mind(state, raw)
        if said is not None:
            return said
        if top and (both := self._drop_and_do(state, raw)) is not None:
            return both
        if top and self._praised(state, raw):
            return Reply("chat", "Glad you like it! Anything else to change?")  # "so much brighter, wow", "creepy. love it"
        if top and _cut_short_before(state, vocabulary(state)):
            return self._read(sub)  # "make it look like it was taken in" + "Tokyo, with the neon signs": one answer
        first = next(iter(sentences_of(raw.lower())), "")
        if top and TOOL_QUESTION.match(first) and "?" in raw and not NOT_A_TOOL_QUESTION.search(raw.lower()):
            return Reply("chat", HELP_TEXT)  # "can you read what the sign says? it's a bit blurry": about the tool
        parts = clauses(raw)
        # 1. a forget said anywhere in the message wins ("lol ok I miss my dog, put him back")
        if state.edits and parts != [raw]:
            for k, part in [(k, p) for k, p in enumerate(parts) if not TOPIC.fullmatch(p.lower())]:
                if re.fullmatch(r"(?:no+,? )*(?:not|no) (?:that |the |so )?[a-z]+(?: one)?", part.lower()) and len(parts) > 1:
                    continue  # "no not navy, more of a teal": a correction, read below, not an undo
                target = self._forget(_saying(state, part))
                before = parts[:k]
                if target is not None and target.kind == "last" and before and (lent := _lend_noun(part, before)) != part:
                    # "u left the coffee cup, get rid of that too": "that" is the cup, not the last edit; "the
                    # neckwear looks weird, take that off": the edit that added the neckwear
                    target = self._forget(_saying(state, lent))
                    if target is None or target.kind == "last":
                        continue
                if target is not None:
                    return Reply("forget", "Forgetting as asked.", forget=_resolved(target, state))
        # 2. several sentences: each read on its own, then put together
        if re.fullmatch(r"[A-Za-z]+[.:]+ [A-Za-z]+[.!]*", raw) and len(set(re.findall(r"[a-z]+", raw.lower()))) == 2:  # "tie. blue."
            return self._understand(state, re.sub(r"[.,:;!]+", "", raw).strip(), top=False)
        sentences = sentences_of(raw)
        if len(sentences) > 1:
            asking = [_requests(p, state) for p in sentences]
            if any(asking):
                # the request sentences decide; the others are context ("There's a hose next to it. Can you get
                # rid of that?") that lends a request's "that" its noun
                keep = [k for k, a in enumerate(asking) if a]
                texts = [_lend_noun(sentences[k], [sentences[j] for j in range(k) if not asking[j]]) for k in keep]
                said = self._combine(state, texts, [self._understand(state, t) for t in texts])
                if said is None or said.action in ("chat", "ask"):  # "Her eyes are closed. Can you help?"
                    told = [self._read(_saying(state, sentences[k])) for k in range(len(sentences)) if not asking[k]]
                    told = [r for r in told if r is not None and r.action == "edit"]
                    if told:
                        return self._combine(state, [""] * len(told), told)
                return said
            reads = [self._understand(state, p) for p in sentences]
            if all(r is None or r.action == "chat" for r in reads):
                return Reply("chat", "Nice! Tell me whenever you'd like to change something in the picture.")
            return self._combine(state, sentences, reads)
        # 3. one sentence: read whole, and by clauses when the whole is not a clear request
        whole = self._read(sub)
        if not parts or parts == [raw]:
            return whole
        reads = [self._read(_saying(state, p)) for p in parts]
        for k in range(1, len(parts)):  # "too many people behind me, please remove them": the clause before lends "them"
            if (reads[k] is None or reads[k].action == "ask") and (lent := _lend_noun(parts[k], parts[:k])) != parts[k]:
                reads[k] = self._read(_saying(state, lent)) or reads[k]
        edits = [r for r in reads if r is not None and r.action == "edit"]
        if whole is not None and whole.action == "edit" and len(parts) == 2 and (instr := _also(whole.instruction, parts[1])):
            return Reply("edit", f"Editing: {instr}.", instruction=instr)
        if whole is not None and whole.action in ("edit", "forget"):
            if whole.action == "edit" and len(edits) >= 2 and len(edits) == len(reads) and not _asked_about(state) and \
                    _asked_after_complaint(" ".join(re.sub(r"[?!.]+$", "", _words(state)[3]).split())) is None:  # its plain words
                return self._combine(state, parts, reads)  # a list: "chrome wheels, black tank, blur the background"
            return whole
        if whole is not None and whole.action == "ask":
            return self._combine(state, parts, reads) if edits else whole  # "whatever, can you make the colours pop"
        return self._combine(state, parts, reads) or whole

    def _added_more(self, state: ConversationState, raw: str) -> Reply | None:
        """"and spotlights from above" right after adding something: add them too."""
        more = re.match(r"^(?:and|also|plus|oh and|and also) (?P<x>(?:an? |some |more )?[a-z' -]+)$", raw.lower().strip(" .!"))
        prev = _last_assistant(state.turns)
        if more and prev is not None and prev.action == "edit" and state.edits and \
                ADDING.match(state.edits[-1].instruction.lower()) and not FRAGMENT_NOT.search(more.group("x")) and \
                not IMPERATIVE.match(more.group("x")) and not QUESTION.match(more.group("x")):
            return Reply("edit", f"Editing: add {more.group('x')}.", instruction=f"add {more.group('x')}")
        return None

    @staticmethod
    def _emoji_reaction(state: ConversationState, raw: str) -> bool:
        """A few words with an emoji right after an edit, asking for nothing ("royal cat 👑", "nugget the dark knight 😭"):
        a reaction (45 of 47 such turns in the tuning sets are chat)."""
        prev = _last_assistant(state.turns)
        words = re.findall(r"[a-z']+", raw.lower())
        if prev is None or prev.action != "edit" or not EMOJI.search(raw) or len(words) > 5 or re.search(r"\d", raw):
            return False
        plain = EMOJI.sub(" ", raw.lower()).strip()
        return not IMPERATIVE.match(normalize(plain, vocabulary(state))) and not re.search(
            rf"\b(?:{COLOUR_RE}|more|less|too|not|no|undo|back|again|instead|add|remove|bigger|smaller|[a-z]{{3,}}er|an?|some|with|"
            rf"now|about|what|how|background|wrong|crooked|bad|ugly|weird|hmm+|off|meh|eh|fake)\b", plain)

    @staticmethod
    def _forgot_more(state: ConversationState, raw: str) -> Reply | None:
        """"and the hair colour" / "flare too honestly" right after a forget, naming another live edit: forget it too;
        "Remove him." / "take the hat back off" when an edit added him / the hat: forget that edit."""
        low = raw.lower().strip(" .!?")
        prev = _last_assistant(state.turns)
        if prev is None or not state.edits:
            return None
        more = re.fullmatch(r"(?:and|also|plus|oh and|and also)? ?(?:the |that |those |his |her |their )?(?P<x>[a-z' -]+?)(?: thing| one| bit| change| edit)?"
                            r"(?: too| as well| also)?(?: honestly| please| pls| lol)?", low)
        if prev.action == "forget" and more and (re.match(r"(?:and|also|plus|oh)\b", low) or re.search(r"\b(?:too|as well|also)\b", low)) \
                and len(more.group("x").split()) <= 3 and not IMPERATIVE.match(more.group("x")) and \
                not re.search(r"\b(?:an?|some|for|on|to|with|bigger|smaller|more|less|make|add|brighten|please)\b", more.group("x")):
            k = match_edit(more.group("x"), state.edits, COLOURS)
            if k is not None:
                return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("one", index=k))
        back = re.fullmatch(r"(?P<before>.*[.!?] )?(?:ok(?:ay)?,? |hmm,? |actually,? |no,? )*(?:(?:can|could) (?:you|we) )?(?:take|get) "
                            r"(?:the |that |those |his |her )?(?P<x>[a-z' -]+?) back (?:off|out|away)(?: again)?(?:,? please|,? pls)?", low)
        if back:
            x = back.group("x")
            if x in ("bit", "it", "that", "thing", "one"):  # "the flour makes her look poorly. Could we take that bit back
                said = re.findall(r"\bthe ([a-z]+)", back.group("before") or "")  # out?": the flour; else the last edit
                k = next((k for n in said if (k := _added_by(n, state)) is not None), None)
                return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("last") if k is None else ForgetTarget("one", index=k))
            k = _added_by(x, state)
            if k is not None:
                return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("one", index=k))
        him = re.fullmatch(r"(?:.*[.!?,] )?(?:please |pls |just )?(?:remove|delete|erase|get rid of|take out|lose) (?P<p>him|her|them)(?: please| pls)?", low)
        added = ADDING.sub("", state.edits[-1].instruction.lower()).strip() if ADDING.match(state.edits[-1].instruction.lower()) else ""
        who = {"him": r"man|boy|guy|gentleman|hiker|surfer|stranger|dog|cat|figure|person|kid|child|baby",
               "her": r"woman|girl|lady|hiker|surfer|stranger|dog|cat|figure|person|kid|child|baby",
               "them": r"people|friends|crowd|family|couple|kids|children|dogs|cats|men|women|tourists"}
        if him and prev.action == "edit" and re.match(rf"(?:(?:an?|the|some|two|three|\d+) )?(?:[a-z]+ )?(?:{who[him.group('p')]})\b", added):
            return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("last"))  # "it breaks the loneliness. Remove him."
        return None

    def _about_topic(self, state: ConversationState, raw: str) -> Reply | None:
        """"And the awning, can it be dark green?", "the eyes of the cat, more green?": the topic is the thing."""
        topic = re.match(r"^(?:(?:danke|thanks|thank you|thx|merci|gracias|great|perfect|nice|cool|ok(?:ay)?|good|and|also|now|"
                         r"oh)[!.,]*\s+)*(?P<t>(?:the|her|his|their|my) (?:(?!\b(?:is|are|was|were|looks?|seems?|has|have|got|feels?|"
                         r"isn't|aren't|too|so|very)\b)[a-z' ])+?)[,:] (?P<rest>.+)$", raw.lower())
        if not topic or _forget_words(topic.group("rest")):
            return None
        rest = topic.group("rest")
        said = re.sub(r"\b(?:it|them|they)\b", topic.group("t"), rest, count=1)
        if said == rest and re.fullmatch(rf"(?:(?:more|less|a bit|a little|slightly|much) )?{COLOUR_PHRASE}\??", rest.strip(" .!")):
            said = f"make {topic.group('t')} {rest.strip(' .!?')}"
        if said == rest:
            return None
        reply = self._understand(state, said)
        if reply is not None and reply.action == "edit" and topic.group("t").split()[-1] in reply.instruction:
            return reply
        return None

    def _drop_and_do(self, state: ConversationState, raw: str) -> Reply | None:
        """"no hat, add a scarf": one clause says no to a thing a live edit made, the others are requests of their
        own: forget that edit and make the request, in one reply."""
        if not state.edits:
            return None
        parts = [re.sub(r"^(?:and|then|also|but|just|instead)\s+", "", p.strip(" .!"))
                 for p in re.split(r"\s*[,;]\s+|\.\s+|\s+(?:and|but) (?=(?:add|make|put|give|turn|paint|change)\b)", raw.lower())
                 if p.strip(" .!")]
        for i, part in enumerate(parts):
            no = re.fullmatch(r"(?:no+|nah|nope|not the|without the) (?P<w>[a-z' ]{2,30})", part)
            rest = parts[:i] + parts[i + 1:]
            if not no or IMPERATIVE.match(no.group("w")) or not rest or not all(IMPERATIVE.match(q) for q in rest) or \
                    (k := match_edit(no.group("w"), state.edits, COLOURS)) is None:
                continue
            asked = ", ".join(rest)
            then = self._understand(state, asked) or self._guess(_saying(state, asked))
            if then is not None and then.action == "edit" and then.forget is None:
                return replace(then, forget=ForgetTarget("one", index=k))
        return None

    @staticmethod
    def _praised(state: ConversationState, raw: str) -> bool:
        """Right after an edit, praise or a look described as it is now, with no change asked for: "so much
        brighter, wow", "creepy. love it", "aww he looks so clean now", "perfect, still chaotic but in a cute way"."""
        prev = _last_assistant(state.turns)
        if prev is None or prev.action != "edit":
            return False
        low = _lowered(raw)
        good = r"(?:clean|cleaner|better|great|good|perfect|real|natural|amazing|nice|lovely|happy|happier|ripe|fresh|right|cute)"
        said = PRAISE.search(low) or re.search(rf"\b(?:looks?|feels?|is) (?:so |much |way |really |a lot )?{good} now\b|"
                                                rf"^(?:(?:ok|okay|aww+|oh|ha+|lol|wow)[, ]+)*now (?:it|he|she|they) (?:looks?|feels?) "
                                                rf"(?:so |really )?{good}\b", low)
        return bool(said) and not CHANGE_CUE.search(low) and not re.search(rf"\b(?:{COLOUR_RE})\b", low) and not re.search(
            r"\bbut (?:a bit |a little |even |much )?[a-z]+er\b|\b(?:would|could|might) (?:tie|look|be|help|work)\b|"
            r"\bnow (?:drop|put|add|make|give|scatter|sprinkle|let|stick|pop|an?|the|some)\b|\b(?:though|tho|as well|also)\b|"
            r"\b(?:dead|weird|wrong|fake|off|huge|tiny|ugly|bad|strange|odd|blurry|dark|missing)\b", low)  # "perfect, but shinier"

    @staticmethod
    def _remove_named(state: ConversationState, raw: str) -> Reply | None:
        """A thing named first, then a bare removal: "the sugar packet, remove please", "Also the car behind, it is
        not beautiful, you can remove?", "the table cloth have a stain, remove please" (the stain)."""
        m = re.fullmatch(r"(?:(?:also|and|ok(?:ay)?|thank you|thanks|sorry|please)[.,!]* )*(?:there (?:is|are|'s) )?(?P<np>(?:the|a|an|this|"
                         r"that|one|my|his|her) (?!(?:is|are|was|were|looks?|seems?|feels?|has|have)\b)[a-z']+"
                         r"(?: (?!(?:is|are|was|were|looks?|seems?|feels?|thing)\b)[a-z']+){0,6}?)(?P<how>,? (?:(?:he|she|it|they|that) )?(?:is|are|have|has|'s)(?: got)? [a-z' ]+?)?"
                         r",? (?:(?:so |then )?(?:can|could) (?:you |u )?|you can |please |pls )?(?P<v>remove|delete|erase|take (?:it |him |"
                         r"her |them )?(?:out|away|off))(?: (?:it|him|her|them|please|pls|for me))*[?.! ]*",
                         _lowered(raw))
        if not m or re.search(r" (?:stuff|things?|bit|part|effect|filter|edit|change|one)$", m.group("np")) or \
                set(m.group("np").split()[1:]) & {"result", "bit", "of", "bad", "more", "time", "much", "edit", "change", "version"}:
            return None  # "the halloween stuff is not good, remove it": an edit, for the forget readings
        if state.edits and (re.search(r"\bnow\b", m.group("how") or "") or
                            {w for w in stems(m.group("how") or "") if len(w) >= 4} &
                            (stems(state.edits[-1].instruction) - stems(state.caption or ""))):
            return None  # "the dog has a hat now, remove it" after "add a hat": the forget readings decide
        thing = re.sub(r"^(?:a|an|one|this|that) ", "the ", m.group("np"))
        if (k := _added_by(thing, state)) is not None:  # "the hat, remove please" after "add a hat": forget that
            return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("one", index=k))
        if match_edit(thing, state.edits, COLOURS) is not None:
            return None  # "the sign is no good, take off" after an edit of the sign: the forget readings decide
        spot = re.search(r"\b(?:have|has|having|'s|is)(?: got)? (?:an? |some )?(?P<b>stain|spot|scratch|mark|crack|hole|dent|smudge|tear|"
                         r"rip|dirt|scuff)s?\b", m.group("how") or "")
        instr = f"remove the {spot.group('b')} on {thing}" if spot else f"remove {thing}"
        return Reply("edit", f"Editing: {instr}.", instruction=instr)

    def _by_order(self, state: ConversationState, raw: str) -> Reply | None:
        """"the first change, go a bit more lavender": that edit, revised."""
        which = re.fullmatch(r"(?:(?:ok|okay|hmm+|so|and)[, ]+)?(?:the|that|your) (?P<o>first|second|third|1st|2nd|3rd|last) "
                             r"(?:change|thing|edit|one)[,:]? (?P<rest>(?:go|make|a bit|a little|more|less|but|in|with|try)\b.+)",
                             raw.lower().strip(" .!"))
        if not which or not state.edits:
            return None
        o = which.group("o")
        k = _ORDINALS.get(o) or {"1st": 1, "2nd": 2, "3rd": 3}.get(o, len(state.edits))
        if k > len(state.edits):
            return None
        old = state.edits[k - 1].instruction
        rest = re.sub(r"^(?:go|make it|make them|try)\s+", "", which.group("rest"))
        new = _swap_colour(old, re.sub(r"^(?:a bit |a little |more |slightly )+", "", rest)) or f"{old}, {rest}"
        return Reply("edit", f"Changing edit {k}: {new}.", instruction=new, forget=ForgetTarget("one", index=k))

    def _changed_mind(self, state: ConversationState, raw: str) -> Reply | None:
        """"make it gold... no wait, silver": the first request as if done, the rest read as its revision; None
        (read as usual) when the rest is a request of its own ("..., no, the sofa blue")."""
        changed = MIND_CHANGE.match(raw)
        if not changed or (first := self._understand(state, changed.group("a"))) is None or first.action != "edit":
            return None
        last = changed.group("b")
        while (again := MIND_CHANGE.match(last)) is not None:  # "gold... no, silver... actually bronze": the last
            last = again.group("b")
        swapped = _swap_colour(first.instruction, last)
        if swapped is not None:
            return Reply("edit", f"Editing: {swapped}.", instruction=swapped, forget=first.forget)
        then = self._understand(_after_edit(state, changed.group("a"), first), last)
        if then is None:
            return first
        if then.action == "edit" and then.forget == ForgetTarget("last"):
            return replace(then, forget=first.forget)  # a revision of the first request
        return None

    def _combine(self, state: ConversationState, pieces: list[str], reads: list[Reply | None]) -> Reply | None:
        """One reply for a message read piece by piece: a forget, else the edits (joined into one
        instruction), else a question, else a guess at the pieces no rule read (the chat around them
        dropped), else the chat."""
        for r in reads:
            if r is not None and r.action == "forget" and state.edits:
                return r
        reads = [None if r is not None and r.action == "forget" else r for r in reads]  # "back to the photo": nothing to undo
        edits = [r for r in reads if r is not None and r.action == "edit"]
        topic = next((m.group(1) for p, r in zip(pieces, reads) if r is None or r.action != "edit"
                      for m in [re.search(rf"\b(?:the|my|her|his|their|this|that|those|these) (?:(?:{COLOUR_RE}|big|small|old|new|little) )?"
                                   r"([a-z]+)\b", p.lower())]
                      if m and m.group(1) not in ("picture", "photo", "image", "pic", "shot", "colours", "colors")), None)
        if topic and edits:  # "for me the sky is too much white, do it blue": "it" is the sky
            edits = [Reply("edit", f"Editing: {i}.", instruction=i, forget=r.forget) for r in edits
                     for i in [re.sub(r"^(make|turn|paint|colou?r|recolou?r|move|rotate|resize|shrink|enlarge|flip|remove|delete|"
                                      r"erase|hide|blur) (?:it|them|him|her)\b", rf"\1 the {topic}", r.instruction)]]
        things = [p for p, r in zip(pieces, reads) if r is None and _thing(p)]
        if edits and things:  # "glow in the dark stars on the ceiling, navy curtains": a list, one part a thing to add
            edits = edits + [Reply("edit", "", instruction=f"add {_a(p.lower())}") for p in things]
        if len(edits) == 1:
            also = [_also(edits[0].instruction, p) for p, r in zip(pieces, reads) if r is None]
            if len(also) == 1 and also[0]:
                return Reply("edit", f"Editing: {also[0]}.", instruction=also[0], forget=edits[0].forget)
            return edits[0]
        if edits:
            instr = " and ".join(dict.fromkeys(r.instruction for r in edits))  # the same edit read twice is said once
            return Reply("edit", f"Editing: {instr}.", instruction=instr, forget=edits[0].forget)
        asks = [r for r in reads if r is not None and r.action == "ask"]
        if asks:
            return asks[0]
        unread = [p for p, r in zip(pieces, reads) if r is None]
        if unread:
            return self._guess(_saying(state, " ".join(unread)))
        return next((r for r in reads if r is not None), None)

    def _forget(self, state: ConversationState, said: tuple | None = None) -> ForgetTarget | None:
        """The edit(s) the last user turn asks to forget, or None (`said`: its `_words`, when already read)."""
        _, _, plain, text = said or _words(state)
        return (parse_forget(plain, state.edits) or parse_forget(text, state.edits)
                or _regret(plain, state, semantic=self.intent))

    def _read(self, state: ConversationState) -> Reply | None:
        """Steps 1-8 of the rules on the last user turn as a whole; None when none of them reads it."""
        raw = " ".join(state.last_user_text.split())
        prev = _last_assistant(state.turns)
        if not raw:
            return None
        # 1. the message in plain words: typos fixed (plain), then politeness dropped and wishes made
        #    imperatives (text)
        said = _words(state)
        _, vocab, plain, text = said
        low = plain
        # 2. forget / undo (words resolved against the live edits by stems, synonyms and kind); "remove it" answering
        #    "What should I change about the vase?" is the vase's removal, not an undo
        if (about := _asked_about(state)) and re.fullmatch(r"(?:just |please |pls )?(?:remove|delete|erase|get rid of|take out|lose) "
                                                           r"(?:it|them|that)(?: please| pls)?", low):
            return Reply("edit", f"Got it: remove {about}.", instruction=f"remove {about}")
        target = self._forget(state, said)
        if target is not None:
            return Reply("forget", "Forgetting as asked.", forget=_resolved(target, state))
        if re.fullmatch(r"(?:(?:no+|nope|nah)[,.! ]+)*not (?:the |this )?[a-z]+(?: one)?", low) and \
                " ".join(state.extra.get("whole", raw).split()) != raw:
            return None  # "no not navy" (", more of a teal"): what was not meant; the message's other words say what was
        # 3. social turns
        if prev is not None and prev.action == "edit" and PRAISE.search(low) and not CHANGE_CUE.search(low) and \
                not re.search(rf"\b(?:{COLOUR_RE})\b", low):
            return Reply("chat", "Glad you like it! Anything else to change?")  # "cozy. love it", "lol he looks fancy"
        request = parse(text)
        asks_for_something = (request is not None or _noun_phrase(text) is not None or bool(IMPERATIVE.match(text))
                              or _names_a_change(text))
        if SUMMARY.search(low):
            if not state.edits:
                return Reply("chat", "No edits yet: the image is the original.")
            return Reply("chat", "So far: " + "; ".join(f"{e.index}. {e.instruction}" for e in state.edits) + ".")
        if GREETING.match(low) and (request is None or re.fullmatch(r"good (?:morning|afternoon|evening|night|day)[ !.]*", low)) \
                and not _names_a_change(text):
            return Reply("chat", "Hello! Tell me what to change, for example \"make the sky pink\".")
        if BYE.search(low) and request is None:
            return Reply("chat", "Goodbye! Your versions stay in this session.")
        if (THANKS.match(low) or re.search(r"\b(?:thank you|thanks|thx|ty)\b", low) and not re.search(
                r"\b(?:but|can|could|would|please|now|next|also|and (?:make|add|remove|change))\b", low)) \
                and not asks_for_something and not _names_a_change(plain):
            return Reply("chat", "You're welcome. Anything else to change?")
        if KEEP.fullmatch(FILLER.sub("", low)):
            return Reply("chat", "OK, keeping that as it is. Anything else to change?")
        if HELP.search(low) and request is None:
            return Reply("chat", HELP_TEXT)
        if CHITCHAT.search(re.sub(r"^(?:hm+|ok(?:ay)?|well|so|oh|um+|uh+)[,!. ]+", "", low)) and request is None \
                and not _names_a_change(text):
            return Reply("chat", "I'm here to edit the picture. Tell me what to change, for example "
                                 "\"make the sky pink\" or \"make it a watercolor painting\".")
        # 4. a correction revises the last edit
        m = CORRECTION.match(low) or re.match(r"^(?P<rest>.+ instead)$", low)
        if m and prev is not None and prev.action == "edit" and state.edits:
            rest = normalize(m.group("rest"), vocab)
            revised = _recolour(rest, prev, state) or self._revise(prev.instruction or "", rest)  # "actually a bit lighter"
            if revised:
                return Reply("edit", f"Sorry, changing that: {revised}.", instruction=revised,
                             forget=ForgetTarget("last"))
        # 5. a complete request stands on its own (two joined by "and" make one instruction); a request cut
        #    short ("make it look like", "give her") is asked about, and the answer continues it
        continued = _cut_short_before(state, vocab) and \
            not re.match(r"^(?:sorry|oops|oh|my|i|we|he|she|they|lol|haha)\b", plain)  # "sorry my toddler grabbed the phone"
        if continued:
            text = normalize(f"{_previous_user(state, vocab)} {text}", vocab)
            request = parse(text)
        elif _dangling(text) and _subtler(plain, prev, state) is None:
            return Reply("ask", "Your message seems to stop short: what should I do, for example with the "
                                f"{_first_noun(state.caption)}, or which look should the picture have?")
        recolour = _recolour(text, prev, state) or _reposition(text, prev, state) or _attribute(text, prev, state)
        if recolour is not None:
            return Reply("edit", f"Sorry, changing that: {recolour}.", instruction=recolour, forget=ForgetTarget("last"))
        subtler = _subtler(plain, prev, state)
        if subtler is not None:
            return Reply("edit", f"Sorry, changing that: {subtler}.", instruction=subtler, forget=ForgetTarget("last"))
        same = _same_for(text, prev, state) or _same_colour(text, state)
        if same is not None:
            return Reply("edit", f"Editing: {same}.", instruction=same)
        again = _again(text, prev, state, plain)
        if again is not None:
            return Reply("edit", f"Editing: {again}.", instruction=again)
        keep = re.match(r"^(?P<head>.+?),? (?P<tail>(?:but|except|while|and) (?:keep|leave|keeping|leaving|not|don'?t touch|"
                        r"without changing) .+)$", text)
        if keep and (parse(keep.group("head")) or Frame("vague")).missing() is None:
            head = parse(keep.group("head")).instruction()
            instr = f"{head} but {re.sub(r'^(?:but|except|while|and) ', '', keep.group('tail'))}"
            return Reply("edit", f"Editing: {instr}.", instruction=instr)
        frame = _resolve_pronoun(request, state)
        if re.search(r" and |, |; ", text) and (both := _compound(text)) is not None:
            frame = both  # two requests in one message: one instruction keeping both parts
        if frame is None or frame.missing() is not None:
            phrase = _noun_phrase(text)
            frame = _compound(text) or phrase or frame
            if frame is phrase and phrase is not None and (refined := _refine(text, prev, state)) is not None and \
                    not _in_picture(phrase.target or " ".join(re.findall(r"\bthe ([a-z]+)", phrase.value or "")), state):
                return refined  # "teal stripes" after "make the awnings red": the stripes are the awnings'

        if frame is not None and frame.family == "add" and frame.value and _condition(re.sub(r" (?:here|there)$", "", frame.value)):
            frame = Frame("condition", value=_condition(re.sub(r" (?:here|there)$", "", frame.value)))  # "a stormy sky"
        if frame is not None and frame.family == "replace" and frame.target in PRONOUNS and frame.value \
                and not _placeholder(frame.value) and not (prev is not None and prev.action == "ask"):
            frame = Frame("free", value=f"turn it into {frame.value}")  # "turn it into a fairy tale scene"
        if frame is not None and frame.family == "color" and frame.target in ("it", "everything") and frame.value \
                and not state.edits and not (prev is not None and prev.action == "ask" and not continued):
            frame = Frame("global", value=f"make it {frame.value}")  # "make everything purple": a tint
        if frame is not None and frame.family == "remove" and (k := _added_by(frame.target or "", state, self.intent)) is not None:
            return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("one", index=k))  # it came with an edit
        if prev is not None and prev.action == "ask" and not continued and \
                (answered := _colour_answer(_previous_user(state, vocab), text, state.caption)) is not None:
            return Reply("edit", f"Got it: {answered}.", instruction=answered)  # "swap the laces" -> "neon green ones"
        if frame is not None and frame.family == "color" and frame.target and frame.value and \
                f"{frame.target.split()[-1]} {frame.value}" in (state.caption or "").lower():
            frame = _incomplete(text, state) or frame  # "make the ice cream" of "a girl holding an ice cream cone"
        if frame is not None and frame.family == "add" and re.fullmatch(
                r"(?:an? |some |the )?(?:design|stuff|things?|decor|decorations?|artwork|details?|elements?|animals?|accessory|"
                r"accessories|lighting|objects?|items?|effects?|background)(?: (?:on|to|in|onto|around|somewhere|anywhere)(?: [a-z' ]+)?)?",
                frame.value or ""):
            return Reply("ask", _open_question(state.caption))  # "put a design on it": which?
        if frame is not None and frame.family == "add" and re.fullmatch(
                r"(?:an? |some |the )?(?:on|in|onto|to|next to|near|by|under|over|behind|beside|at) (?:the|her|his|their|my|its?)"
                r"(?: (?!(?:a|an|the|some)\b)[a-z' ]+)?", frame.value or ""):
            where = re.sub(r"^(?:an? |some |the )", "", frame.value)
            return Reply("ask", f"What should I add {where}? For example a plant, a cat or a lamp.")  # "add a on the piano"
        if text_request(text) is not None and not continued and \
                text_request(normalize(state.extra.get("whole", raw), vocab)) is not None:
            return Reply("ask", "What should the text say? Tell me the exact words.")  # "write on his shirt"
        if frame is not None and frame.missing() is None:
            instr = frame.instruction()
            return Reply("edit", f"Editing: {instr}.", instruction=instr)
        # 6. else the answer to a pending question completes the request ("and the door" -> "What should I change
        #    about the door?" -> "round, like a hobbit": the door's)
        x = _asked_about(state)
        if x and not continued and not re.search(rf"\b{re.escape(x.split()[-1])}", text) and "?" not in raw and not re.match(
                r"(?:actually|never ?mind|nvm|nothing|same|what|how|why|hmm+|no|nah|nope|ok|okay|leave|keep|forget|the [a-z]+ "
                r"(?:looks?|is|are))\b", plain):
            said = re.sub(r"[,.!]+", "", text).strip()
            instr = re.sub(r"\b(?:it|them)\b", x, said, count=1) if IMPERATIVE.match(said) else \
                f"give {x} {said}" if re.match(r"(?:an?|some)\b", said) else f"make {x} {said}"
            return Reply("edit", f"Got it: {instr}.", instruction=instr)
        if prev is not None and prev.action == "ask" and not continued and (written := _words_to_write(state, raw)):
            return Reply("edit", f"Got it: {written}.", instruction=written)  # "write on the cake" -> "Happy 30th Ana"
        if prev is not None and prev.action == "ask" and not continued and \
                (filled := _fill_vague(_previous_user(state, vocab), text, state.caption)) is not None:
            return Reply("edit", f"Got it: {filled}.", instruction=filled)  # "give the cat an accessory" -> "a monocle"
        if prev is not None and prev.action == "ask" and not continued:
            pending = _pending_frame(state)
            if pending is not None:
                done = _complete(pending, text)
                asked = _previous_user(state, vocab) or ""  # the request the question was about
                if done is not None and done.missing() is None:
                    named = _asked_things(asked, state.caption)
                    if named and not any(re.search(rf"\b{n}", done.instruction()) for n in named) and len(text.split()) <= 4 and \
                            (answered := _refine(text, prev, state)) is not None:
                        return answered  # "give the dog a costume" -> "superhero": the dog's costume, not a superhero added
                    return Reply("edit", f"Got it: {done.instruction()}.", instruction=done.instruction())
                if done is not None and done != pending:  # one part given, another still missing
                    if done.missing() == "target" and _caption_words_in(asked, state.caption) and \
                            (answered := _refine(text, prev, state)) is not None:
                        return answered  # "frosting color?" -> "mint": the thing was named in the question's request
                    if done.missing() == "target" and done.family == "color" and done.value and \
                            (heads := [h for h in caption_heads(state.caption) if h not in PLACE_HEADS]):
                        instr = Frame("color", f"the {heads[0]}", done.value).instruction()
                        return Reply("edit", f"Got it: {instr}.", instruction=instr)  # "change the colour" -> "silver"
                    return Reply("ask", _question(done, done.missing(), state.caption))
        # 7. "and a camel" right after "add a cactus": one more of the same kind of edit
        more = CONNECTOR.sub("", text).strip(" .!")
        joined = re.match(r"^(?:and|also|plus) ", text) or re.match(r"^(?:and|also|plus|n|&) ", plain)
        if (frame is None and prev is not None and prev.action == "edit" and
                ((prev.instruction or "").startswith("add ") or joined)  # "and a banner that says happy 30th" after any edit
                and (re.fullmatch(r"(?:a|an|some|two|three|\d+) [a-z0-9' -]+(?: (?:that|which) (?:says?|reads?) .+)?", more) or
                     joined and re.fullmatch(r"(?!(?:it|it's|its|i|i'm|he|she|they|we|you|that|this|there|there's|the|is|are|"
                                             r"was|were|so|too|very|really|his|her|my|their)\b)[a-z' -]+?s(?: [a-z' -]+)?", more)
                     and not parse(more))):
            return Reply("edit", f"Editing: add {more}.", instruction=f"add {more}")
        if frame is None and joined and prev is not None and prev.action == "edit" and state.edits and \
                (more_of := _and_more(more, state.edits[-1].instruction)) is not None:
            return Reply("edit", f"Editing: {more_of}.", instruction=more_of)  # "and matte", "and purple", "and confetti"
        # 8. a vague or unknown request
        frame = frame or _incomplete(text, state)
        if frame is not None:
            return Reply("ask", _question(frame, frame.missing(), state.caption))
        return None

    def _guess(self, state: ConversationState) -> Reply:
        """Step 9: a message no rule reads: gibberish, an imperative in other words, or the intent model's
        call (chat, a request in other words, or vague)."""
        raw, vocab, plain, text = _words(state)
        prev = _last_assistant(state.turns)
        if _cut_short_before(state, vocab):
            text = normalize(f"{_previous_user(state, vocab)} {text}", vocab)  # the answer continues the cut request
            if len(raw.split()) <= 5 and self._intent(raw, chat=0.95) not in ("chat", "forget"):
                return Reply("edit", f"Got it: {text}.", instruction=text)  # "can the latte art be a" + "swan"
        if re.search(r"\b(?:was|were)\b.*\b(?:that day|yesterday|last (?:week|year|summer|night)|ago|btw|back then)\b", plain) \
                and not REQUEST_FORM.search(plain):
            return Reply("chat", "Nice! Tell me whenever you'd like to change something in the picture.")
        if _narrative(plain):
            return Reply("chat", "Nice! Tell me whenever you'd like to change something in the picture.")
        if prev is not None and prev.action == "edit" and REACTION.match(FILLER.sub("", plain)):
            return Reply("chat", "Glad you like it! Anything else to change?")
        if _gibberish(raw):
            return Reply("ask", "Sorry, I didn't understand that. What should I change? For example: "
                                "\"make the car blue\" or \"add a rainbow\".")
        if VAGUE_REQUEST.search(text):  # "give the cat an accessory", "change what she's wearing", "do something fun"
            return Reply("ask", _open_question(state.caption))
        asked_for = re.sub(r"^(?:(?:can|could|would|will) (?:you|u) |please |is (?:it )?possible to )+", "", FILLER.sub("", plain))
        if QUESTION.match(FILLER.sub("", plain)) and not EDIT_QUESTION.match(text) and not EDIT_QUESTION.match(plain) and \
                not IMPERATIVE.match(asked_for):
            return Reply("chat", "I can't answer that, but I can edit the picture: tell me what to change, for "
                                 "example \"make the sky pink\" or \"make it a watercolor painting\".")
        refined = _refine(text, prev, state)
        if refined is not None and (re.fullmatch(r"(?:(?:a )?(?:bit|little|lot|tad) |even |much |way |slightly )?[a-z]{3,}(?:ier|er)",
                                                 refined.instruction.rsplit(", ", 1)[-1])  # "cozier"
                                    and self._label(state, chat=0.9) != "chat"  # "much classier" after an edit: praise
                                    or re.search(r" (?:on|for|around|over) (?:the|his|her|their) ", text)
                                    and _caption_words_in(text, state.caption)  # "brass buttons on the jacket"
                                    or self.intent and self._label(state, chat=0.95 if prev.action == "ask" else 0.5)
                                    not in ("chat", "forget")):
            return refined
        if IMPERATIVE.match(text):
            said = _pronoun_named(text, state)
            return Reply("edit", f"Editing: {said}.", instruction=said)
        if (prev is None or prev.action in ("chat", "edit")) and re.fullmatch(r"[a-z]{3,}(?<!s)s", text) and \
                text not in NOT_THINGS and text not in vocab and not _in_picture(text, state):
            return Reply("edit", f"Editing: add {text}.", instruction=f"add {text}")  # "seagulls": things to put in
        if prev is not None and prev.action == "edit" and _reaction(plain, state):
            return Reply("chat", "Glad you like it! Anything else to change?")  # "ok NOW i can post it", "ahaha yess"
        # the intent model says whether it is chat, a request in other words, or vague
        label = self._label(state)
        if label == "forget" and state.edits:  # "nah, not feeling it anymore": the last edit
            return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("last"))
        if label == "chat":
            return Reply("chat", "I'm here to edit the picture whenever you like. Tell me what to change, for example "
                                 "\"make the sky pink\" or \"make it a watercolor painting\".")
        words = len(text.split())
        if label == "ask" or words < 2 or (words == 2 and label != "edit") or label is None and not self.intent:
            return Reply("ask", _open_question(state.caption))
        if re.match(r"^i (?:have no idea|don'?t know|am not sure|'m not sure|need ideas|need help)\b|.*\b(?:not happy|"
                    r"don'?t like it|not quite right|could be better|not great|meh)\b", plain):
            return Reply("ask", _open_question(state.caption))
        if label is None and (STATEMENT.match(plain) or re.match(r"^(?:is|are|do|does|did|was|were|where|who|why|when|how)\b",
                                                                  plain) and raw.rstrip().endswith("?")) \
                and not REQUEST_CUE.search(plain):
            return Reply("chat", "Nice! Tell me whenever you'd like to change something in the picture.")
        # a request in words no rule reads ("the sky could use some drama"): the editor gets it as said, its
        # "it" named ("make them heart shaped" after "add sunglasses on the dog": the sunglasses)
        said = _pronoun_named(text, state)
        return Reply("edit", f"Editing: {said}.", instruction=said)

    def _intent(self, text: str, chat: float = 0.5) -> str | None:
        """The intent model's label when it is sure enough (p >= `chat` for chat, 0.6 for the others), else None."""
        if not self.intent:
            return None
        from .intent_model import classify

        said = classify(text)
        if said is None:
            return None
        return _sure(*said, chat)

    def _vague_by_model(self, state: ConversationState, reply: Reply) -> bool:
        """Whether a first request the rules read as an edit is one the intent model is sure (p >= SURE_VAGUE) is
        vague ("make it festive"); never a clear look, colour, condition, style, removal, replacement, addition,
        "give him a beard" or "make the strawberries look juicier" (the model calls some of those vague too)."""
        if not self.intent or reply.action != "edit" or reply.forget is not None or _last_assistant(state.turns) is not None:
            return False
        look = parse(reply.instruction)
        if look is not None and look.family in ("color", "condition", "style", "replace", "remove", "add", "global") or \
                LOOK_WORD.search(reply.instruction) or re.match(r"(?:give|put|tidy|remove|repair|fix|restore|colorize|clean|reduce|"
                                                                r"straighten|open|inflate) ", reply.instruction) or \
                re.fullmatch(r"make (?:the|her|his|their|my) [a-z' ]+ (?:look )?(?:more [a-z]+|[a-z]+(?:er|ier))", reply.instruction):
            return False
        return _said_surely(self._model_says(state), "ask", SURE_VAGUE)

    def _forgotten_by_model(self, state: ConversationState, reply: Reply) -> bool:
        """Whether a later message the rules took for talk they did not recognise is one the turn model is sure
        (p >= SURE_FORGET) undoes the last edit ("the winter stuff was a mistake"); never thanks, praise or help."""
        if not self.intent or reply.action != "chat" or not state.edits or _last_assistant(state.turns) is None or \
                not reply.message.startswith(TALK_REPLIES):
            return False
        return _said_surely(self._model_says(state), "forget", SURE_FORGET)

    @staticmethod
    def _model_says(state: ConversationState) -> tuple[str, float] | None:
        """(label, probability) of the last user turn: the turn model (blended with the intent model; the message
        after the previous one, answered with the previous action) when there is a previous turn and it is here,
        else the intent model; None when the models are not here."""
        from .intent_model import classify

        raw = " ".join(state.last_user_text.split())
        users = [t.text for t in state.turns if t.role == "user"]
        prev = _last_assistant(state.turns)
        if len(users) < 2 or prev is None:
            return classify(raw)
        from .turn_model import classify_turn

        return classify_turn(raw, " ".join(users[-2].split()), prev.action or "chat") or classify(raw)

    def _label(self, state: ConversationState, chat: float = 0.5) -> str | None:
        """`_model_says`' label when sure enough (p >= `chat` for chat, 0.6 for the others), else None."""
        said = self._model_says(state) if self.intent else None
        return None if said is None else _sure(*said, chat)

    @staticmethod
    def _revise(last: str, rest: str) -> str | None:
        rest = re.sub(r"\s*instead$", "", rest).strip(" ,.!")
        rest = re.sub(r"^(?:try|maybe|perhaps|how about|what about|more like|like|rather|go with|go for|something like|"
                      r"more of an?)\s+(?=\S)", "", rest)  # "hmm no, try terracotta"
        rest = re.sub(rf"^an? (?={COLOUR_PHRASE}$)", "", rest)  # "a deep burgundy"
        if not rest or re.match(r"not\b", rest):
            return None  # "no, not navy": what was not meant; the rest of the message says what was
        old = parse(last)
        if old is not None and old.family == "add" and re.match(r"^(?:put|place|move|have|set) (?:it|them|that|those) ", rest):
            return _reposition(rest, Turn("assistant", "", "edit", last), ConversationState(
                turns=(), edits=(LiveEdit(1, 1, last, 0, 1),)))
        frame = parse(rest)
        if frame is not None and frame.target in PRONOUNS and old is not None and old.target:
            frame = Frame(frame.family, old.target, frame.value)
        if frame is not None and frame.missing() is None and frame.family not in ("free",):
            return frame.instruction()
        rest = re.sub(r",?\s+(?:would be (?:better|nicer|good|great)|is better|works better|looks better|instead|please)$", "", rest)
        value = re.sub(r"^(?:make it|make them|it should be|i meant|i want|i said|go for|go with|use)\s+", "", rest)
        if old is not None and old.target and old.target not in PRONOUNS and old.family in ("color", "remove", "size") \
                and re.fullmatch(r"(?:the|her|his|their) [a-z' ]+", value) and parse(rest) is None:
            return Frame(old.family, value, old.value).instruction()  # "no wait, the bike, not the car"
        frame2 = parse(f"make it {value}")
        if frame2 is not None and frame2.family in ("condition", "style") and frame2.missing() is None:
            return frame2.instruction()
        moved = re.fullmatch(r"(?:put|place|move|have) (?:it|them|that) (?P<loc>(?:on|in|at|to|near|by|next to|over|under|"
                             r"behind|in front of) .+)", value)
        if moved and old is not None and old.family == "add" and old.value:
            thing = re.sub(r" (?:on|in|at|near|by|next to|over|under|behind|in front of) .+$", "", old.value)
            return f"add {thing} {re.sub(r'^to ', 'on ', moved.group('loc'))}"
        look = parse(f"make it {value}")
        if look is not None and look.family in ("condition", "style") and look.missing() is None:
            return look.instruction()
        if old is not None and old.value and value:
            if old.family == "color" and value.split()[-1] in COLOURS:
                return Frame("color", old.target, value.split()[-1]).instruction()
            if old.family in ("replace", "add"):
                return Frame(old.family, old.target, _a(value)).instruction()
        return None
