"""A request read into a frame: what kind of edit, on which thing, to what value ("make the car blue" ->
Frame("color", "the car", "blue")), and the question to ask when a part is missing.

Is: `Frame`, `parse` and the readers of one request on its own (complaints, tones, conditions, styles,
noun phrases, compound requests, incomplete requests) plus how a message splits into sentences and
clauses. Is not: anything that needs the conversation (context.py, revisions.py) nor the order of the
readings (rules.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import ConversationState
from .lexicon import (
    ABSTRACT, COLOURS, COLOUR_PHRASE, COLOUR_RE, CONDITIONS, CONNECTOR, FILLER, GLOBAL, IMPERATIVE, IMPLICIT, LEVEL_RE,
    MASS, NOT_A_THING, OPEN_QUESTION, PATTERNS, PLACEHOLDERS, PRONOUNS, STRENGTH, STYLES, SUBJECT, TONE_ADJ,
    TONE_RE, VAGUE_VALUE, rx,
)


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
        if self.family in ("color", "replace", "add", "style", "scene") and (not self.value or _placeholder(self.value)
                                                                           or re.match(r"^(?:a |an )?(?:something|anything)\b", self.value)):
            return "value"
        return None

    def instruction(self) -> str:
        t, v = self.target, self.value
        return {"color": f"make {t} {v}", "replace": f"replace {t} with {v}", "add": f"add {v}",
                "remove": f"remove {t}", "style": f"make it {v}", "scene": f"move it to {v}",
                "size": f"make {t} {v}", "condition": v, "global": v, "free": v}[self.family]


def _placeholder(v: str) -> bool:
    if re.fullmatch(r"(?:an? )?(?:an?other|one more) (?!(?:one|thing|colou?r|style|look|kind|type|version|shade|something|pattern|"
                    r"design|place|background|setting|animal|pet|breed)s?\b)[a-z]+(?: [a-z]+)?", v.strip()):
        return False  # "add another fish": one more of a thing named, not "another colour"
    if VAGUE_VALUE.match(v.strip()) or re.search(r"\bsome(?:one|body) else\b|\b(?:a )?different [a-z]+(?: (?:on|for) "
                                                r"(?:him|her|them|it))?$|\bsomething$", v.strip()):
        return True
    v = re.sub(r"^(a|an|the|some)\s+", "", v.strip())
    v = re.sub(r"^(?:a bit |a little |even |much )?more ", "", v) if v not in PLACEHOLDERS else v
    v = re.sub(r"\s+(one|colou?r|thing|object|style|place|background)$", "", v)
    return v in PLACEHOLDERS or not v


def _the(noun: str) -> str:
    noun = noun.strip()
    return noun if re.match(r"^(the|his|her|their|its|my|your|our|a|an|this|that|these|those)\b", noun) or noun in PRONOUNS \
        else f"the {noun}"


def _a(noun: str) -> str:
    noun = noun.strip()
    if re.match(r"^(a|an|the|some|one|two|three|four|five|many|several|lots|another|more|\d+)\b", noun) or _placeholder(noun):
        return noun
    head = re.split(r" (?:on|in|to|at|near|next|by|with|over|under|behind|from|for|of|around|across|along|onto|into|"
                    r"inside|beside|between|above|below|grazing|flying|sitting|standing|running|lying|coming|going|rising|falling|"
                    r"floating|hanging|growing|pouring|drifting|swimming|walking|playing) ", noun)[0].split()[-1]
    if re.search(r"[^s]s$", head) and not re.search(r"(?:us|is|ss|ous)$", head):
        return noun  # "tulips", "mushrooms on the pizza": plural, no article
    if head in MASS:
        return noun  # "film grain", "snow": no article
    return ("an " if noun[:1] in "aeiou" or re.match(r"(?:8|11|18)(?!\d\d\d)", noun) else "a ") + noun  # "an 80s look"


def _with(said: str, v: str) -> str:
    """A look keeps what the user asked to come with it: "make it night with car light trails"."""
    w = re.search(r" with (?P<w>[a-z' -]+)$", v)
    return f"{said} with {w.group('w')}" if w and w.group("w") not in said else said


def _on_subject(instr: str, t: str) -> str:
    """A complaint's tone fix put on the thing complained about: "the sky is a bit dull" -> "make the colors of
    the sky more vivid", "the cat is too dark" -> "make the cat brighter"; the whole picture otherwise."""
    m = SUBJECT.match(t)
    if not m or m.group("n") in NOT_A_THING or m.group("n").split()[-1] in NOT_A_THING:
        return instr
    n = f"the {m.group('n')}"
    if instr == "reduce the contrast":
        return f"soften {n}"  # "the shadows under her eyes are so harsh"
    if instr.startswith("make the colors more vivid") and (c := re.search(rf"\bmore (?P<c>{COLOUR_RE})\b", t)):
        return f"make {n} more {c.group('c')}"  # "the soup is too pale, please more orange"
    if instr.startswith("make the colors "):
        return instr.replace("make the colors ", f"make the colors of {n} ", 1)
    if instr.startswith("make the image "):
        return instr.replace("make the image ", f"make {n} ", 1)
    if instr.startswith("fix the color balance"):
        return f"fix the color balance of {n} and remove the color tint"
    return instr


_WHY_SO = r"^(?:but |ugh |hmm |so )?why (?:is (?:it|this|everything|the (?:photo|picture|image)) |so )(?:so |this |that |all )?"


def _implicit_named(t: str) -> str | None:
    """A complaint about one thing, answered with the fix for that thing: "the lamp is crooked" -> "straighten
    the lamp", "my desk is such a mess" -> "tidy up the desk", "of course he blinked" -> "open his eyes"."""
    m = re.match(r"^(?:the|my|her|his|their|our|this|that) (?P<n>[a-z]+(?: [a-z]+)?) (?:is|are|looks?|seems?|was|got)\b", t)
    noun = m.group("n") if m and m.group("n").split()[-1] not in ("picture", "photo", "image", "shot", "pic") else None
    if (neg := re.match(rf"^(?:the|my|her|his|their|our) (?P<n>[a-z]+(?: [a-z]+)?) (?:isn'?t|is not|aren'?t|are not) "
                        rf"(?P<a>(?:(?:pure|quite|fully|completely|totally|really|very|bright|true) )?(?:{COLOUR_RE}))\b", t)):
        return f"make the {neg.group('n')} {neg.group('a')}"  # "background isn't pure white, it's kinda grey"
    if re.search(r"\b(?:crooked|tilted|wonky|slanted|lopsided|not straight)\b", t) and noun:
        return f"straighten the {noun}"
    if (mess := re.search(r"\b(?:the|my|her|his|their|our|this|that) (?P<n>[a-z]+(?: [a-z]+)?) (?:is|are|looks?|seems?|was|got)"
                          r"(?: (?:so|such|really|kind of|kinda|a bit|a little|very|totally|just|an absolute|a|still))* (?:messy|a mess|mess|"
                          r"untidy|cluttered|disorganised|disorganized|(?:total |complete )?(?:disaster|tip|pigsty|state))\b", t)
                 or re.search(r"\b(?:the|my|her|his|their|our|this|that) (?:messy|untidy|cluttered) (?P<n>[a-z]+)\b", t)) and \
            mess.group("n").split()[-1] not in ("picture", "photo", "image", "shot", "pic", *_PEOPLE_WE_LOVE) and \
            not re.search(r"\b(?:behind|background|back)\b", t):
        return f"tidy up the {mess.group('n')} and remove the clutter"
    if re.search(r"\bblink(?:ed|ing|s)?\b|\beyes (?:are |were )?(?:closed|shut|half.closed)\b", t):
        who = "her" if re.search(r"\b(?:she|her)\b", t) else "his" if re.search(r"\b(?:he|his|him)\b", t) else "their"
        return f"open {who} eyes"
    if re.search(r"\b(?:so|too|very|really|super|kinda|a bit) (?:shiny|oily|greasy|sweaty)\b", t):
        return f"reduce the shine on the {noun or 'skin'}"
    if (m := re.search(r"\b(?P<d>dust|smudges|fingerprints|scratches|stains|water spots|spots|scuffs)\b(?: (?:all )?(?:over|on) "
                       r"(?P<on>(?:the|my|her|his) [a-z]+))?", t)) and re.search(r"\b(?:there'?s|there are|so much|covered|full of|all "
                                                                                   r"over|dusty|look at)\b", t):
        return f"remove the {m.group('d')}" + (f" from {m.group('on')}" if m.group("on") else "")
    if re.fullmatch(r"(?:declutter|de-clutter|tidy up|clean up|tidy)(?: it| this| the (?:photo|picture|image|room|scene))?(?: up)?", t):
        return "tidy up and remove the clutter"
    if re.search(r"\b(?:wrinkly|wrinkled|creased|crumpled|crinkled)\b", t) and noun:
        return f"remove the wrinkles from the {noun.split()[-1]}"
    if re.search(rf"{_WHY_SO}(?:hazy|foggy|misty|smoggy)\b", t) and not re.search(r"\b(?:beautiful|love|like|nice|gorgeous|pretty|magical)\b", t):
        return "remove the haze"  # "why is it so hazy, looks like smog"
    if re.search(rf"{_WHY_SO}(?:blurr?y?|fuzzy|soft|out of focus)\b", t):
        return "make the image sharper"  # "why so blur one"
    if (m := re.search(r"^(?:honestly |tbh |hmm )?(?:it'?s|it is|its|this is) (?:just |still |really |kinda |definitely )?"
                       r"missing (?P<v>(?:a|an|some) [a-z' ]+?)(?: (?:tbh|honestly|lol|haha|imo))?$", t)):
        return f"add {m.group('v')}"  # "honestly it's missing some lime and herbs"
    if (m := re.search(rf"^(?:but |honestly |tbh )?(?P<n>(?:the|her|his|their|my|our) [a-z]+(?: [a-z]+)?) (?:was|were|is|are|looked|look) "
                       rf"(?:actually |really |honestly )?(?:(?:way|much|a lot|so much|far) )?(?P<a>more (?:{COLOUR_RE})|(?:{COLOUR_RE})(?:er)?|"
                       rf"(?:brighter|shinier|greener|bluer|redder|darker|bigger|fuller|glossier|richer|warmer|lusher))"
                       rf" (?:in real life|irl|in person|when (?:we|i|you) (?:were|was|saw|took)\b.*|than (?:this|that|it looks|in the photo)|"
                       rf"actually|really)\b", t)):
        a = m.group("a")  # "the leaves were way more orange when we were there", "he's actually a lot shinier in real life"
        return f"make {m.group('n')} {a if a.startswith('more ') or a.endswith(('er', 'ier')) else 'more ' + a}"
    if (re.search(r"\bwhy (?:is|are|does|do) .*\b(?:blue|yellow|orange|green|magenta)\b(?! in (?:real life|general|nature))", t)
            or re.search(r"\bwhy (?:is|does) (?:everything|it all|it|the whole (?:photo|picture|thing)) (?:so|all|this|look so|looks? so) "
                         r"(?:red|pink|purple)\b", t)) \
            and not re.search(r"\bin (?:real life|general|nature)\b", t):
        return "fix the color balance and remove the color tint"
    if (m := re.fullmatch(r"make (?P<t>(?:the|her|his|their|my) [a-z' ]+?) less(?: (?:visible|noticeable|obvious|prominent))?", t)):
        return f"reduce {m.group('t')}"
    if re.search(r"\b(?:demon|red|glowing) eyes?\b|\bred.eye\b|\beyes\b(?: [a-z']+){0,3} (?:are|look|were|went|came out) (?:all |so |really |"
                 r"bright )?red\b", t):
        return "remove the red eye"  # "the eyes of my son are red from the flash"
    if (m := re.fullmatch(r"(?:(?:can|could|would) (?:you|u) )?(?:fix|repair|mend|patch(?: up)?|sort out|get rid of|remove|clean up) "
                      r"(?:the|that|this|those|these|all the) (?:(?:big|little|small|huge|ugly) )?(?P<d>rips?|tears?|holes?|cracks?|"
                      r"folds?|creases?|(?:water )?damage|scratch(?:es)?|stains?|spots?|marks?|dents?|blotch(?:es)?)(?P<on> (?:on|in|from|at|across|"
                      r"over) (?:the|her|his|my|their|our) [a-z]+(?: [a-z]+)?)?(?: (?:please|pls))?", t)) and " and " not in t:
        d = m.group("d") + (m.group("on") or "")  # "fix the rip": the damage named is what to mend or take out
        mend = re.match(r"(?:(?:can|could|would) (?:you|u) )?(?:fix|repair|mend|patch)", t)
        return f"repair the {d}" if mend and re.match(r"rip|tear|hole|crack|fold|crease|water|damage", d) else f"remove the {d}"
    if not re.search(r"\b(?:don'?t|do not|not|never|no need to|without)\b", t) and re.search(
                 r"\b(?:colou?ri[sz]e|colou?ri[sz]ing|colou?ri[sz]ed)\b|\b(?:add|put|bring)(?: some| the| back| real)* colou?rs?(?: back)? "
                 r"(?:to|in|into|on) (?:it|this|her|him|them|the (?:photo|picture|image|pic|old (?:photo|picture|image|pic)))\b|\b(?:see|show|have|want|like|"
                 r"imagine) (?:it|this|her|him|them|us|me|the (?:photo|picture|pic)) in (?:full |real )?colou?r\b|^(?:in )?(?:full )?"
                 r"colou?r(?: (?:please|pls|version))?$", t):
        return "colorize the photo"  # "can u colourise this", "I'd love to see her in colour", "colour please" (answered)
    if re.search(r"\b(?:it'?s|its|everything'?s|everything is|all) (?:gone |turned )?(?:all )?(?:yellow|orange|brown|green|magenta)"
                 r"(?:ish|y)?\b.*\b(?:fix|sort|correct|help)\b", t):
        return "fix the color balance and remove the color tint"  # "its all yellow can u fix"
    if re.search(r"\b(?:so much|too much|lots of|full of) (?:grain|noise)\b|\bgrainy\b|\bnoisy\b", t):
        return "reduce the noise and the grain"
    if (m := re.match(r"^(?:that|the|this|those|these) (?P<n>[a-z]+(?: [a-z]+)?) (?:ruins?|spoils?|wrecks?) (?:the|it|everything)\b", t)):
        return f"remove the {m.group('n')}"
    if re.search(r"\bblown.out\b", t) and noun:
        return f"recover the detail in the {noun}"
    if re.search(r"\b(?:white blob|blinding|glare|glaring)\b", t) and noun:
        return f"reduce the glare of the {noun}"
    if (fixed := _defect(t)) is not None:
        return fixed
    if (unwanted := _unwanted(t)) is not None:
        return f"remove the {unwanted}"
    if re.search(r"\bphotobomb\w*|\brandom (?:guy|person|man|woman|people|stranger|dude|tourist)s?\b", t):
        return "remove the stranger in the background"
    if re.search(r"\b(?:colou?rs?) pop\b|\bpop more\b", t):
        return "make the colors more vivid"
    if re.search(r"\b(?:a bit|too|so|kinda|kind of|still|rather|very|bit) flat\b", t):
        return "increase the contrast and make the colors more vivid"
    if re.search(r"\b(?:look|looks|is|are|seems?)(?: so| too| very| really| all| kinda| a bit| weirdly| strangely| super)? (?:blue|yellow|orange|green|"
                 r"magenta)(?:ish)?\b", t) and re.search(r"\b(?:why|too|so|weird|weirdly|strangely|off|ugh)\b", t):
        return "fix the color balance and remove the color tint"
    if (m := re.fullmatch(r"(?P<w>warmer|cooler|softer|brighter|dimmer) (?P<l>light(?:ing)?|glow|lamps?|lights)", t)):
        return f"make the {m.group('l')} {m.group('w')}"
    if (m := re.fullmatch(r"(?P<w>warmer|cooler|brighter|darker|softer|richer) (?:tones?|colou?rs?|light(?:ing)?|feel|vibe)", t)):
        return f"make the colors {m.group('w')}" if m.group("w") in ("warmer", "cooler", "richer") else \
            f"make the image {m.group('w')}"
    return None


_UNWANTED = (r"(?:(?:kind of|kinda|a bit|a little|really|so|super|very|just|too|pretty|quite|totally|rather) )*(?:in the way|"
             r"distracting|an eyesore|upsetting(?: to (?:look at|see))?|annoying|(?:too )?noticeable|unnecessary|not needed|"
             r"ruining (?:it|the [a-z]+|everything)|photobombing(?: us| me| them)?|blocking (?:the|my|our|his|her) [a-z]+|"
             r"(?:shouldn'?t|should not) be (?:there|in it|in the (?:photo|picture|shot|pic))|sticks? out|doesn'?t belong)\b")
# small things that spoil a photo: "there's a ketchup stain on the corner" means take it out
_BLEMISH = (r"(?:stain|stains|spot|spots|smudge|smudges|mark|marks|scratch|scratches|speck|specks|fingerprints?|smears?|crumbs?|"
            r"dust|blemish|blemishes|pimple|zit|scar|bruise|glare|reflection|cable|cables|wires?|cords?|litter|trash|rubbish|"
            r"wrappers?|stickers?|watermark|timestamp|date stamp|logo|price tag|label|tag|lens flare|sensor spot|dirt|"
            r"cigarette butts?|bins?|trash can|garbage|scabs?|scrapes?|grazes?|rash|cold sore|laundry|dirty clothes|finger|thumb)")
# what a thing in the way does: "the baby monitor cord hanging over the side is driving me nuts"
_ANNOYS = (r"(?:(?:driving|drives?) me (?:nuts|crazy|mad|insane|up the wall)|(?:is|are|looks?) ugly as (?:sin|hell)|(?:is|are|looks?) (?:so |really |just |kinda |kind of )?"
           r"(?:gross|disgusting|embarrassing)(?= *(?:lol|haha|tbh|honestly)? *(?:[.!,]|$))|doesn'?t belong(?: there)?|bugs me|bothers me|annoys me|puts? (?:buyers|people|customers|"
           r"guests|everyone) off|will put (?:buyers|people|customers|guests|everyone) off|draws the eye|distracts(?: from)?|"
           r"(?:is|are)(?:n'?t| not) helping|creeps? (?:people|me|everyone) out|gives? it away|ruins? (?:the|this|it|everything)|"
           r"spoils? (?:the|this|it|everything)|(?:is|are) (?:so |just |really )?not (?:the vibe|a (?:good )?look|it)|"
           r"(?:is|are) (?:really |so |kinda |kind of |just )?(?:bothering|bugging|annoying|"
           r"irritating) me|(?:is|are|looks?) (?:so |really |kinda |kind of |just |pretty |super )?(?:ugly|hideous|random)"
           r"(?= *(?:lol|haha|tbh|honestly|bye)? *(?:[.!,]|$))|(?:is|are) ruining (?:the|this|it|everything|my|our|[a-z]+(?: for me)?$))\b")
# what is never taken out because a complaint calls it ugly: the person's own face, hair, skin, what they wear, the crop
_KEPT_WHEN_UGLY = ("face", "faces", "hair", "eyes", "eye", "nose", "skin", "mouth", "smile", "teeth", "hands", "hand", "arms", "legs",
         "body", "ears", "chin", "lips", "beard", "eyebrows", "neck", "feet", "fur", "coat", "sweater", "jumper", "shirt", "hat",
         "cap", "glasses", "sunglasses", "crop", "heart",
         "dress", "jacket", "top", "trousers", "pants", "jeans", "skirt", "blouse", "suit", "outfit", "hoodie", "tie")
# who a complaint is about when it is talk, not a request ("the kids are driving me crazy today")
_PEOPLE_WE_LOVE = ("kids", "kid", "children", "child", "husband", "wife", "boyfriend", "girlfriend", "partner", "son", "daughter",
                   "mum", "mom", "mother", "dad", "father", "brother", "sister", "boss", "family",
                   "friend", "friends", "neighbour", "neighbor", "neighbours", "neighbors", "teacher", "grandma", "grandpa",
                   "baby", "toddler")
_NOT_REMOVABLE = ("background", "picture", "photo", "image", "shot", "pic", "light", "lighting", "colours", "colors", "weather",
                  "colour", "color", "sky", "it", "this", "that", "one", "contrast", "shadow", "shadows", "edit", "change")


# what a thing looks like when it wants fixing -> the fix ("{n}": the thing)
_DEFECTS = ((r"filthy|dirty|grimy|grubby|muddy|dusty|smudged|greasy|stained|mucky", "clean the {n}"),
            (r"dented", "remove the dents from the {n}"), (r"scratched|scuffed", "remove the scratches and scuffs from the {n}"),
            (r"cracked", "fix the cracks in the {n}"), (r"chipped", "fix the chips in the {n}"),
            (r"peeling(?: off)?", "fix the peeling paint on the {n}"), (r"rusty|rusted|rusting", "remove the rust from the {n}"),
            (r"torn|ripped|frayed", "repair the {n}"), (r"blurry|fuzzy|unreadable|out of focus", "make the {n} sharper"),
            (r"broken|busted|smashed|wrecked|falling apart|missing boards", "repair the {n}"),
            (r"deflated", "inflate the {n} fully"), (r"empty|half empty", "fill the {n}"),
            (r"faded|yellowed|discolou?red", "restore the faded colors of the {n}"),
            (r"wilted|wilting|droopy|drooping|dying|dead|patchy|brown and dry|dried out|dried up|dry", "make the {n} green and healthy"))
_HOLDERS = r"(?:glass|glasses|bowl|bowls|cup|cups|mug|vase|jar|bottle|plate|plates|shelf|shelves|basket|pool|feeder|tank|pot|" \
           r"fridge|box|crate|tray|pitcher|jug|dish|pan)"  # what can be "empty" and filled
_LIVING = r"(?:grass|lawn|plants?|flowers?|leaves|tree|trees|hedge|shrubs?|bushes|garden|roses?|tulips?|basil|herbs?|fern|moss)"


def _defect(t: str) -> str | None:
    """A thing said to be damaged or dirty, answered with the fix: "that car is absolutely filthy" -> "clean the car",
    "the fridge is kind of dented on the side" -> "remove the dents from the fridge", "the grass is all patchy and
    dead" -> "make the grass green and healthy" (only for living things)."""
    m = re.search(r"\b(?:the|my|her|his|their|our|this|that|these|those) (?P<n>[a-z]+(?:'s [a-z]+| [a-z]+)?) (?:is|are|looks?|seems?|was|"
                  r"were|got|'s|'re)(?: (?:all|so|kind of|kinda|a bit|a little|really|absolutely|totally|quite|very|pretty|a "
                  r"little bit|still|just|completely|super|half|partly|partially|literally|badly))* (?P<d>[a-z]+(?: (?:off|out|up|"
                  r"and dry|apart|boards))?)\b", t)
    if not m or m.group("n").split()[-1] in (*_NOT_REMOVABLE, *COLOURS, *_PEOPLE_WE_LOVE, "heart", "deal", "promise", "record",
                                             "rule", "streak", "spirit", "brain", "mind") or \
            re.match(r"(?:and |also |please |pls )*(?:remove|delete|erase|get rid|take (?:out|away|off)|replace|swap)\b", t):
        return None  # "my brother is torn between two jobs"; "remove the chairs that are broken"
    noun = re.sub(r"'s [a-z]+$", "", m.group("n"))  # "the door's paint is peeling": the door
    for pattern, fix in _DEFECTS:
        if rx(pattern).fullmatch(m.group("d")):
            if fix.startswith("make the {n} green") and not re.fullmatch(_LIVING, noun.split()[-1]) or \
                    fix.startswith("fill") and not re.fullmatch(_HOLDERS, noun.split()[-1]):
                return None
            return fix.format(n=noun)
    return None


def text_request(t: str) -> str | None:
    """A request to write something that does not say what ("add writing on the cake", "write on his shirt",
    "text"): where to write it ("on the cake", "on his shirt"; "" when not said); None for anything else."""
    m = re.fullmatch(r"(?:(?:add|put|write|print|draw)(?: (?:some|a|the|a little|little))? )?(?:writing|text|words?|a message|"
                     r"message|lettering|a caption|caption|something written|a name|name|letters)(?: (?P<on>(?:on|to|onto|"
                     r"across|over|at) .+))?|write(?: something)? (?P<on2>(?:on|across|onto) .+)", t)
    if not m or re.search(r"['\":]|\b(?:say|says|saying|reads?|reading)\b", t):
        return None  # "write on the board 'welcome back'": the words are there
    return re.sub(r"^(?:to|onto|over|at) ", "on ", m.group("on") or m.group("on2") or "")


def _unwanted(t: str) -> str | None:
    """The thing a complaint says should not be there ("the wing is kind of in the way", "there's a tour group
    photobombing behind us", "if those dishes weren't there it would be a nice photo") -> "wing", ...; None."""
    np = r"(?P<n>[a-z]+(?: [a-z]+){0,2}?)"
    where = r"(?: (?:in|on|at|behind|near|by|next to|across|above|under|over|beside|around) (?:the|his|her|my|our|their|him|her|us|me|" \
            r"them|it)(?: [a-z]+)?)?"
    m = re.match(rf"^(?:the|that|this|those|these|my|his|her|their|our) {np}{where} (?:is|are|'s|looks?|seems?|feels?) "
                 rf"{_UNWANTED}", t) \
        or re.search(rf"\b(?:there'?s|there is|there are) (?:an? |some |this |that |the |a huge |a big )?{np}{where}"
                     rf"(?: (?:that'?s|which is|who is|who'?s))? (?:right )?{_UNWANTED}", t) \
        or re.search(rf"\bif (?:only )?(?:the|that|those|these|this) {np} (?:weren'?t|wasn'?t|were not|was not)(?:(?: there| in (?:it|"
                     rf"the (?:photo|picture|shot|pic)))\b|(?=$|[.,!;]))", t) \
        or re.search(rf"(?:\b(?:there'?s|there is|there are|i see|you can see|you can still see|(?:he|she|they|i) (?:has|have|'s got|"
                     rf"got))|^(?:still )?see) (?:all )?(?:an? |some |this |that |the |my |his |her |their |our )?(?:(?:huge|big|little|"
                     rf"tiny|weird|ugly|annoying|random|small|massive) )*(?P<n>(?:[a-z]+ )?{_BLEMISH})\b(?! for\b)", t) \
        or re.search(r"\b(?:someone|somebody|some guy|they|he|she) left (?:their|a|his|her|the|an|some) (?P<n>[a-z]+(?: [a-z]+)?) "
                     r"(?:right )?(?:there|here|in the (?:shot|photo|picture|frame|background|corner)|on the [a-z]+)\b", t) \
        or re.search(r"^(?:the|that|this|those|these) (?P<n>[a-z]+(?: [a-z]+)?)(?: (?:on|in|behind|at|by|near) the [a-z]+)? "
                     r"(?:ruins?|spoils?|wrecks?|kills?) (?:the|it|everything|this)\b", t) \
        or re.search(rf"\b(?:the (?:one |only )?thing that (?:bugs|bothers|annoys) me (?:is|are)|shame about|pity about) "
                     rf"(?:the |that |this |those |her |his |my |their |an? )?{np}(?:$|\b(?: (?:is|are|'s)\b| [a-z]+ing\b| "
                     rf"(?:on|in|behind|at|by|near)\b))", t) \
        or re.search(rf"\b(?:i don'?t (?:love|like)|i hate) (?:that|how) (?:the |that |this |those |her |his |my |their )?{np} "
                     rf"(?:is|are) (?:showing|visible|there|sticking out|in the (?:way|shot|photo|picture))\b", t) \
        or re.search(rf"\b(?:the|that|this|those|these|my|his|her|their) {np}(?: [a-z-]+ing(?: [a-z]+){{0,4}}?)?{where}"
                     rf"(?: (?:is|are|'s|that'?s|which is|will|would|just|really|kind of|kinda|totally|so))* {_ANNOYS}", t) \
        or re.match(r"^(?:the|my|that|this|those|these|his|her|our) (?P<n>[a-z]+)\b.*\bi (?:do ?n'?t|do not|not|really don'?t) "
                    r"(?:want|need) (?:him|her|it|them|that|those|this) in (?:it|the (?:photo|picture|pic|shot|image|frame)|"
                    r"photo|picture|there|here)$", t) \
        or re.search(r"\b(?:there'?s|there is|there are|i see|you can see) (?:an? |some |the |this |that )?(?P<n>[a-z]+(?: (?!(?:in|on|at|by|near|behind|to|the|and|with|there|here)\b)[a-z]+)?)\b[^.!?]*"
                     r"[,.;]? i (?:do ?n'?t|do not|really don'?t) (?:want|like|need) (?:it|them|that|those)\b(?! (?:in|to be) )", t) \
        or re.search(r"(?:\b(?:so|too) |^)?\b(?:many|lots of|all these|all those|a bunch of|loads of) (?P<n>people|tourists|strangers|"
                     r"cars|wires|cables|cords|bins|boxes) (?:behind|in|around|everywhere|walking|milling|in the way)\b", t)
    if not m or m.group("n").split()[-1] in (*_NOT_REMOVABLE, *_PEOPLE_WE_LOVE, *_KEPT_WHEN_UGLY) or re.search(r"(?<!n't )(?<!not )\b(?:love|loves|like|likes|proud|adore|cute|keep)\b", t):
        return None  # "my husband is driving me nuts", "there's a logo on his shirt, I love it": talk, not requests
    return m.group("n")


def _tinted(instr: str, t: str) -> str:
    """A colour-cast fix names the cast the user saw: "everything looks weirdly orange" -> "... the orange tint"."""
    cast = re.search(r"\b(orange|yellow|green|blue|red|pink|purple|magenta)(?:ish)?\b", t)
    return instr.replace("the color tint", f"the {cast.group(1)} tint") if cast and "the color tint" in instr else instr


def _part_of_a_thing(key: str, v: str) -> bool:
    """Whether a style word in "make the ..." belongs to the thing, not the picture's style: "make the neon sign glow
    more", "make the eggs pastel"; not "make the dog look like a cartoon", "turn the house into a watercolor painting"."""
    if not re.match(r"(?:the|her|his|their|my|its|our) ", v):
        return False
    return bool(re.search(rf"\b{key} (?!(?:painting|drawing|sketch|style|look|effect|filter|photo|print|art|version)\b)[a-z]", v)) \
        or not re.search(rf"\b(?:like|into|as|an?)(?: [a-z]+)? {key}\b", v)


_ASKED = re.compile(r"(?:[,.;!]|\b(?:and|so|but|pls|please))? (?:(?:so|and|but|(?:can|could|would|will) (?:you|u)|please|pls|just|"
                    r"maybe|then|i want you to) )*(?P<req>(?:make|turn|change|paint|put|give|swap) (?:it|them|the|a|an|some|more|her|his|their|him|"
                    r"me|us)\b.*|(?:add|remove|replace|get rid of|take out|brighten|darken|sharpen|blur) [a-z].*)$")


def _asked_after_complaint(t: str) -> Frame | None:
    """A complaint followed by a request of its own ("tiles are so boring, make them terracotta", "it's too bright in
    here make it look like late afternoon"): the request's frame, its it/them named by the complaint's subject; None
    when the message is not that or the request is not complete."""
    m = _ASKED.search(t)
    if not m or m.start() == 0:
        return None
    head = t[:m.start()].strip(" ,.;!")
    req = m.group("req").strip(" .!?")
    if re.search(r"(?:\b(?:would|could|will|can|might|should|may|must)|'d|'ll) $", t[:m.start("req")]):
        return None  # "a few magnets would make it homier": a wish, read whole
    if len(head.split()) < 2 or IMPERATIVE.match(head) or re.match(r"(?:is|are|do|does|can|could|how|what|why|where|when)\b", head) \
            or not re.search(r"\b(?:too|so|not|very|kinda|boring|dull|ugly|wrong|awful|bad|sad|plain|bare)\b", head) \
            or not re.search(r"(?:\b(?:is|are|its|looks?|seems?|feels?|was|were)|'s|'re)\b", head) \
            or re.search(r"\b(?:what (?:i|you|we)|just did|last (?:edit|change|one)|back)\b", req):
        return None  # "is it hard to remove fog?", "clowns are scary get rid of what i just did"
    subject = re.match(r"^(?:(?:the|my|her|his|their|our|this|that|these|those) )?(?P<n>[a-z]+(?: [a-z]+)?) (?:is|are|'re|looks?|seems?)\b",
                       head)
    n = subject.group("n") if subject and subject.group("n").split()[0] not in (
        "it", "its", "this", "that", "everything", "he", "she", "they", "i", "we", "there", "here") else None
    if re.search(r"\b(?:it|them|him|her|their)\b", req) or re.match(r"(?:make|turn) (?:more|less)\b", req):
        if n is None and not re.match(r"(?:it|its|it's|everything|this|that)\b", head):
            return None  # whose "it": the readings of the whole message decide
        if n is not None:
            req = re.sub(r"^(?P<v>make|turn|change|paint|give|put|swap)(?: (?:it|them|him|her))?\b", lambda v: f"{v.group('v')} the {n}",
                         req, count=1)
            if re.search(r"\b(?:it|them|him|her|their)\b", req):
                return None
    frame = parse(req)
    if frame is None and re.fullmatch(r"make (?:it|the [a-z]+(?: [a-z]+)?) (?:look (?:like )?[a-z]+.*|(?:(?:a bit|a little|much|way|more|less) )?"
                                      r"[a-z]+(?:er|ier))", req):
        frame = Frame("free", value=req)  # "make it look like late afternoon": said as a request, no reading needed
    if frame is None and n is not None and re.fullmatch(rf"make the {n} [a-z]+(?: (?:again|more|brighter|up))?", req):
        frame = Frame("free", value=req)  # "the tree lights look dull, can you make them glow"
    return frame if frame is not None and frame.missing() is None else None


# words that make "<words> look/vibe/style" praise or a vague wish, not a look: "love this look", "a different vibe"
_NOT_A_LOOK = frozenset("love like hate this that the my your his her its their our different new other another same whole overall "
                        "cool cooler better nicer good nice great whatever any some what which i it is was change to need needs want wants make give get "
                        "add more less no not stop bad wrong too much don't".split())


def parse(text: str) -> Frame | None:
    """A frame for an editing request, or None when the text is not one."""
    t = " ".join(re.sub(r"[?!.]+$", "", text.lower().strip()).split())
    t = CONNECTOR.sub("", t)
    t = re.sub(r"^(?:please|can you|could you|would you|i want you to|i'd like you to|let's|lets)\s+", "", t)
    t = re.sub(r"\s+please$", "", t)
    if re.fullmatch(r"crop it to \d+:\d+", t):
        return Frame("global", value=t)  # an aspect ratio
    if (asked := _asked_after_complaint(t)) is not None:
        return asked  # "the sky is so boring, can you add some clouds": the request, not the complaint's fix
    if re.fullmatch(r"make (?:her|him|(?:the|his|her|their|my) [a-z]+(?: [a-z]+)?) (?:smile|laugh|wink|grin|frown|cry|blush|sleep|"
                    r"dance|jump|wave|fly|float|glow|shine|sparkle|twinkle)(?: (?:a (?:bit|little|lot) )?(?:more|less|brighter))?", t):
        return Frame("free", value=t)  # "make her smile", "make the streetlights glow more": a verb, not a colour
    if (said := _implicit_named(t)) is not None:
        return Frame("global", value=_tinted(_on_subject(said, t) if said.startswith("fix the color balance") else said, t))
    for pat, instr in IMPLICIT:
        if rx(pat).search(t) and not re.match(r"^(?:make|turn|change|paint|add|remove|replace|put|soften|lighten|brighten|"
                                              r"darken|sharpen|blur)\b", t):
            return Frame("global", value=_tinted(_on_subject(instr, t), t))
    for word, instr in GLOBAL.items():
        if rx(rf"(?:make )?(?:it|the image|the picture)? ?{word}").fullmatch(t):
            return Frame("global", value=instr)
    m = re.fullmatch(r"(?:give it|apply|add|use|put on|try|go for|i want|i'd like) (?:a |an |the |some )?(?P<v>.+?) "
                     r"(?:look|filter|effect|style|feel|vibe|finish|aesthetic|treatment)(?: to it| on it)?", t)
    if m:
        v = m.group("v")
        style = next((s for k, s in sorted(STYLES.items(), key=lambda kv: -len(kv[0])) if re.search(rf"\b{re.escape(k)}\b", v)),
                     None)
        if style is not None:
            return Frame("style", value=style)
        if _condition(v) is not None:
            return Frame("condition", value=_condition(v, t))
    m = re.fullmatch(r"(?:some |more |an? )?(?P<v>[a-z0-9'&é-]+(?: [a-z0-9'&é-]+){0,3}?) (?P<k>vibes?|aesthetic|look|style|painting|"
                     r"drawing|sketch|poster|energy)(?: (?:please|pls|vibes?|style))?", t)
    if m and not set(m.group("v").split()) & _NOT_A_LOOK and \
            not any(rx(rf"\b{re.escape(k)}\b").search(m.group("v")) for k in STYLES):  # "8 bit style": the styles' own reading
        v, k = m.group("v"), m.group("k")  # "renaissance painting", "amélie movie vibes": the look itself, said as a fragment
        return Frame("global", value=f"make it {_a(f'{v} {k}')}" if k in ("painting", "drawing", "sketch", "poster") else
                     f"give it {_a(f'{v} look')}")
    m = re.fullmatch(rf"(?:make it )?(?P<s>(?:{STRENGTH} )?(?:more|less)) (?P<c>{COLOUR_RE})(?: please)?", t)
    if m:
        return Frame("global", value=f"make it {m.group('s')} {m.group('c')}")  # "more orange": a tint
    m = re.fullmatch(r"(?:make it |add )?(?P<s>lighter|softer|gentler|thinner|heavier|thicker|denser|stronger) "
                     r"(?P<w>fog|mist|haze|snow|rain|clouds)(?: please)?", t)
    if m:
        adj = {"fog": "foggy", "mist": "foggy", "haze": "foggy", "snow": "snowy", "rain": "rainy", "clouds": "cloudy"}[m.group("w")]
        s = "slightly" if m.group("s") in ("lighter", "softer", "gentler", "thinner") else "much"
        return Frame("condition", value=f"make it {s} {adj}")
    m = re.fullmatch(rf"(?:make it |add )?(?P<s>(?:{STRENGTH} )?(?:less|more)) (?P<w>fog|mist|haze|snow|rain|clouds|sunshine|sun)", t)
    if m:
        adj = {"fog": "foggy", "mist": "foggy", "haze": "foggy", "snow": "snowy", "rain": "rainy", "clouds": "cloudy",
               "sunshine": "sunny", "sun": "sunny"}[m.group("w")]
        return Frame("condition", value=f"make it {m.group('s')} {adj}")
    if re.fullmatch(r"(?:improve|enhance|fix|boost|brighten up|liven up) (?:the |its |all the )?colou?rs?", t):
        return Frame("global", value="make the colors more vivid")
    tone = _tone(t)
    if tone is not None:
        return Frame("global", value=tone)
    m = re.match(r"^(?:make|turn|change|render|draw|paint|convert|transform)(?: it| this| the (?:image|picture|photo))?(?: look)?(?: like| into| as| to| in)?(?: the style of)?(?: an?)? (?P<v>.+?)(?: style)?$", t)
    if m:
        v = m.group("v")
        for key, style in sorted(STYLES.items(), key=lambda kv: -len(kv[0])):
            if rx(rf"\b{key}\b(?! (?:{COLOUR_RE})\b)").search(v) and not _part_of_a_thing(key, v):
                if key in ("painting", "drawing") and re.fullmatch(r"(?:an? )?[a-z-]+ (?:painting|drawing)", v):
                    return Frame("style", value=_a(re.sub(r"^an? ", "", v)))  # "a renaissance painting" kept
                return Frame("style", value=_with(style, v))
        if _condition(v) is not None:
            return Frame("condition", value=_with(_condition(v, t), v))
        if _placeholder(v) and re.match(r"^(?:make|change) (?:it|this)(?: look)? (?!to |into )", t):
            return Frame("vague")  # "make it better", "make it look cool"
        if _placeholder(v) and re.match(r"^(?:make|turn|change) (?:it|this)", t):
            return Frame("replace", target="it", value=v)
    bare = re.sub(r"^(?:an? |some )?(.+?)(?: (?:filter|style|look|effect|version|mode|vibe|feel|please))*$", r"\1", t)
    if bare in STYLES:
        return Frame("style", value=STYLES[bare])  # "sepia filter", "watercolor style please"
    if t in STYLES.values() or _a(bare) in STYLES.values():
        return Frame("style", value=t if t in STYLES.values() else _a(bare))  # "a pencil sketch"
    m = re.fullmatch(r"(?:make it |turn it (?:into )?|it should be |add (?:some )?|give it (?:some )?)?(?P<v>.+)", t)
    if m and _condition(m.group("v")) is not None:
        return Frame("condition", value=_condition(m.group("v"), t))
    if re.fullmatch(r"(?:change|replace|swap|alter|edit|switch|new|use|pick|try) (?:the |a |another |a different |some )?"
                    r"(?:background|backdrop|setting|scene|location|place|surroundings)(?: (?:to|for|with) "
                    r"(?:something|something else|another one|a different one|anything))?", t):
        return Frame("scene", target="the background")  # "change the background": to what?
    if re.fullmatch(r"(?:move|put|take|send|place|set) (?:it|them|everything|us|him|her)(?: to)? (?:somewhere|elsewhere|"
                    r"some ?place|some other place|a different place|another place)(?: else| new| nice| different)?", t):
        return Frame("scene")
    if re.fullmatch(r"(?:change|alter|switch|try|use|apply|pick|give it)(?: it to)? (?:the |a |another |a different |some |a new |new )?"
                    r"(?:style|look|filter|effect|art style)", t):
        return Frame("style")  # "change the style": which one?
    m = re.search(r"\b(?:a |an )?(?:different|another|other|new|some other) (?P<w>time of day|time|season|weather|lighting|light|"
                  r"mood|style|look|background|setting|place|location)\b", t)
    if m and re.match(r"^(?:make|turn|change|give|try|set|put|move|switch|use|pick|show|add|apply|i want|i'd like)\b", t):
        w = m.group("w")
        if w in ("style", "look"):
            return Frame("style")
        if w in ("background", "setting", "place", "location"):
            return Frame("scene", target="the background")
        return Frame("change", "the " + ("time of day" if w in ("time", "lighting", "light") else w))
    if re.fullmatch(r"(?:work|do|use|perform) (?:some|your|a little|a bit of) (?:magic|thing|best)|surprise me|go wild|"
                    r"get creative|be creative(?: with it)?|(?:it'?s )?(?:your call|up to you)|you (?:decide|choose|pick)|"
                    r"do (?:what|whatever) you (?:want|like|think)(?: is best)?|dealer'?s choice|do your best", t):
        return Frame("vague")
    if re.fullmatch(r"(?:jazz|spice|liven|pimp|perk|fancy|glam|doll|zhuzh|pep|snaz+|punch|tart|sex) (?:it|this|things|"
                    r"the (?:image|picture|photo))? ?up(?: (?:a bit|a little|somehow|for me))?", t):
        return Frame("vague")  # "jazz it up a bit": improve, but how?
    if re.fullmatch(r"(?:change|edit|modify|fix|do|improve|alter) (?:something|anything|stuff|it|this|things|"
                    r"the (?:image|picture|photo))(?: up)?", t):
        return Frame("vague")
    if re.fullmatch(r"(?:remove|delete|erase|get rid of)(?: something| it| that)?", t):
        return Frame("remove")
    m = re.fullmatch(r"(?:change|alter|modify|pick|choose) (?P<t>(?:the|her|his|their|its) [a-z' ]+?) colou?r", t)
    if m:
        return Frame("color", m.group("t"))  # "change the sky colour": to which?
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
    if m and m.group("t").split()[-1] not in COLOURS:
        return Frame("change", _the(m.group("t")))
    for family, pat in PATTERNS:
        m = rx(pat).match(t)
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
    more = re.fullmatch(r"(?:(?:a (?:bit|little|lot)|some|much|way|lots) )?more (?P<x>[a-z]+)", t)
    if more and more.group("x") not in COLOURS and more.group("x") not in ABSTRACT and more.group("x") not in (
            "details", "colours", "colors", "highlights", "shadows", "tones", "effects", "vibes", "options", "ideas",
            "changes", "edits", "things", "pics", "photos", "pictures", "versions", "filters", "styles", "likes", "memories",
            "examples", "followers", "views", "comments", "days", "times", "years", "hours", "minutes", "reasons",
            "questions", "words") and (
            more.group("x") in ("ice", "steam", "snow", "confetti", "glitter", "smoke", "sand", "grass", "fog", "mist")
            or re.search(r"[^s]s$", more.group("x")) and not re.search(r"(?:us|ss|ness|ics)$", more.group("x"))):
        return Frame("add", value=f"more {more.group('x')}")  # "more herbs", "more ice": things to add
    return None


def _tone(t: str) -> str | None:
    """"a bit brighter", "much warmer please", "more saturated", "boost the contrast": the tone instruction,
    strength words kept."""
    m = TONE_RE.fullmatch(t)
    if m:
        what, adj = TONE_ADJ[m.group("a")]
        s = (m.group("s") or m.group("s2") or "").strip()
        if what == "the contrast":
            return f"{'increase' if adj == 'higher' else 'reduce'} the contrast{' ' + s if s else ''}"
        return f"make {what} {s + ' ' if s else ''}{adj}"
    m = LEVEL_RE.fullmatch(t)
    if m:
        up = m.group("d") in ("increase", "boost", "raise", "up", "add", "more", "bump up", "crank up", "turn up")
        x = {"exposure": "brightness", "colors": "saturation", "colours": "saturation", "color": "saturation",
             "colour": "saturation", "vibrance": "saturation"}.get(m.group("x"), m.group("x"))
        s = (m.group("s") or m.group("s2") or "").strip()
        return f"{'increase' if up else 'reduce'} the {x}{' ' + s if s else ''}"
    return None


def _condition(v: str, said: str = "") -> str | None:
    """"snowy", "a foggy morning", "golden hour": the time-of-day or weather instruction, or None."""
    v = re.split(r",| with | and (?!white)", v.strip())[0].strip()
    v = re.sub(r"^(?:it is|it's|it was|if it (?:is|was|were)|like|in|during|at) ", "", v)
    v = re.sub(r"^(?:heavy|light|thick|thin|soft|gentle|big|huge|lots of|a lot of|some|real|proper|full) ", "", v)
    v = re.sub(r"^(?:bit|little) ", "a bit ", v)
    s = re.match(rf"^(?P<s>{STRENGTH}) ", v)
    if s:
        v = v[s.end():]
    v = re.sub(r"^(?:a |an |the |more |some )", "", v)
    v = re.sub(r" (?:day|days|time|scene|weather|season|vibe|mood|look|atmosphere|evening|morning|night|sky|lighting|"
               r"light|feel|effect)$", "",
               v) if v not in CONDITIONS else v
    if v not in CONDITIONS:
        return None
    instr = CONDITIONS[v]
    if s and instr.startswith("make it "):
        instr = f"make it {s.group('s')} {instr[len('make it '):]}"
    return instr


def caption_nouns(caption: str | None) -> list[str]:
    if not caption:
        return []
    words = re.findall(r"\b(?:a|an|the|two|some)\s+(?:(?:small|large|big|" + COLOUR_RE + r")\s+)*([a-z]+)", caption.lower())
    return list(dict.fromkeys(w for w in words if w not in ("sky", "picture", "image")))


_HEAD_STOP = re.compile(r"^(?:on|in|at|with|by|near|under|over|of|next|behind|beside|and|or|against|from|for|to|into|"
                        r"through|across|along|inside|outside|during|while|after|before|that|who|which|is|are|"
                        r"(?!(?:ring|king|wing|thing|string|spring|swing|sling|ceiling|building|painting|wedding|clothing|"
                        r"sibling|duckling|pudding|stuffing|icing|frosting|topping|filling|awning|railing|siding|lighting|"
                        r"carving|drawing|morning|evening|earring|earrings|stocking|stockings|dumpling|dumplings|seedling|"
                        r"darling|ping|bling)$)[a-z]+ing)$")  # "holding", "sitting": a verb ends the phrase; "a wedding ring" not


def caption_heads(caption: str | None) -> list[str]:
    """The head nouns of the caption's noun phrases, in order ("a sports car in a showroom" -> ["car",
    "showroom"]; "a worn teddy bear holding a heart" -> ["bear", "heart"])."""
    words = re.findall(r"[a-z][a-z'-]*", (caption or "").lower())
    heads = []
    for k, w in enumerate(words):
        if w not in ("a", "an", "the", "two", "three", "some", "his", "her", "their", "my", "its", "several", "many"):
            continue
        phrase, of = [], []
        for nxt in words[k + 1:]:
            if nxt == "of" and phrase and not of:  # "a bowl of strawberries": the strawberries too
                of.append(nxt)
                continue
            if _HEAD_STOP.match(nxt) or nxt in ("a", "an", "the"):
                break
            (of if of else phrase).append(nxt)
        for head in (phrase[-1:] + of[-1:]) if len(of) > 1 else phrase[-1:]:
            if head not in heads:
                heads.append(head)
    return heads


def _noun_phrase(text: str) -> Frame | None:
    """A request said as a noun phrase: "white background", "the car in red colour", "red lipstick for her"."""
    if IMPERATIVE.match(text) and not re.match(r"^(?:change|make|paint|colou?r|turn) ", text):
        return None
    m = re.fullmatch(rf"(?:(?:change|make|paint|colou?r|turn) )?(?P<t>(?:the |her |his |their |its |my )?(?!convert|render|"
                     rf"transform)[a-z' -]+?) "
                     rf"(?:in|to) (?:a |an )?(?P<c>{COLOUR_PHRASE})(?: colou?r)?(?P<rest>(?:,| and| with) .+)?", text)
    if m and m.group("t") not in PRONOUNS:
        base = f"make {_the(m.group('t'))} {m.group('c')}"
        return Frame("free", value=base + (m.group("rest") or "")) if m.group("rest") else Frame("color", _the(m.group("t")),
                                                                                                  m.group("c"))
    m = re.fullmatch(rf"(?P<c>{COLOUR_PHRASE}) (?P<t>[a-z]+)(?: for (?P<o>her|him|them|the [a-z]+))?(?P<rest>(?:,| and) .+)?",
                     text)
    if m:
        owner = {"her": "her ", "him": "his ", "them": "their "}.get(m.group("o") or "", "the ")
        base = f"make {owner}{m.group('t')} {m.group('c')}"
        if m.group("o", )and m.group("o").startswith("the "):
            base += f" for {m.group('o')}"
        rest = m.group("rest") or ""
        if rest:
            tail = re.sub(r"^(?:,| and) ", "", rest)
            more = _noun_phrase(tail)
            rest = f" and {more.instruction()}" if more is not None else rest
        return Frame("free", value=base + rest)
    return None


def _compound(text: str) -> Frame | None:
    """"make the flowers red and the vase blue": one instruction keeping both parts."""
    joined = re.sub(r"\bblack (?:and|&) white\b", "black_and_white", text)  # one look, not two parts
    parts = [p.replace("black_and_white", "black and white")
             for p in re.split(r",? and (?:then |also )?|,? then |; |,? plus |, ", joined) if p.strip()]
    if len(parts) < 2:
        return None
    verb = re.match(r"^(make|turn|paint|add|remove|replace)\b", parts[0])
    said = []
    for p in parts:
        f = parse(p)
        if (f is None or f.missing()) and verb and not IMPERATIVE.match(p):
            f = parse(f"{verb.group(1)} {p}")
        if (f is None or f.missing()) and _noun_phrase(p) is not None:
            f = _noun_phrase(p)
        if (f is None or f.missing()) and re.match(r"^(?:a|an|some|two|three|a few|lots of) ", p):
            f = Frame("add", value=p)  # "..., plus a cat on the windowsill"
        if f is not None and f.missing() is None:
            said.append(f.instruction())
        elif (IMPERATIVE.match(p) or re.match(r"(?:scatter|sprinkle|hang|plant|drop|toss|throw|spread|pile|string|dot) ", p)) \
                and f is None:
            said.append(p)  # "make the river frozen", "scatter some leaves": an explicit part the rules do not read, as said
        else:
            return None
    return Frame("free", value=" and ".join(dict.fromkeys(said)))


def _incomplete(text: str, state: ConversationState) -> Frame | None:
    """"make the lamp", "change the sofa": a thing of the picture with no change named: ask how."""
    m = re.fullmatch(r"(?:make|turn|change|modify|alter|edit|do something (?:with|to)|fix|redo) "
                     r"(?P<t>(?:the|his|her|their|its|my|that|this) (?:[a-z]+ ){0,2}[a-z]+)", text)
    if not m:
        return None
    nouns = set(caption_nouns(state.caption)) | set(re.findall(r"[a-z]+", (state.caption or "").lower()))
    last = m.group("t").split()[-1]
    if last in nouns or last.rstrip("s") in nouns or len(m.group("t").split()) == 2:
        return Frame("change", _the(m.group("t")))
    return None


def _open_question(caption: str | None) -> str:
    """The question for a message that names no change: options from the caption, nothing quoted back."""
    nouns = caption_nouns(caption)[:3]
    things = (", ".join(f"the {n}" for n in nouns[:-1]) + f" or the {nouns[-1]}") if len(nouns) > 1 else \
        (f"the {nouns[0]}" if nouns else "a thing in the picture")
    return (f"{OPEN_QUESTION} You could name something to change ({things}) and how, or a look "
            "such as a watercolor painting, night or black and white.")


def _gibberish(t: str) -> bool:
    words = re.findall(r"[a-z]+", t.lower())
    if not words:
        return True
    odd = sum(1 for w in words if (not re.search(r"[aeiouy]", w) and len(w) > 2)
              or re.search(r"[^aeiouy\W\d]{5,}", w))
    return odd / len(words) >= 0.5 or (len(words) == 1 and len(words[0]) > 12)


EMOJI = re.compile(r"[\U0001F000-\U0001FFFF\u2600-\u27BF\uFE0F]")  # one emoji (or its variation selector)


def sentences_of(raw: str) -> list[str]:
    """The sentences of a message (split at . ! ? ; and emoji), each with letters in it."""
    raw = re.sub(rf"\s*{EMOJI.pattern}+\s*", " ", raw).strip()  # emoji are decoration
    raw = re.sub(r"\s+[:;]-?[)(dDpP](?=\s|$)", ".", raw)  # "good morning :) please make ..."
    parts = re.split(r"(?<=[.!?;])\s+|\n+", raw)
    out = []
    for p in parts:  # "for our farm stay ad: put a hat on him": what it is for, then the request
        m = re.fullmatch(r"(?P<why>[^:]{3,60}?):\s+(?P<rest>[A-Za-z].+)", p.strip())
        if m and not re.search(r"\b(?:make|turn|change|add|remove|put|paint|say|says|read|reads|write|writing|text|"
                               r"words?|caption|sign|label|name|title|let'?s|try|go|do)\b", m.group("why").lower()):
            out += [m.group("why"), m.group("rest")]
        else:
            out.append(p)
    return [p.strip() for p in out if p and re.search(r"[a-zA-Z]", p)]


def clauses(raw: str) -> list[str]:
    """The clauses of a message: its sentences split at commas, dashes, "but", and "and"/"so" before a clause
    with its own subject ("mom's coming over and the floor is a disaster"), the filler in front of each dropped ("nah, go back to the original" -> ["go back to the original"])."""
    out = []
    for sent in sentences_of(raw):
        for part in re.split(r"\s*[,;:]\s+|\s+[-\u2013\u2014]+\s+|\s+but\s+|\s+(?:and|so)\s+(?=(?:the|my|his|her|their|our|"
                             r"this|that|these|those) (?:[a-z']+ ){1,3}?(?:is|are|was|were|looks?|seems?)\b)", sent):
            part = FILLER.sub("", part.strip(" .!?")).strip()
            if re.search(r"[a-zA-Z]{2}", part):
                out.append(part)
    return out


def _thing(piece: str) -> bool:
    """A piece of a list that names a thing, no verb ("glow in the dark stars on the ceiling")."""
    p = piece.lower().strip(" .!?")
    return (0 < len(p.split()) <= 8 and not re.match(r"^(?:i|we|he|she|it|they|this|that|there|you|my|our|the|like \d|eh|lol|lmao|idk|"
                                                     r"ok|okay|wait|wiat|say|firstly|secondly|first|second|then|for|aim|um+|uh+|"
                                                     r"hmm+|ha(?:ha)+|also|and|or|but|yes|yeah|no|nah|now|sorry|oops|"
                                                     r"omg|ugh|what|why|how|tbh|honestly)\b", p)
            and not re.search(r"\b(?:is|are|was|were|be|been|looks?|seems?|has|have|had|do|does|did|can|could|would|will|should|"
                              r"too|so|very|not|no|please|thanks?)\b", p) and not IMPERATIVE.match(p))


def _scene_value(a: str) -> str:
    a = re.sub(r"^(?:to|on|in|into|at|onto) ", "", a)
    if a in ("mars", "space"):
        return "Mars" if a == "mars" else "space"
    return a if re.match(r"^(?:the|a|an)\b", a) else "the " + a


def _question(frame: Frame, missing: str, caption: str | None) -> str:
    """A question naming what is missing, options from the caption; never the user's sentence."""
    if frame.target and len(frame.target.split()) > 4:
        frame = Frame(frame.family, "it", frame.value)
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
    if frame.family == "change" and re.search(r"\b(?:season|weather)\b", frame.target or ""):
        return "Which should it be? For example winter, autumn, snow, rain or fog."
    if frame.family == "change" and re.search(r"\b(?:time|lighting|light)\b", frame.target or ""):
        return "Which time of day or light? For example sunrise, golden hour, sunset or night."
    if frame.family == "change":
        return (f"How should I change {frame.target}? A colour (red, blue...), something else in its place "
                "(a cat, a tree...), or a style?")
    if frame.family == "add":
        return "What should I add? For example a rainbow, a tree or a red ball."
    if frame.family == "style":
        return "Which style? For example a watercolor painting, a pencil sketch or pixel art."
    if frame.family == "scene":
        return ("What should the background be? A place, for example the beach, a snowy forest or Mars, or a plain "
                "colour such as white.")
    return "Could you say a bit more about the change you want?"
