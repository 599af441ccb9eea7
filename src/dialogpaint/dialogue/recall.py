"""Which live edit a user means by words: stems, synonyms, the kind of edit, and positions.

"forget the snow" means "make it snow" (and "make it snowy"), "undo the colour change" means the
last recolouring, "drop the second one" means edit 2, "the foggy one" means "make it foggy". Is: a
matcher from words to the 1-based index of a live edit (or None). Is not: the reading of the forget
request itself (intents.py), nor the session that acts on the target.
"""

from __future__ import annotations

import re

from .base import LiveEdit

# word -> its concept; words of one concept match each other ("snowy" = "snow" = "snowfall")
CONCEPTS = {
    "snow": "snow snowy snowing snowfall snowflakes blizzard",
    "cat": "cat kitty kitten kitteh moggy",
    "dog": "dog puppy pup doggo doggy pooch",
    "rain": "rain rainy raining rainfall drizzle downpour wet",
    "fog": "fog foggy mist misty haze hazy smoke smoky smokey",
    "storm": "storm stormy thunder lightning",
    "night": "night nighttime midnight nightfall dark moonlit",
    "sunset": "sunset dusk sundown twilight golden",
    "winter": "winter wintry wintery",
    "autumn": "autumn fall autumnal",
    "color": "color colour colors colours colored coloured recolor recolour recolored recoloured tint hue shade",
    "bw": "bw monochrome greyscale grayscale",
    "sketch": "sketch pencil sketched drawing",
    "watercolor": "watercolor watercolour watercolors aquarelle",
    "bright": "bright brighter brightness lighter lighten exposure light",
    "darker": "darker darken dim dimmer",
    "warm": "warm warmer warmth",
    "cool": "cool cooler cold colder",
    "vivid": "vivid saturated saturation colorful colourful vibrant",
    "blur": "blur blurred blurry bokeh",
    "mirror": "mirror mirrored flip flipped",
    "rotate": "rotate rotated rotation turned",
    "crop": "crop cropped square",
    "background": "background backdrop bg",
    "vintage": "vintage polaroid retro old",
    "sepia": "sepia",
}
WORD_CONCEPT = {w: c for c, ws in CONCEPTS.items() for w in ws.split()}
# kinds of edit named without its content ("the colour change", "the style", "the thing you added")
KINDS = {
    "color": r"^make (?!it\b)(?:the |her |his |their |its )?.+ (?:COLOURS)$",
    "style": r"^make it (?:a |an )?(?:[a-z ]+ )?(?:painting|sketch|drawing|art|photo|cartoon|mosaic)$|^make it "
             r"(?:black and white|sepia|pixel art|pop art|claymation)",
    "weather": r"\b(?:snow|rain|fog|foggy|storm|stormy|sunny|cloudy|winter)\b",
    "time": r"\b(?:night|daytime|sunset|dawn|dusk|sunrise)\b",
    "season": r"\b(?:winter|autumn|spring|summer)\b",
    "add": r"^add\b",
    "remove": r"^remove\b",
    "replace": r"^replace\b",
    "scene": r"^move it to\b|\bbackground\b",
    "tone": r"\b(?:brighter|darker|contrast|warmer|cooler|vivid|saturat|sharper|muted)\b",
    "geometry": r"\b(?:mirror|flip|rotate|crop)\b",
}
KIND_WORDS = {"color": "colour color recolour recolor recoloring recolouring paint dye", "style": "style filter look effect art",
              "weather": "weather", "time": "time lighting", "season": "season", "add": "added addition adding new",
              "remove": "removed removal removing", "replace": "replaced replacement swap swapped replacing",
              "scene": "scene setting location place background move moved", "tone": "tone brightness exposure",
              "geometry": "rotation flip crop geometry"}
KIND_OF_WORD = {w: k for k, ws in KIND_WORDS.items() for w in ws.split()}
# a word for a kind of thing -> things of that kind ("lose the fruit" after "add sliced strawberries"; "take the
# headwear back off" after "add a santa hat"); matched by stem
CATEGORIES = {
    "fruit": "fruit strawberry apple banana orange lemon lime cherry grape pear peach berry blueberry raspberry melon "
             "watermelon pineapple mango kiwi plum fig",
    "headwear": "hat cap crown beanie helmet tiara hood bandana headband beret fedora sombrero halo ears antlers",
    "neckwear": "scarf tie bowtie necklace collar bandana choker lei",
    "eyewear": "glasses sunglasses shades specs goggles monocle",
    "footwear": "shoes boots sneakers trainers sandals slippers heels",
    "jewellery": "necklace ring earrings bracelet crown tiara pendant brooch jewels",
    "accessory": "hat cap scarf tie bowtie glasses sunglasses necklace bracelet bag collar bandana bow",
    "outfit": "shirt dress jacket sweater hoodie coat suit costume jumper",
    "clothes": "shirt dress jacket sweater hoodie coat suit costume jumper hat scarf",
    "decorations": "balloons bunting lights streamers confetti garland ornaments banner tinsel",
    "animal": "dog cat bird horse cow sheep duck rabbit bunny fox deer squirrel owl pig goat butterfly fish",
    "pet": "dog cat puppy kitten rabbit bunny hamster parrot",
    "bird": "bird seagull gull pigeon parrot duck owl crow eagle swan flamingo robin",
    "bug": "bug insect butterfly bee ladybug ladybird fly dragonfly",
    "flower": "flower rose tulip daisy sunflower lily orchid poppy bouquet blossom",
    "plant": "plant tree flower cactus fern bush shrub palm succulent",
    "vehicle": "car bus truck bike bicycle motorbike motorcycle van scooter boat taxi",
    "food": "cake pizza burger fries sandwich cookie donut pie bread cheese",
    "drink": "coffee tea juice wine beer lemonade cocktail milk",
    "people": "person people man woman child kid crowd friend",
    "writing": "text words sign caption saying banner",
    "sweets": "candy sweets chocolate cookie donut lollipop cupcake",
    "furniture": "chair sofa couch table bench lamp shelf bed",
    "garnish": "herb herbs rosemary thyme basil parsley mint chives coriander cilantro dill sprig salt pepper lemon lime",
    "toppings": "cheese sprinkles nuts berries cream sauce syrup herbs seeds chocolate fruit",
    "hat": "hat cap beanie beret fedora sombrero bowler bonnet helmet crown tiara",
    "pyrotechnics": "fireworks firework sparklers sparkler flares",
    "meat": "meat ham bacon sausage sausages steak chicken beef pork salami pepperoni prosciutto",
}
CATEGORIES |= {other: CATEGORIES[word] for other, word in (("jewelry", "jewellery"), ("decor", "decorations"),
                                                           ("insect", "bug"), ("text", "writing"))}  # the same kinds


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
STOP = {"the", "a", "an", "make", "it", "to", "of", "and", "add", "remove", "change", "turn", "into", "in", "on",
        "with", "edit", "please", "that", "this", "one", "bit", "part", "thing", "you", "did", "made", "i", "asked",
        "for", "my", "me", "look", "effect", "change", "changes", "step", "version", "stuff", "just", "whole"}


def _stem(w: str) -> str:
    if w in WORD_CONCEPT:
        return WORD_CONCEPT[w]
    for suf in ("iness", "ness", "ing", "ed", "ies", "es", "s", "y"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            base = w[: -len(suf)]
            base = base[:-1] if len(base) > 3 and base[-1] == base[-2] else base  # "foggy" -> "fog"
            return WORD_CONCEPT.get(base, base)
    return w


def stems(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("black and white", "bw"))
    return {_stem(w) for w in words if w not in STOP}


CATEGORY_OF: dict[str, set[str]] = {}  # a kind's stem -> the stems of its things
for _cat, _members in CATEGORIES.items():
    CATEGORY_OF.setdefault(_stem(_cat), set()).update(_stem(m) for m in _members.split())


def of_kind(words: str, text: str) -> bool:
    """Whether `words` name a kind of thing that `text` holds one of ("the fruit" / "add sliced strawberries")."""
    kinds = [CATEGORY_OF[w] for w in stems(words) if w in CATEGORY_OF]
    return bool(kinds) and any(k & stems(text) for k in kinds)


def kind_of(instruction: str, colours: tuple[str, ...] = ()) -> set[str]:
    """The kinds of an edit instruction ("make the car blue" -> {"color"})."""
    i = instruction.lower()
    out = set()
    for kind, pat in KINDS.items():
        if re.search(pat.replace("COLOURS", "|".join(colours) or "red|blue"), i):
            out.add(kind)
    return out


def match_edit(words: str, edits: tuple[LiveEdit, ...] | list[LiveEdit], colours: tuple[str, ...] = ()) -> int | None:
    """The 1-based index of the live edit `words` names, or None when none (or several equally) fit."""
    if not edits:
        return None
    w = words.lower().strip()
    # 1. positions: "the second one", "the last change", "the one before"
    if m := re.search(r"\b(" + "|".join(ORDINALS) + r")\b", w):
        n = ORDINALS[m.group(1)]
        if re.search(r"\b(?:last|from the end)\b", w) and n <= len(edits):
            return len(edits) - n + 1  # "the second last"
        return n if n <= len(edits) else None
    if re.fullmatch(r"(?:the )?(?:last|latest|newest|most recent|previous|recent)(?: (?:one|edit|change|thing))?", w):
        return len(edits)
    if re.fullmatch(r"(?:the )?(?:one|edit|change) before(?: that| it| the last one)?|(?:the )?penultimate(?: one)?", w):
        return len(edits) - 1 if len(edits) >= 2 else None
    if re.fullmatch(r"(?:the )?(?:oldest|earliest)(?: (?:one|edit|change))?", w):
        return 1
    # 2. content words, by stem and synonym ("the snowy one" = "make it snow")
    want = stems(w)
    scores = [(len(want & stems(e.instruction)), e.index) for e in edits]
    best = max(s for s, _ in scores)
    if best > 0:
        top = [i for s, i in scores if s == best]
        return top[-1]  # the latest of the best (the one most likely meant)
    # 3. a kind of thing an edit holds one of: "the fruit" = "add sliced strawberries"
    fits = [e.index for e in edits if of_kind(w, e.instruction)]
    if fits:
        return fits[-1]
    # 4. the kind of edit: "the colour change", "the style", "the thing you added"
    kinds = {KIND_OF_WORD[x] for x in re.findall(r"[a-z]+", w) if x in KIND_OF_WORD}
    if kinds:
        fits = [e.index for e in edits if kinds & kind_of(e.instruction, colours)]
        if fits:
            return fits[-1]
    return None
