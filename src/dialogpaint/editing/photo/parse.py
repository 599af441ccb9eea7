"""Reading an explicit instruction as an exact photo operation (pure Python, no image code).

Is: instruction text -> `PhotoOp` (what to do, where, how strongly), or None when the photo engine
has no exact operation for it ("add a hat", "replace the dog with a cat"). Is not: the operations
themselves (`tone.py`, `scene.py`, `styles.py`, `geometry.py`) or finding regions (`regions.py`).

The instructions come from the dialogue ("make it night", "make the image a bit brighter", "make it a
pencil sketch", "make the red car blue", "blur the background") or straight from a user, so the
reading is tolerant: synonyms, "look like", strength words ("a bit", "much more", "very").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# colour names -> RGB, the palette for recolouring, tints and backgrounds
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (205, 30, 35), "crimson": (190, 20, 50), "maroon": (120, 20, 30), "orange": (240, 130, 20),
    "yellow": (245, 215, 40), "gold": (215, 170, 40), "golden": (215, 170, 40), "green": (40, 160, 60),
    "lime": (140, 210, 40), "olive": (120, 130, 40), "teal": (20, 130, 130), "turquoise": (40, 200, 190),
    "cyan": (40, 200, 220), "blue": (35, 85, 210), "navy": (25, 35, 110), "purple": (120, 50, 170),
    "violet": (140, 80, 200), "lavender": (170, 140, 215), "magenta": (210, 40, 160), "pink": (240, 120, 170),
    "brown": (120, 75, 40), "beige": (220, 200, 160), "white": (245, 245, 245), "black": (20, 20, 20),
    "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (190, 190, 195),
}
COLOUR_RE = "|".join(sorted(COLOURS, key=len, reverse=True))

PERSON_WORDS = r"(?:the )?(?:person|people|man|woman|men|women|boy|girl|child|kid|lady|guy|astronaut|her|him|them|" \
               r"subject|portrait|face|figure)"


@dataclass(frozen=True)
class PhotoOp:
    kind: str                   # "global" (whole image), "region" (a mask), "geometry"
    op: str                     # brighter, night, sketch, recolor, blur, mirror ... (see engine.OPS)
    strength: float = 1.0       # 0.5 "a bit", 1 plain, 1.6 "more / very", 2.2 "much more / extremely"
    region: str | None = None   # sky, background, person, subject, colour:<name> (what is edited), None: all
    target: str | None = None   # the thing as the user named it ("the red car"), for the reply
    colour: str | None = None   # a colour name from COLOURS (recolour, tint, background fill)
    angle: int = 0              # degrees clockwise, for rotate

    @property
    def exact(self) -> bool:
        """False for a guess: a thing named without its colour is taken to be the photo's main subject."""
        return self.region != "subject"


STRENGTH = [(r"\b(?:much|way|far|a lot|lots|significantly|extremely|super|massively|hugely|a ton)\b", 2.2),
            (r"\b(?:very|stronger|heavily|strongly|deep|intense|dramatic(?:ally)?|quite|really|considerably)\b", 1.6),
            (r"\b(?:a (?:little )?bit|a little|slightly|somewhat|a touch|subtly|light(?:ly)?|gently|mildly|"
             r"a tad|kind of|kinda|a hint)\b", 0.5)]  # plain "more" is the ordinary comparative: 1

# (pattern, op) for whole-image operations; the first that matches wins, so specific before general
GLOBAL: list[tuple[str, str]] = [
    # styles
    (r"pencil|sketch|line drawing|drawn in pencil", "sketch"),
    (r"charcoal", "charcoal"),
    (r"water ?colou?r|aquarelle", "watercolor"),
    (r"oil[- ]?paint|oil on canvas|impasto|impressionis|van gogh", "oil"),
    (r"cartoon|comic|cel[- ]shad|toon\b|animated", "cartoon"),
    (r"pixel|8[- ]?bit|retro game|16[- ]?bit", "pixel"),
    (r"pop[- ]?art|warhol", "popart"),
    (r"mosaic", "mosaic"),
    (r"posteri[sz]|screen ?print", "posterize"),
    (r"emboss|relief|engrav", "emboss"),
    (r"neon|glow(?:ing)? edges", "neon"),
    (r"painting|painted|paint it", "oil"),
    # looks
    (r"black(?: and | & |-and-| )white|b ?& ?w\b|b/w|gr[ae]y ?scale|monochrome|no colou?rs?|colou?rless|"
     r"desaturate (?:it )?(?:completely|fully)|noir", "bw"),
    (r"sepia|old[- ]fashioned|antique|old photo|daguerreotype|western", "sepia"),
    (r"\bold\b|\baged\b|weathered|nostalgic", "vintage"),
    (r"vintage|polaroid|retro|film (?:look|photo|camera)|analog|analogue|faded|instagram|70s|80s|lomo|"
     r"old film|kodak|film grain|film", "vintage"),
    # time of day
    (r"night|midnight|dark(?:ness)? outside|moonlit|moonlight|evening|after dark", "night"),
    (r"sunset|golden hour|dusk|sundown|twilight|sun ?set", "sunset"),
    (r"dawn|sunrise|daybreak|early morning|first light", "dawn"),
    (r"overcast|cloudy|gloomy|grey day|gray day|dull day", "overcast"),
    # weather (before seasons: "snowy winter" is snow)
    (r"\bsnow|snowing|snowfall|blizzard|snowflake", "snow"),
    (r"\brain|raining|rainy|drizzl|downpour|storm", "rain"),
    (r"\bfog|foggy|mist|misty|haze|hazy|smog", "fog"),
    (r"sunny|sunshine|sunlit|bright day|clear sky|clear day", "sunny"),
    (r"winter|wintry|icy|frozen|frost", "winter"),
    (r"autumn|fall\b|autumnal|fall colou?rs|fall season", "autumn"),
    (r"spring", "spring"),
    (r"summer", "summer"),
    # tone and colour
    (r"(?:less|lower|reduce|decrease|soften|flatter|flat)\b.*contrast|contrast\b.*(?:down|lower|less)|flatten", "contrast_down"),
    (r"contrast|punch|punchier|pop\b|dramatic", "contrast_up"),
    (r"(?:less|reduce|lower|decrease)\b.*(?:saturat|colou?rful|vivid)|desaturat|muted|mute|washed|pastel|subdued|"
     r"toned? down|tone down", "muted"),
    (r"vivid|saturat|colou?rful|vibrant|rich(?:er)? colou?rs?|more colou?r|colou?rs? pop|boost (?:the )?colou?r", "vivid"),
    (r"warm|cozy|cosy", "warmer"),
    (r"cool|cold|chilly", "cooler"),
    (r"bright|lighten|lighter|light up|exposure up|more light|illuminat", "brighter"),
    (r"dark|dim|moody|exposure down|less light|shadowy", "darker"),
    (r"sharp|crisp|clearer|more detail|in focus|de-?blur|unblur", "sharpen"),
    (r"blur|soft(?:er)? focus|dreamy|soften|smooth", "blur"),
    (r"vignette", "vignette"),
    (r"invert|negative", "invert"),
]
# phrases that mean "make the whole picture X": tint/cast by colour name
TINT = r"(?:look|tint(?:ed)?|cast|hue|filter|wash|tone|shade|overlay)"


@dataclass(frozen=True)
class PhotoPlan:
    """One or more operations, applied in order ("make the flowers red and make the vase blue")."""

    ops: tuple[PhotoOp, ...]

    @property
    def exact(self) -> bool:
        return all(op.exact for op in self.ops)


# a compound instruction is split before each new imperative after "and" / "then" / a comma
COMPOUND = re.compile(r"\s*(?:,\s*|\s+)(?:and\s+|then\s+|and then\s+)(?=(?:make|turn|change|give|add|blur|mirror|flip|"
                      r"rotate|crop|increase|reduce|lower|raise|brighten|darken|warm|cool|paint|colou?r|recolou?r)\b)")


def parse_plan(instruction: str) -> PhotoPlan | None:
    """The operations `instruction` asks for, or None when any part of it needs a generative model."""
    parts = [p for p in COMPOUND.split(instruction.strip()) if p.strip()]
    if len(parts) < 2:
        op = parse_instruction(instruction)
        return None if op is None else PhotoPlan((op,))
    ops = [parse_instruction(p) for p in parts]
    return None if any(o is None for o in ops) else PhotoPlan(tuple(ops))


def _strength(t: str) -> float:
    for pat, s in STRENGTH:
        if re.search(pat, t):
            return s
    return 1.0


def _norm(text: str) -> str:
    t = text.lower().strip()
    t = t.replace("colour", "color").replace("grey", "gray")
    t = re.sub(r"[\"'’`]", "", t)
    t = re.sub(r"[?!.,;:]+", " ", t)
    return " ".join(t.split())


# instructions that need generation: adding, replacing, removing or moving things
GENERATIVE = re.compile(r"^(?:add|put|place|insert|draw|include|replace|swap|substitute|remove|delete|erase|"
                        r"get rid of|take away|take out|move)\b|"
                        r"^(?:turn|change|transform) (?!it\b|this\b|everything\b|the (?:image|picture|photo|scene|"
                        r"whole|colou?rs?)\b)\S.* into ")
# "add snow", "add some fog": weather and looks that are overlays, not new things
OVERLAY = re.compile(r"^add (?:some |a bit of |a little |a lot of |more |a |an |heavy |light |thick )*(?:snow|rain|fog|"
                     r"mist|haze|raindrops|snowflakes|falling snow|snowfall|vignette|film grain|grain|contrast|warmth|"
                     r"light|sunshine|sunlight|a sunset glow|sepia)\b")
# phrases whose colour word is not a colour request
NOT_A_COLOUR = re.compile(r"golden hour|black (?:and|&) white|gray ?scale|white balance|blue hour")


def parse_instruction(instruction: str) -> PhotoOp | None:
    """The exact operation `instruction` asks for, or None when it needs a generative model."""
    t = _norm(instruction)
    if not t:
        return None
    s = _strength(t)

    # 1. geometry
    if re.search(r"\b(?:mirror|flip(?:ped)? (?:it )?(?:horizontal|left|sideways|left to right)|flip horizontally)", t) \
            or re.fullmatch(r"(?:please )?flip(?: it| the (?:image|picture|photo))?", t):
        return PhotoOp("geometry", "mirror")
    if re.search(r"\b(?:flip|turn)\b.*\b(?:upside down|vertical(?:ly)?|top to bottom)", t):
        return PhotoOp("geometry", "flip")
    if m := re.search(r"\brotate\b(?P<rest>.*)", t):
        rest = m.group("rest")
        deg = int(d.group(1)) if (d := re.search(r"(\d+)", rest)) else 90
        if re.search(r"upside down|half ?(?:a )?turn", rest):
            deg = 180
        if re.search(r"\b(?:left|counter[- ]?clockwise|anti[- ]?clockwise)\b", rest):
            deg = -deg
        if deg % 90:
            return None
        return PhotoOp("geometry", "rotate", angle=deg % 360)
    if re.search(r"\bupside down\b", t):
        return PhotoOp("geometry", "rotate", angle=180)
    if re.search(r"\bcrop\b.*\bsquare\b|\bsquare crop\b|\bmake (?:it|the (?:image|picture|photo)) square\b", t):
        return PhotoOp("geometry", "crop_square")

    # 2. regions: the background, the sky, people, a thing named by its colour, the main subject
    if GENERATIVE.search(t) and not OVERLAY.search(t) and not re.search(r"\b(?:background|sky)\b", t) and \
            not re.search(r"^(?:remove|get rid of|take away|take out) (?:the |that |this )?(?:[a-z]+ )?(?:tint|cast|colou?r cast)$", t):
        return None
    if op := _named_region(t, s, "background"):
        return op
    if op := _named_region(t, s, "sky"):
        return op
    if op := _recolor(t, s):
        return op

    # 3. whole-image looks and tone
    if re.search(r"\b(?:colou?r balance|white balance|(?:remove|fix|correct|reduce|get rid of|kill) (?:the |that |this )?"
                 r"(?:[a-z]+ )?(?:tint|cast|colou?r cast))\b", t) and not re.search(r"\b(?:warm|cool|cold)", t):
        return PhotoOp("global", "balance", strength=s)  # "fix the color balance and remove the orange tint"
    if m := re.search(rf"\b(?:{COLOUR_RE})\b", NOT_A_COLOUR.sub("", t)):
        colour = m.group(0)
        if re.search(rf"{TINT}\b|^make (?:it|the (?:image|picture|photo)|everything)(?: look)? {colour}$|"
                     rf"^(?:turn|make|paint) (?:it|everything|the (?:image|picture|photo)) {colour}$", t) \
                and not re.search(r"black and white|gray ?scale", t):
            return PhotoOp("global", "tint", strength=s, colour=colour)
    for pat, op in GLOBAL:
        if re.search(pat, t):
            return PhotoOp("global", op, strength=s)
    return None


# region requests: (pattern, op, fixed colour) tried in order once the region is named; "<colour>"
# takes the last colour word ("make the blue sky pink" -> pink)
REGION_RULES: dict[str, tuple[str, list[tuple[str, str, str | None]]]] = {
    "background": (r"\bbackground|backdrop|behind (?:her|him|them|the)", [
        (r"\b(?:blur|blurry|blurred|bokeh|out of focus|defocus|soft)", "blur", None),
        (r"\b(?:remove|delete|erase|get rid of|cut out|take out)\b", "fill", "white"),
        (r"black and white|gray ?scale|monochrome|no colou?r|desaturat", "bw", None),
        (rf"\b(?:{COLOUR_RE})\b", "fill", "<colour>"),
        (r"\bdark", "darker", None), (r"\b(?:bright|light)", "brighter", None)]),
    "sky": (r"\bsky|skies\b", [
        (r"\b(?:sunset|golden|orange glow)", "sky_sunset", None),
        (r"\b(?:night|starry|stars)", "sky_night", None),
        (r"\b(?:stormy|cloudy|overcast|gray|grey)", "recolor", "gray"),
        (rf"\b(?:{COLOUR_RE})\b", "recolor", "<colour>"),
        (r"\bdark", "darker", None), (r"\b(?:bright|light)", "brighter", None),
        (r"\b(?:vivid|saturat|deeper|deep)", "vivid", None)]),
}


def _named_region(t: str, s: float, region: str) -> PhotoOp | None:
    """The operation on `region` ("background", "sky") when the text names it, per REGION_RULES."""
    names, rules = REGION_RULES[region]
    if not re.search(names, t):
        return None
    for pat, op, colour in rules:
        if re.search(pat, t):
            if colour == "<colour>":
                colour = re.findall(rf"\b({COLOUR_RE})\b", t)[-1]
            return PhotoOp("region", op, strength=s, region=region, target=f"the {region}", colour=colour)
    return None


_RECOLOR = [
    rf"^(?:make|turn|paint|color|recolor|change|dye) (?P<t>.+?) (?:to |into |in )?(?:a |an )?(?P<c>{COLOUR_RE})(?: color| one)?$",
    rf"^(?:change|make|turn|set) the color of (?P<t>.+?) (?:to|into) (?P<c>{COLOUR_RE})$",
    rf"^(?:give) (?P<t>.+?) (?:a |an )?(?P<c>{COLOUR_RE}) color$",
]


def _recolor(t: str, s: float) -> PhotoOp | None:
    if NOT_A_COLOUR.search(t):
        return None
    for pat in _RECOLOR:
        m = re.match(pat, t)
        if not m:
            continue
        target, colour = m.group("t").strip(), m.group("c")
        if re.fullmatch(r"(?:it|this|everything|the (?:image|picture|photo|scene|whole \w+))"
                        r"(?: (?:look|appear|seem|feel))?(?: (?:like|more|all))?", target):
            return None  # a tint of the whole picture: handled by the caller
        target = re.sub(r"^(?:the|a|an)\s+", "", target)
        # "her eyes", "his shirt": body parts and clothes have no finder here
        if re.search(r"\b(?:eyes?|iris|hair|lips?|skin|teeth|nails?|shirt|dress|jacket|coat|hat|shoes?|"
                     r"pants|trousers|tie|scarf|suit)\b", target) and not re.search(rf"\b(?:{COLOUR_RE})\b", target):
            named = target if re.match(r"(?:her|his|their|its|my|your)\b", target) else f"the {target}"
            return PhotoOp("region", "recolor", strength=s, region=f"part:{target}", target=named, colour=colour)
        if re.fullmatch(PERSON_WORDS, target):
            return PhotoOp("region", "recolor", strength=s, region="person", target=target, colour=colour)
        if cm := re.match(rf"^(?P<c>{COLOUR_RE})\b\s*(?P<rest>.*)$", target):
            return PhotoOp("region", "recolor", strength=s, region=f"colour:{cm.group('c')}",
                           target=f"the {target}", colour=colour)
        return PhotoOp("region", "recolor", strength=s, region="subject", target=f"the {target}", colour=colour)
    return None
