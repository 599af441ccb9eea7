"""The `rules` backend: a reading of editing requests (well under a millisecond a turn, typically).

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .base import ConversationState, ForgetTarget, LiveEdit, Reply, Turn
from .intents import parse_forget
from .normalize import CORE_WORDS, correct_typos, tidy
from .normalize import normalize as _normalize
from .recall import match_edit

COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black", "brown", "gray", "grey",
           "gold", "silver", "cyan", "magenta", "violet", "turquoise", "beige", "navy", "teal", "maroon", "blonde", "blond",
           "golden", "auburn", "lime", "crimson", "lavender", "mustard", "olive", "cream", "ivory", "coral", "salmon",
           "peach", "mint", "khaki", "tan", "burgundy", "indigo", "aqua", "emerald", "amber", "bronze", "copper", "plum",
           "lilac", "ochre", "rust", "fuchsia", "scarlet", "terracotta", "charcoal", "platinum", "chrome", "sepia",
           "champagne", "chocolate", "caramel", "cherry", "wine", "sky blue", "rose", "hazel", "jade", "sand", "slate",
           "sage", "rose gold", "blush", "taupe", "mauve", "periwinkle", "cerulean", "cobalt", "forest green", "seafoam",
           "chartreuse", "vermilion", "sienna", "umber", "pewter", "gunmetal", "oxblood", "eggshell", "off-white", "cyan",
           "lemon", "butter yellow", "dusty pink", "powder blue", "baby blue", "royal blue", "midnight blue", "tangerine",
           "apricot", "raspberry", "lavender", "sapphire", "ruby", "onyx", "ebony", "walnut", "honey", "mahogany")
PLACEHOLDERS = ("something else", "something different", "different", "another", "other", "better", "cool", "pretty",
                "beautiful", "good", "great", "awesome", "amazing", "fancy", "special", "lovely", "cooler", "epic",
                "stunning", "gorgeous", "artsy", "unique", "creative", "perfect", "professional", "more interesting",
                "more beautiful", "look good", "look better", "look nice", "pop", "stand out", "nicer looking",
                "appealing", "more appealing", "artistic", "more artistic", "attractive", "more attractive",
                "eye-catching", "striking", "polished", "stuff", "things", "more special", "more exciting", "exciting",
                "funnier", "livelier", "lively", "magical", "wow", "fancier",
                "nicer", "nice", "something", "anything", "whatever", "interesting", "fun", "prettier", "new", "else", "other one",
                "different one")
STYLES = {"watercolor": "a watercolor painting", "watercolour": "a watercolor painting", "sketch": "a pencil sketch",
          "oil painting": "an oil painting", "van gogh": "a Van Gogh painting", "cartoon": "a cartoon",
          "anime": "an anime drawing", "pixel art": "pixel art", "sepia": "a sepia photo", "pop art": "pop art",
          "impressionist": "an impressionist painting", "black and white": "black and white",
          "comic": "a comic book drawing", "comic book": "a comic book drawing", "vintage": "a vintage photo",
          "mosaic": "a mosaic", "charcoal": "a charcoal drawing", "claymation": "claymation",
          "polaroid": "a polaroid photo", "retro": "a vintage photo", "greyscale": "black and white",
          "grayscale": "black and white", "monochrome": "black and white", "b&w": "black and white",
          "noir": "black and white", "pencil": "a pencil sketch", "pencil drawing": "a pencil sketch",
          "line drawing": "a pencil sketch", "oil": "an oil painting", "painting": "a painting",
          "impressionism": "an impressionist painting", "monet": "an impressionist painting",
          "warhol": "pop art", "8-bit": "pixel art", "8 bit": "pixel art", "pixelated": "pixel art",
          "pixel": "pixel art", "lego": "a lego model", "neon": "neon art", "stained glass": "stained glass",
          "ukiyo-e": "a ukiyo-e print", "manga": "an anime drawing", "cartoonish": "a cartoon",
          "comic strip": "a comic book drawing", "pastel": "a pastel drawing", "crayon": "a crayon drawing",
          "ink": "an ink drawing", "mosaic tiles": "a mosaic", "film photo": "a vintage photo",
          "old photo": "a vintage photo", "old-fashioned": "a vintage photo", "antique": "a sepia photo"}
CONDITIONS = {"night": "make it night", "nighttime": "make it night", "day": "make it daytime",
              "daytime": "make it daytime", "sunset": "make it sunset", "dusk": "make it dusk",
              "winter": "make it winter", "snowy": "make it snow", "snow": "make it snow", "rain": "make it rain",
              "rainy": "make it rain", "autumn": "make it autumn", "fall": "make it autumn", "spring": "make it spring",
              "summer": "make it summer", "foggy": "make it foggy", "fog": "make it foggy", "stormy": "make it stormy",
              "snowing": "make it snow", "snowfall": "make it snow", "raining": "make it rain", "misty": "make it foggy",
              "mist": "make it foggy", "hazy": "make it foggy", "storm": "make it stormy", "golden hour": "make it golden hour",
              "sunrise": "make it sunrise", "dawn": "make it dawn", "twilight": "make it sunset", "evening": "make it evening",
              "midnight": "make it night", "cloudy": "make it cloudy", "overcast": "make it cloudy", "sunny": "make it sunny",
              "wintry": "make it winter", "autumnal": "make it autumn", "springtime": "make it spring",
              "summertime": "make it summer", "nightime": "make it night", "night time": "make it night",
              "snowy winter": "make it winter", "winter wonderland": "make it winter"}
# complaints about the picture -> the fix ("it's kinda gloomy" -> brighter): problem words, not sentences
IMPLICIT = [(r"\b(?:too|to|so|very|a bit|kinda|kind of|quite|rather|pretty|still)(?: much)? (?:dark|dim|gloomy|murky|shadowy)\b|"
             r"\bgloomy\b|\bunderexposed\b|\bcan'?t see\b|\bnot bright enough\b", "make the image brighter"),
            (r"\b(?:too|so|very) bright\b|\boverexposed\b|\bblown out\b|\bglaring\b", "make the image darker"),
            (r"\bwashed[- ]out\b|\bfaded\b|\blifeless\b|\bflat colou?rs?\b",
             "make the colors more vivid and increase the contrast"),
            (r"\bharsh\b|\btoo much contrast\b|\btoo contrasty\b", "reduce the contrast"),
            (r"\b(?:grey|gray|drab|pale|unappeti[sz]ing|colou?rless|bland|dull|boring colou?rs?)\b(?!.*\b(?:make|turn|paint)\b)",
             "make the colors more vivid"),
            (r"\b(?:tiny|too small|too far|far away|lost) in the (?:frame|picture|photo|shot)\b|\blooks? (?:tiny|so small)\b",
             "crop it closer to make the subject bigger"),
            (r"\b(?:junk|clutter|cluttered|messy|mess|distracting|busy)\b.*\b(?:behind|background|back)\b|"
             r"\b(?:behind|background)\b.*\b(?:junk|clutter|cluttered|messy|mess|distracting|busy)\b",
             "remove the clutter from the background"),
            (r"\b(?:too|over|so|very|way too) ?(?:saturated|colou?rful|vivid|garish|loud)\b|\boversaturated\b",
             "make the colors less saturated"),
            (r"\blooks? (?:\w+ )?flat\b|\bboring\b|\bplain\b(?!.*\bbackground\b)",
             "make the colors more vivid and increase the contrast"),
            (r"\bnoisy\b|\bgrainy\b|\btoo much noise\b", "reduce the noise"),
            (r"^(?:her|his|their|the) (?:skin|face|whites?|faces)\b.*\b(?:looks?|is|are|seems?) (?:too |a bit |very |so )?"
             r"(?:orange|yellow|green|blue|red|pink|purple|magenta)\b", "fix the color balance and remove the color tint"),
            (r"\btoo much going on\b|\btoo busy\b|\bcluttered\b", "remove the clutter"),
            (r"\bcrooked\b|\btilted\b|\bnot straight\b|\bisn'?t (?:straight|level)\b|\bnot level\b|\bwonky\b|\bslanted\b",
             "straighten the image"),
            (r"\bin (?:the )?shadows?\b|\bshadows are too (?:dark|deep)\b", "brighten the shadows"),
            (r"\bcolou?rs? (?:are|look|is|feel) (?:\w+ )?too (?:strong|intense|loud|much|bright)\b|\btoo (?:strong|intense|loud) colou?rs?\b",
             "make the colors less saturated"),
            (r"\b(?:red|orange|yellow|green|blue|purple|pink|magenta|cyan|warm|cool|colou?r) (?:cast|tint)\b",
             "fix the color balance and remove the color tint"),
            (r"\btoo (?:much )?(?:green|red|magenta|purple|pink)\b|\bcolou?rs? (?:are|look|is) off\b|\bcolou?r cast\b",
             "fix the color balance and remove the color tint"),
            (r"\b(?:too|so|a bit|kind of|rather|very|pretty|looks?) dull\b|\bboring colou?rs\b|\bbland\b|\bwashed-out\b",
             "make the colors more vivid"),
            (r"\b(?:too|so|very|a bit|kinda|kind of|all) (?:blurry|fuzzy|soft)\b|\bnot sharp\b|\bout of focus\b",
             "make the image sharper"),
            (r"\btoo (?:much )?(?:cold|blue)\b|\b(?:looks?|feels?) (?:too |so |very )?cold\b", "make the colors warmer"),
            (r"\btoo (?:much )?(?:warm|yellow|orange)\b", "make the colors cooler")]
GLOBAL = {"brighter": "make the image brighter", "darker": "make the image darker",
          "more contrast": "increase the contrast", "more colorful": "make the colors more vivid",
          "more colourful": "make the colors more vivid", "warmer": "make the colors warmer",
          "cooler": "make the colors cooler", "sharper": "make the image sharper"}
PRONOUNS = ("it", "that", "this", "them", "one")
# strength words kept in the instruction ("make it a bit brighter", "make the colors much warmer")
STRENGTH = (r"(?:a (?:little |tiny |wee )?bit(?: more| less)?|a little(?: more| less)?|slightly(?: more| less)?|"
            r"somewhat|a touch|a tad|a lot|way|far|much|even|very|really|super|quite|considerably|heavily)")
TONE_ADJ = {"brighter": ("the image", "brighter"), "lighter": ("the image", "brighter"),
            "darker": ("the image", "darker"), "dimmer": ("the image", "darker"), "sharper": ("the image", "sharper"),
            "crisper": ("the image", "sharper"), "warmer": ("the colors", "warmer"), "cooler": ("the colors", "cooler"),
            "colder": ("the colors", "cooler"), "more saturated": ("the colors", "more saturated"),
            "less saturated": ("the colors", "less saturated"), "more vivid": ("the colors", "more vivid"),
            "more vibrant": ("the colors", "more vivid"), "more colorful": ("the colors", "more vivid"),
            "more colourful": ("the colors", "more vivid"), "less colorful": ("the colors", "more muted"),
            "less colourful": ("the colors", "more muted"), "more muted": ("the colors", "more muted"),
            "duller": ("the colors", "more muted"), "blurrier": ("the image", "blurrier"),
            "more contrasty": ("the contrast", "higher"), "punchier": ("the contrast", "higher"),
            "more bright": ("the image", "brighter"), "more light": ("the image", "brighter"),
            "more dark": ("the image", "darker"), "more warm": ("the colors", "warmer"), "more cold": ("the colors", "cooler"),
            "more sharp": ("the image", "sharper"), "less bright": ("the image", "darker"), "less dark": ("the image", "brighter"),
            "less warm": ("the colors", "cooler"), "less saturated": ("the colors", "less saturated"),
            "less vivid": ("the colors", "more muted"), "more contrast": ("the contrast", "higher"),
            "less contrast": ("the contrast", "lower"), "more colour": ("the colors", "more vivid"),
            "more color": ("the colors", "more vivid"), "more saturation": ("the colors", "more saturated"),
            "less saturation": ("the colors", "less saturated"), "more brightness": ("the image", "brighter"),
            "more warmth": ("the colors", "warmer"), "more vibrance": ("the colors", "more vivid")}
TONE_RE = re.compile(rf"^(?:make |turn |get )?(?:it |the (?:image|colou?rs?|lighting|light) )?(?:look |a )?"
                     rf"(?P<s>{STRENGTH} )?(?:more )?(?P<a>{'|'.join(sorted(TONE_ADJ, key=len, reverse=True))})"
                     rf"(?: colou?rs?| lighting| light)?(?: (?P<s2>{STRENGTH}))?(?: than (?:before|now|that))?$")
LEVEL_RE = re.compile(rf"^(?P<d>increase|boost|raise|up|add|more|bump up|crank up|turn up|reduce|lower|decrease|less|"
                      rf"tone down|turn down|drop|cut|soften)(?: the)?(?: (?P<s>{STRENGTH}))?(?: (?:more|less))?"
                      rf" (?P<x>contrast|saturation|brightness|exposure|warmth|sharpness|colou?rs?|vibrance)"
                      rf"(?: (?P<s2>{STRENGTH}))?(?: (?:up|down))?$")
GREETING = re.compile(r"^(hi|hello|hey|good (morning|afternoon|evening|night|day)|howdy|yo|hiya|greetings|salaam|salam|"
                      r"namaste|hola|bonjour|ciao|hallo|ola|merhaba|shalom|konnichiwa|g'?day)\b")
THANKS = re.compile(r"^(?:(?:ya|yah|yeah|yea|yep|yup|ok|okay|k|oh|aw+)[,!. ]+)?(thanks|thank you|thx|ty|cheers|perf|perfect|perfecto|slay|gracias|merci|danke|grazie|obrigad[oa]|arigato|dhanyavaad|shukriya|xie ?xie|great|perfect|awesome|nice|good job|great job|well done|"
                    r"cool,? thanks|looks (good|great|better|amazing|lovely)|love it|(?:much |way )?better|lovely|"
                    r"brilliant|excellent|fantastic|wonderful|amazing|beautiful|exactly|that'?s (?:it|lovely|great|"
                    r"perfect|better|nice|good|exactly it|what i wanted))\b")
HELP = re.compile(r"\b(help|what can you do|how does this work|how do i|what else (?:can )?(?:you )?(?:are able to |can |could )?do)\b|^(?:can|could|do) you (?:\w+ )?(?:edit|change|do|handle|"
                  r"work with|make edits to|fix|retouch)\b.*\b(?:photos|pictures|images|things|stuff|anything|faces)$")
SUMMARY = re.compile(r"\b(what (have|did) you (changed?|done|do)|what changes|what'?s changed|what changed|"
                     r"list (the )?edits|summar|so far|(?:did|have) you (?:change|do|edit)(?:d)? anything|"
                     r"what did i (?:ask|say|want)|remind me|which edits|what edits|history of|what'?s (?:different|new)|"
                     r"what is (?:different|new)|what did you change|list of (?:changes|edits)|show me the (?:changes|edits)|"
                     r"how many edits|what have i (?:changed|done|asked for)|what do we have so far)\b")
CORRECTION = re.compile(r"^(?:(?:no|nope|not that|actually|wait|hmm+|sorry|instead|oh|on second thoughts?|second thoughts|"
                        r"scratch that|change of plan|i meant|i mean|too (?:much|intense|strong|"
                        r"bright|dark|many|loud|saturated)|is too (?:much|many)|not quite|almost|close|rather)\b[,!.]?\s*)+"
                        r"(?P<rest>.*)$")
BYE = re.compile(r"\b(bye|goodbye|that'?s all|that is all|i'?m done|all done|see you|that'?s it for (?:now|today)|"
                 r"done for (?:now|today)|that will be all|i'?m good for now|gotta go|got to go|have to (?:go|run)|"
                 r"(?:i )?need to (?:go|run)|talk (?:to you )?later|ttyl|cya|good ?night|night night)\b")
CHITCHAT = re.compile(r"^(?:how are you|how'?s it going|what'?s up|who are you|what(?:'s| is) your name|are you (?:a )?"
                      r"(?:bot|robot|human|ai|real)|lol|haha+|hehe|wow|cool|ok(?:ay)?|sure|yes|yeah|yep|no worries|"
                      r"nice|neat|interesting|hmm+|i see|got it|good|fine|alright|you'?re (?:great|awesome|good|the best|"
                      r"amazing|smart|funny|fast)|good (?:bot|job|work)|that'?s (?:cool|nice|funny|amazing|great|"
                      r"interesting|neat|wild|impressive)|nice weather|i like (?:it|this|that)|i love (?:it|this|that)|"
                      r"this is (?:fun|cool|great|nice|amazing)|you'?re welcome|no problem|never ?mind|nvm|nothing|"
                      r"not now|maybe later|just looking|just browsing|just testing|testing|test|let me think|let me see|"
                      r"thinking|one sec|one moment|just a sec(?:ond)?|give me a (?:sec|second|minute|moment)|hold on|wait|"
                      r"not bad|hm+|ok(?:ay)?,? let'?s see|i'?m thinking|(?:lmao+|lol+|omg|haha+),? (?:look at (?:him|her|them|it|this|that)|"
                      r"so (?:cute|funny|nostalgic|good|pretty))|(?:ah+|oh+|aw+),? so (?:nostalgic|cute|pretty|lovely|good)|"
                      r"look at (?:him|her|them|this|that)(?: go)?|look at (?:his|her|their|the) [a-z]+|brb\b.*|"
                      r"(?:thanks|thank you|ty|cheers),? (?:it )?looks? (?:so |really |very )?(?:cozy|cosy|great|good|nice|lovely|"
                      r"amazing|perfect|beautiful|better)|(?:sorry,? )?wrong (?:chat|window|person)|legend|champ|"
                      r"(?:ok(?:ay)?,? )?give me a (?:sec|second|minute|moment)(?: to think)?|can i (?:undo|save|download|share|export|"
                      r"come back|use|change my mind)\b.*|(?:cool|nice|ok(?:ay)?|great)(?:,? (?:cool|nice|ok(?:ay)?|"
                      r"great))+|(?:hmm+,? )?(?:i'?m )?not sure (?:what i want|yet)(?: yet)?(?:,? let me think)?|"
                      r"can i (?:download|save|export|share|print|get) .+|how do i (?:download|save|export|share|print) .+)"
                      r"(?:[ ,!.]+(?:today|doing|there|then|man|buddy|friend|mate|bot|lol|haha|thanks|really))*$")
HELP_TEXT = ("I edit the picture as you ask: colours, replacing or removing things, adding objects, styles "
             "(watercolor, sketch), the scene (\"move it to the beach\"), time and weather, and photo looks "
             "(brighter, warmer, black and white). Say \"undo\" or \"forget the ...\" to take an edit back.")
IMPERATIVE = re.compile(r"^(make|turn|change|add|remove|give|put|let|show|apply|replace|draw|paint|mirror|flip|"
                        r"rotate|crop|blur|sharpen|brighten|darken|lighten|colorize|zoom|straighten|fill|place|"
                        r"switch|swap|transform|convert|set|erase|delete|insert|increase|reduce|boost|lower|enhance|"
                        r"fix|restore|tint|cover|decorate|dress|surround|light|color|colour|recolou?r|shrink|enlarge|"
                        r"move|hide|reveal|open|close|extend|warm|cool|saturate|desaturate|invert|clean|tidy|whiten|smooth|soften|"
                        r"retouch|straighten|dye|cut|trim|write|label|dress)\b")
CONNECTOR = re.compile(r"^(?:(?:and|now|also|then|next|ok|okay|alright|so|great|nice|good),?\s+)+")


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


MASS = {"ice", "grain", "snow", "fog", "rain", "light", "contrast", "warmth", "noise", "sparkle", "glow", "color", "colour",
        "sunlight", "sunshine", "mist", "smoke", "fire", "water", "grass", "sand", "glitter", "blur", "haze", "steam",
        "lightning", "confetti", "magic", "texture", "detail", "depth", "drama", "shadow", "shade", "bokeh"}


# a value that names no value: "a different animal", "another breed", "some other style", "something fun"
VAGUE_VALUE = re.compile(r"^(?:a |an |some )?(?:(?:different|another|other|new|some other|any)(?: [a-z]+){1,2}|something(?: [a-z]+)?|"
                         r"anything(?: [a-z]+)?|(?:an? )?(?:accessory|outfit|animal|breed|style|art style|hairstyle|makeover|"
                         r"thing|change|effect|filter))(?: (?:for|on|to) (?:this|it|the (?:picture|photo|image))| here| instead)?$")


def _placeholder(v: str) -> bool:
    if VAGUE_VALUE.match(v.strip()) or re.search(r"\bsome(?:one|body) else\b|\b(?:a )?different [a-z]+(?: (?:on|for) "
                                                r"(?:him|her|them|it))?$|\bsomething$", v.strip()):
        return True
    v = re.sub(r"^(a|an|the|some)\s+", "", v.strip())
    v = re.sub(r"^(?:a bit |a little |even |much )?more ", "", v) if v not in PLACEHOLDERS else v
    v = re.sub(r"\s+(one|colou?r|thing|object|style|place|background)$", "", v)
    return v in PLACEHOLDERS or not v


def _the(noun: str) -> str:
    noun = noun.strip()
    return noun if re.match(r"^(the|his|her|their|its|my|your|a|an)\b", noun) or noun in PRONOUNS else f"the {noun}"


def _a(noun: str) -> str:
    noun = noun.strip()
    if re.match(r"^(a|an|the|some|one|two|three|four|five|many|several|lots|\d+)\b", noun) or _placeholder(noun):
        return noun
    head = re.split(r" (?:on|in|to|at|near|next|by|with|over|under|behind|from|for|of|around|across|along|onto|into|"
                    r"inside|beside|between|above|below|grazing|flying|sitting|standing|running|lying|coming|going|rising|falling|"
                    r"floating|hanging|growing|pouring|drifting|swimming|walking|playing) ", noun)[0].split()[-1]
    if re.search(r"[^s]s$", head) and not re.search(r"(?:us|is|ss|ous)$", head):
        return noun  # "tulips", "mushrooms on the pizza": plural, no article
    if head in MASS:
        return noun  # "film grain", "snow": no article
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


COLOUR_RE = "|".join(COLOURS)
PREFERRED = frozenset(COLOURS) | {w for k in list(STYLES) + list(CONDITIONS) for w in k.split()}
PATTERNS: list[tuple[str, str]] = [
    # "sky purple": a thing and a colour, nothing else
    ("color", rf"^(?P<t>(?:the )?(?!(?:make|turn|change|paint|add|remove|put|give|it|this|that|more|less|and|or|in|matte|glossy|"
              rf"dark|darker|light|lighter|pale|bright|deep|hot|baby|navy|soft|pastel|neon|warm|cool|dusty|rich|vivid|muted|"
              rf"metallic|electric|royal|sky|forest|olive|mint|all|some|any|only|just|very|really)\b)[a-z]+) "
              rf"(?P<v>(?:(?:dark|light|pale|bright|deep|hot|baby|navy) )?(?:{COLOUR_RE}))$"),
    # "no tattoos", "NO CLOUDS": take them out
    ("remove", r"^no (?:more )?(?P<t>(?!(?:thanks|thank|worries|problem|way|idea|rush|need|wait|worry|clue|pressure|stress|"
               r"biggie|matter|more)\b)[a-z]+(?: [a-z]+)?)$"),
    # "paint the walls terracotta", "dye her hair platinum": a paint verb, a thing, a colour word we may not know
    ("color", r"^(?:paint|repaint|dye) (?P<t>(?:the|her|his|their|its|my) (?:[a-z']+ ){0,2}[a-z']+) (?P<v>(?!and\b|with\b)[a-z]+)$"),
    # colour: "make the car blue", "turn her eyes blue", "change the colour of the car to blue"
    ("color", r"^(?:change|make|turn|paint|color|colour|recolou?r) (?:the )?colou?r of (?P<t>.+?)(?: (?:to|into) (?P<v>.+))?$"),
    ("color", rf"^(?:change|make|turn|paint|color|colour|recolou?r) (?P<t>.+?) (?:to |into )?(?:a |an )?(?P<v>(?:(?:dark|darker|deep|light|lighter|pale|bright|matte|pastel|hot|soft|softer|navy|hazel|neon|royal|baby) )?(?:{COLOUR_RE})|(?:a |an )?(?:different|another|other|new|nicer|better) colou?r)$"),
    ("color", r"^(?:change|make|turn) (?:the )?colou?r$"),
    ("color", r"^(?:change|alter|switch|pick) (?P<t>(?:the|my|his|her|their|its) (?:[a-z]+ ){0,2}?[a-z]+?)'?s? colou?r(?: scheme)?$"),
    ("replace", r"^(?:replace|swap|substitute) (?P<t>.+?)(?: (?:with|for|by) (?P<v>.+))?$"),
    ("replace", r"^(?:turn|change|transform|make) (?P<t>.+?) (?:into|to) (?P<v>.+)$"),
    ("add", r"^(?:add|put|place|insert|draw|include) (?P<v>.+?)(?: (?:in|to|into|on) (?:the )?(?:picture|image|photo|scene))?$"),
    ("remove", r"^(?:remove|delete|erase|get rid of|take away|take out) (?P<t>.+)$"),
    ("scene", r"^(?:move|put|place|take|send) (?:it|them|everything|the scene) (?:to|on|in|into|onto) (?P<v>.+)$"),
    ("scene", r"^(?:change|make|turn) the (?:background|setting|scene) (?:to|into) (?P<v>.+)$"),
    ("scene", r"^(?:make|set) the (?:background|backdrop|setting|scene) (?P<v>(?:a|an) [a-z' ]+)$"),
    ("size", r"^(?:make) (?P<t>.+?) (?P<v>bigger|smaller|larger|taller|shorter|wider|thinner)$"),
]


def _with(said: str, v: str) -> str:
    """A look keeps what the user asked to come with it: "make it night with car light trails"."""
    w = re.search(r" with (?P<w>[a-z' -]+)$", v)
    return f"{said} with {w.group('w')}" if w and w.group("w") not in said else said


SUBJECT = re.compile(r"^(?:(?:and|but|also|ok|okay|now|hmm+|ugh)[, ]+)*(?:the|my|her|his|their|our|this|that|these|those) "
                     r"(?P<n>[a-z]+(?: [a-z]+)?) (?:is|are|looks?|seems?|was|were|got|feels?|isn'?t|aren'?t|is looking|are looking)\b")
NOT_A_THING = ("picture", "photo", "image", "shot", "pic", "colours", "colors", "colour", "color", "lighting", "light",
               "whole thing", "whole picture", "whole photo", "overall", "tones", "exposure", "contrast", "quality", "edit", "result")


def _on_subject(instr: str, t: str) -> str:
    """A complaint's tone fix put on the thing complained about: "the sky is a bit dull" -> "make the colors of
    the sky more vivid", "the cat is too dark" -> "make the cat brighter"; the whole picture otherwise."""
    m = SUBJECT.match(t)
    if not m or m.group("n") in NOT_A_THING or m.group("n").split()[-1] in NOT_A_THING:
        return instr
    n = f"the {m.group('n')}"
    if instr.startswith("make the colors "):
        return instr.replace("make the colors ", f"make the colors of {n} ", 1)
    if instr.startswith("make the image "):
        return instr.replace("make the image ", f"make {n} ", 1)
    if instr.startswith("fix the color balance"):
        return f"fix the color balance of {n} and remove the color tint"
    return instr


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
    if re.search(r"\b(?:messy|a mess|untidy|cluttered|disorganised|disorganized)\b", t) and noun and \
            not re.search(r"\b(?:behind|background|back)\b", t):
        return f"tidy up the {noun} and remove the clutter"
    if re.search(r"\bblink(?:ed|ing|s)?\b|\beyes (?:are |were )?(?:closed|shut|half.closed)\b", t):
        who = "her" if re.search(r"\b(?:she|her)\b", t) else "his" if re.search(r"\b(?:he|his|him)\b", t) else "their"
        return f"open {who} eyes"
    if re.search(r"\b(?:so|too|very|really|super|kinda|a bit) (?:shiny|oily|greasy|sweaty)\b", t):
        return f"reduce the shine on the {noun or 'skin'}"
    if (m := re.search(r"\b(?P<d>dust|smudges|fingerprints|scratches|stains|water spots|spots|scuffs)\b(?: (?:all )?(?:over|on) "
                       r"(?P<on>(?:the|my|her|his) [a-z]+))?", t)) and re.search(r"\b(?:there'?s|there are|so much|covered|full of|all "
                                                                                   r"over|dusty|look at)\b", t):
        return f"remove the {m.group('d')}" + (f" from {m.group('on')}" if m.group("on") else "")
    if re.fullmatch(r"(?:declutter|de-clutter|tidy up|clean up)(?: it| this| the (?:photo|picture|image|room|scene))?", t):
        return "remove the clutter"
    if re.search(r"\b(?:wrinkly|wrinkled|creased|crumpled|crinkled)\b", t) and noun:
        return f"remove the wrinkles from the {noun.split()[-1]}"
    if re.search(r"\bwhy (?:is|are|does|do) .*\b(?:blue|yellow|orange|green|magenta)\b(?! in (?:real life|general|nature))", t) \
            and not re.search(r"\bin (?:real life|general|nature)\b", t):
        return "fix the color balance and remove the color tint"
    if (m := re.fullmatch(r"make (?P<t>(?:the|her|his|their|my) [a-z' ]+?) less(?: (?:visible|noticeable|obvious|prominent))?", t)):
        return f"reduce {m.group('t')}"
    if re.search(r"\b(?:demon|red|glowing) eyes?\b|\bred.eye\b", t):
        return "remove the red eye"
    if re.search(r"\b(?:so much|too much|lots of|full of) (?:grain|noise)\b|\bgrainy\b|\bnoisy\b", t):
        return "reduce the noise and the grain"
    if (m := re.match(r"^(?:that|the|this|those|these) (?P<n>[a-z]+(?: [a-z]+)?) (?:ruins?|spoils?|wrecks?) (?:the|it|everything)\b", t)):
        return f"remove the {m.group('n')}"
    if re.search(r"\bblown.out\b", t) and noun:
        return f"recover the detail in the {noun}"
    if re.search(r"\b(?:white blob|blinding|glare|glaring)\b", t) and noun:
        return f"reduce the glare of the {noun}"
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


def parse(text: str) -> Frame | None:
    """A frame for an editing request, or None when the text is not one."""
    t = " ".join(re.sub(r"[?!.]+$", "", text.lower().strip()).split())
    t = CONNECTOR.sub("", t)
    t = re.sub(r"^(?:please|can you|could you|would you|i want you to|i'd like you to|let's|lets)\s+", "", t)
    t = re.sub(r"\s+please$", "", t)
    if (said := _implicit_named(t)) is not None:
        return Frame("global", value=said)
    for pat, instr in IMPLICIT:
        if re.search(pat, t) and not re.match(r"^(?:make|turn|change|paint|add|remove|replace|put)\b", t):
            return Frame("global", value=_on_subject(instr, t))
    for word, instr in GLOBAL.items():
        if re.fullmatch(rf"(?:make )?(?:it|the image|the picture)? ?{word}", t):
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
            if re.search(rf"\b{key}\b(?! (?:{COLOUR_RE})\b)", v):  # "neon green" is a colour, not neon art
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
        m = re.match(pat, t)
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


DANGLING = re.compile(r"^i (?:want|'d like|would like|need) (?:the|her|his|their) [a-z]+$|(?:^(?:make|turn|change|replace|remove|add|put|give|swap|paint|colou?r|recolou?r|move|delete|"
                      r"erase|insert|draw|let|can you|could you|please)(?: (?:it|her|him|them|this|that))?$)|"
                      r"\b(?:a|an|the|some|more|less|be|become|than|and|or|my|your|his|their|its|very|really|"
                      r"make it look|(?:should|would|could|to|must) (?:look|be|become)|needs|wants|requires|could use)$|"
                      r"^(?:add|put|make|give|place|draw|insert)\b.* (?:a few|a couple(?: of)?|a lot of|a bunch of|a pair of|"
                      r"lots of)$|^give (?:the [a-z]+|her|him|them|it|this)$|"
                      r"^(?:make|turn|change|replace|put|add|give|swap|paint|move|i'?d like to add|add)\b(?:\s\S+){0,3} "
                      r"(?:into|like|to|with|of|for|on|in|at|as|next to)$")


def _dangling(text: str) -> bool:
    """A request cut short: it ends where a complement must follow ("put a", "make the sky more", "give her")."""
    text = re.sub(r"^i(?:'d| would) like to ", "", text)
    if re.fullmatch(r"make .+ (?:sparkle|shine|glow|pop|stand out|shimmer|gleam) (?:a (?:bit|little|lot) )?(?:more|less)", text):
        return False  # "make the jewellery sparkle more"
    if text.endswith((" more", " less")) and (f := parse(text)) is not None and f.missing() is None and \
            f.family in ("global", "condition"):
        return False  # "make the colours pop more"
    if re.fullmatch(r"(?:make|turn|cut|dye|style) (?:the|her|his|their|its|my) (?:[a-z]+'s )?[a-z]+"
                    r"(?: look)?(?: (?:like (?:they'?re|it'?s|he'?s|she'?s|they are|it is)|to|into|like|as))?", text) \
            and not re.search(rf"\b(?:{COLOUR_RE}|brighter|darker|bigger|smaller|pop)$", text):
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


REGRET = re.compile(r"\b(?:(?:i'?d|i would) rather not|rather not have|bad idea|not a good idea|looks? (?:wrong|bad|weird|"
                    r"fake|odd|off)|ruins it|doesn'?t fit|out of place|can go|has to go|must go|needs to go|should go|is wrong|was wrong|that'?s wrong|was (?:a )?mistake|never ?mind|not into|(?:don'?t|not|no) (?:like|want|love)|no longer want|changed my mind|no more|"
                    r"take away$|please delete$|(?:want|give me) (?:my|the) original [a-z ]+ back|"
                    r"not a fan of|doesn'?t (?:work|look (?:good|right))|isn'?t working|is too much|enough of|without the|"
                    r"(?:, )?undo$|(?:, )?undo (?:it|that)|"
                    r"(?:i )?asked for (?:earlier|before)|you added|you did|after all|get rid of it|take it (?:out|away|off|back)|"
                    r"lose it|drop it|remove it|undo it|scrap it|ditch it|stay (?:a|as) (?:photo|it was)|keep it (?:a|as))\b")


# "keep the shades tho", "leaves can stay", "hair stays": nothing to do (after the forget readers had their say)
KEEP = re.compile(r"(?:(?:but |and )?keep (?:the |her |his |their |my )?[a-z' ]+?|(?:the |her |his |their |my )?[a-z' ]+? "
                  r"(?:can|should|may|will|must) stay|(?:the |her |his |their |my )?[a-z' ]+? stays?|leave (?:the |her |his |"
                  r"their |my )?[a-z' ]+? (?:as (?:it is|is|they are)|alone|be))(?: (?:though|tho|for sure|please|pls|as is|"
                  r"as it is|too|then|i guess|haha|lol))*[.!]*")


def _regret(text: str, state: ConversationState) -> ForgetTarget | None:
    """"the snow was a mistake, take it out", "never mind the painting effect": forget the edit it names."""
    if not state.edits:
        return None
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


COLOUR_MOD = (r"(?:(?:off|dark|darker|deep|deeper|light|lighter|pale|paler|bright|brighter|soft|softer|matte|glossy|hot|baby|"
              r"pastel|neon|warm|cool|dusty|rich|vivid|muted|hazel|olive|forest|sky|royal|electric|metallic|mint|"
              r"emerald|ruby|sapphire|lemon|cherry|blood|sea|bluish|greenish|reddish|yellowish)[ -])")
COLOUR_PHRASE = rf"(?:{COLOUR_MOD}{{0,2}}(?:{'|'.join(COLOURS)}))"


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
                         r"(?P<a>darker|lighter|deeper|paler|brighter|softer)(?: shade| one| tone)?(?: please| maybe)?", text)
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
                  rf"(?: (?:one|colou?r|shade|tone))?(?: instead| please)?$", t)
    if m:
        return Frame("color", old.target, m.group("c")).instruction()
    m = re.fullmatch(rf"(?P<s>(?:{STRENGTH} )?(?:less|more)) (?P<c>{COLOUR_RE})", re.sub(r"^(?:make it|make them) ", "", text))
    if m and m.group("c") == old.value.split()[-1]:
        return f"make {old.target} {m.group('s')} {m.group('c')}"  # "a bit less red"
    return None


STATEMENT = re.compile(r"^(?:the [a-z' ]+ (?:is|are|was|were) (?:my|our|his|her|their)\b|(?:he|she|they|you)'ll (?:love|like)\b|this was|that was|(?:is|are|do|does|did|was|were|where|who|why|when|how) .+\?$|this is|that'?s|it'?s|it was|here'?s|here is|these are|i have|i had|i'?m|i am|i took|"
                       r"we|my|our|i love|i like|i went|i was|they|he|she|what do you think|do you)\b")
REQUEST_CUE = re.compile(r"\b(?:should|could|would|needs?|want|wish|more|less|too|please|instead|without|make|remove|"
                         r"change|turn|put|add|give|fix|looks?|feels?|seems?)\b|\b\w+er\b")


def _subtler(text: str, prev: Turn | None, state: ConversationState) -> str | None:
    """Right after an edit, "too much, tone it down" redoes it subtly; "not enough, push it further" strongly."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    last = re.sub(r" (?:subtly|strongly)$", "", state.edits[-1].instruction)
    if re.search(r"^(?:too much|that'?s too much|way too much|overdone|too strong|a bit much|tone it down|not so much|"
                 r"too intense|less)\b|\btone it down\b|\btoo (?:strong|much|intense)\b", text):
        return f"{last} subtly"
    if re.search(r"^(?:not enough|more|stronger|even more)$|\b(?:push it further|go further|not enough|stronger|even more)\b", text):
        return f"{last} strongly"
    return _comparative(text, last)


COMPARATIVES = ("bigger smaller larger thicker thinner brighter darker lighter warmer cooler softer stronger weaker heavier "
                "denser taller shorter wider narrower longer redder bluer greener pinker fluffier sharper smoother "
                "fewer more less higher lower closer further subtler bolder brighter dimmer fainter paler").split()
OPPOSITE = {"big": "smaller", "large": "smaller", "small": "bigger", "dark": "brighter", "bright": "darker", "thick": "thinner",
            "thin": "thicker", "strong": "softer", "much": "less", "heavy": "lighter", "light": "darker", "tall": "shorter",
            "short": "taller", "wide": "narrower", "long": "shorter", "many": "fewer", "few": "more", "dramatic": "less dramatic",
            "busy": "simpler", "saturated": "less saturated", "warm": "cooler", "cold": "warmer", "cool": "warmer"}
DEGREE = r"(?:(?:a |just a )?(?:bit|little|lot|tad|touch|smidge)(?: more| less)? |much |way |even |slightly |somewhat |still )"


POSITIVE = frozenset("good great nice better amazing perfect fine cute beautiful lovely awesome real natural right gorgeous "
                     "stunning fantastic wonderful brilliant excellent cool incredible fab adorable sweet ok okay done same "
                     "it there here thrilled happy excited pleased delighted glad proud impressed speechless".split())


def _comparative(text: str, last: str) -> str | None:
    """A comparative said right after an edit changes that edit: "bigger" -> "add a hat on him, bigger";
    "too big now, halfway between" -> "..., a bit smaller"; "not that dramatic" -> "..., less dramatic"."""
    t = re.sub(r"^(?:(?:and|but|ok(?:ay)?|now|hmm+|eh|so|maybe|actually)[, ]+)+", "", text).strip(" .!")
    t = re.sub(r"(?<=er) up$|(?<=er) down$|(?<=er) still$", "", t)  # "higher up", "a bit lighter still"
    t = re.sub(r"^make (?:it|them) (?=\w+er$|(?:a |just a )?(?:bit|little|lot|tad) \w+er$)", "", t)  # "make it fainter"
    t = re.sub(r"(?:,? (?:please|pls|now|overall|than that|this time|instead|though|somewhere in between|in between|"
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
        elif IMPERATIVE.match(p) and f is None:
            said.append(p)  # "make the river frozen": an explicit part the rules do not read, kept as said
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


OPEN_QUESTION = "I'm not sure what to change."


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
        if not raw:
            return Reply("ask", "What would you like to change in the image?")
        if not re.search(r"[a-zA-Z]", raw):  # "😂😂😂", "👍"
            return Reply("chat", "Tell me whenever you'd like to change something in the picture.")
        return self._understand(state, raw, top=True) or self._guess(state)

    def _understand(self, state: ConversationState, raw: str, top: bool = False) -> Reply | None:
        """The rules' sure reading of `raw`, said as the last user turn: first as a whole, then clause by
        clause ("Hi there! Could you give the dog a bandana?", "nah, go back to the original",
        "keep the walls but undo the bedding change"); None when no rule reads it."""
        sub = state if top else _saying(state, raw)
        prev = _last_assistant(state.turns)
        which = re.fullmatch(r"(?:(?:ok|okay|hmm+|so|and)[, ]+)?(?:the|that|your) (?P<o>first|second|third|1st|2nd|3rd|last) "
                             r"(?:change|thing|edit|one)[,:]? (?P<rest>(?:go|make|a bit|a little|more|less|but|in|with|try)\b.+)",
                             raw.lower().strip(" .!"))
        if which and state.edits:  # "the first change, go a bit more lavender": that edit, revised
            k = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}.get(which.group("o"), len(state.edits))
            if k <= len(state.edits):
                old = state.edits[k - 1].instruction
                rest = re.sub(r"^(?:go|make it|make them|try)\s+", "", which.group("rest"))
                new = _swap_colour(old, re.sub(r"^(?:a bit |a little |more |slightly )+", "", rest)) or f"{old}, {rest}"
                return Reply("edit", f"Changing edit {k}: {new}.", instruction=new, forget=ForgetTarget("one", index=k))
        changed = MIND_CHANGE.match(raw)
        if changed and (first := self._understand(state, changed.group("a"))) is not None and first.action == "edit":
            # "make it gold... no wait, silver": the first request as if done, then the rest read as its revision
            swapped = _swap_colour(first.instruction, changed.group("b"))
            if swapped is not None:
                return Reply("edit", f"Editing: {swapped}.", instruction=swapped, forget=first.forget)
            then = self._understand(_after_edit(state, changed.group("a"), first), changed.group("b"))
            if then is not None and then.action == "edit":
                return replace(then, forget=first.forget)
            return first
        if top and _cut_short_before(state, vocabulary(state)):
            return self._read(sub)  # "make it look like it was taken in" + "Tokyo, with the neon signs": one answer
        parts = clauses(raw)
        # 1. a forget said anywhere in the message wins ("lol ok I miss my dog, put him back")
        if state.edits and parts != [raw]:
            for part in [p for p in parts if not TOPIC.fullmatch(p.lower())]:
                target = self._forget(_saying(state, part))
                before = parts[:parts.index(part)]
                if target is not None and target.kind == "last" and before and _lend_noun(part, before) != part:
                    continue  # "u left the coffee cup, get rid of that too": "that" is the cup, not the last edit
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
        edits = [r for r in reads if r is not None and r.action == "edit"]
        if whole is not None and whole.action == "edit" and len(parts) == 2 and (instr := _also(whole.instruction, parts[1])):
            return Reply("edit", f"Editing: {instr}.", instruction=instr)
        if whole is not None and whole.action in ("edit", "forget"):
            if whole.action == "edit" and len(edits) >= 2 and len(edits) == len(reads):
                return self._combine(state, parts, reads)  # a list: "chrome wheels, black tank, blur the background"
            return whole
        if whole is not None and whole.action == "ask":
            return self._combine(state, parts, reads) if edits else whole  # "whatever, can you make the colours pop"
        return self._combine(state, parts, reads) or whole

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
                      for m in [re.search(r"\b(?:the|my|her|his|their|this|that|those|these) ([a-z]+)\b", p.lower())]
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
            instr = " and ".join(r.instruction for r in edits)
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
        return parse_forget(plain, state.edits) or parse_forget(text, state.edits) or _regret(plain, state)

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
        # 2. forget / undo (words resolved against the live edits by stems, synonyms and kind)
        target = self._forget(state, said)
        if target is not None:
            return Reply("forget", "Forgetting as asked.", forget=_resolved(target, state))
        # 3. social turns
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
            revised = self._revise(prev.instruction or "", rest)
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
        same = _same_for(text, prev, state)
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
            if frame is phrase and phrase is not None and (refined := _refine(text, plain, prev, state)) is not None and \
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
        if frame is not None and frame.family == "remove" and (k := _added_by(frame.target or "", state)) is not None:
            return Reply("forget", "Forgetting as asked.", forget=ForgetTarget("one", index=k))  # it came with an edit
        if prev is not None and prev.action == "ask" and not continued and \
                (answered := _colour_answer(_previous_user(state, vocab), text)) is not None:
            return Reply("edit", f"Got it: {answered}.", instruction=answered)  # "swap the laces" -> "neon green ones"
        if frame is not None and frame.family == "color" and frame.target and frame.value and \
                f"{frame.target.split()[-1]} {frame.value}" in (state.caption or "").lower():
            frame = _incomplete(text, state) or frame  # "make the ice cream" of "a girl holding an ice cream cone"
        if frame is not None and frame.family == "add" and re.fullmatch(
                r"(?:an? |some |the )?(?:design|stuff|things|decor|decorations?|artwork|details?|elements?)(?: (?:on|to|in|onto|"
                r"around) [a-z' ]+)?", frame.value or ""):
            return Reply("ask", _open_question(state.caption))  # "put a design on it": which?
        if frame is not None and frame.family == "add" and re.fullmatch(
                r"(?:an? |some |the )?(?:on|in|onto|to|next to|near|by|under|over|behind|beside|at) (?:the|her|his|their|my|its?)"
                r"(?: (?!(?:a|an|the|some)\b)[a-z' ]+)?", frame.value or ""):
            where = re.sub(r"^(?:an? |some |the )", "", frame.value)
            return Reply("ask", f"What should I add {where}? For example a plant, a cat or a lamp.")  # "add a on the piano"
        if frame is not None and frame.missing() is None:
            instr = frame.instruction()
            return Reply("edit", f"Editing: {instr}.", instruction=instr)
        # 6. else the answer to a pending question completes the request
        if prev is not None and prev.action == "ask" and not continued and \
                (filled := _fill_vague(_previous_user(state, vocab), text, state.caption)) is not None:
            return Reply("edit", f"Got it: {filled}.", instruction=filled)  # "give the cat an accessory" -> "a monocle"
        if prev is not None and prev.action == "ask" and not continued:
            pending = _pending_frame(state)
            if pending is not None:
                done = _complete(pending, text)
                if done is not None and done.missing() is None:
                    return Reply("edit", f"Got it: {done.instruction()}.", instruction=done.instruction())
                if done is not None and done != pending:  # one part given, another still missing
                    asked = _previous_user(state, vocab)
                    if done.missing() == "target" and any(re.search(rf"\b{w}", asked) for w in
                                                          re.findall(r"[a-z]{3,}", (state.caption or "").lower())
                                                          if w not in ("the", "and", "with")) and \
                            (answered := _refine(text, plain, prev, state)) is not None:
                        return answered  # "frosting color?" -> "mint": the thing was named in the question's request
                    return Reply("ask", _question(done, done.missing(), state.caption))
        # 7. "and a camel" right after "add a cactus": one more of the same kind of edit
        more = CONNECTOR.sub("", text).strip(" .!")
        if (frame is None and prev is not None and prev.action == "edit" and (prev.instruction or "").startswith("add ")
                and (re.fullmatch(r"(?:a|an|some|two|three|\d+) [a-z' -]+", more) or
                     re.match(r"^(?:and|also|plus) ", text) and re.fullmatch(r"[a-z' -]+?s(?: [a-z' -]+)?", more)
                     and not parse(more))):
            return Reply("edit", f"Editing: add {more}.", instruction=f"add {more}")
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
        refined = _refine(text, plain, prev, state)
        if refined is not None and (re.fullmatch(r"(?:(?:a )?(?:bit|little|lot|tad) |even |much |way |slightly )?[a-z]{3,}(?:ier|er)",
                                                 refined.instruction.rsplit(", ", 1)[-1])  # "cozier"
                                    or self._intent(raw, chat=0.95 if prev.action == "ask" else 0.5) not in ("chat", "forget")):
            return refined
        if IMPERATIVE.match(text):
            return Reply("edit", f"Editing: {text}.", instruction=text)
        if (prev is None or prev.action in ("chat", "edit")) and re.fullmatch(r"[a-z]{3,}(?<!s)s", text) and \
                text not in NOT_THINGS and text not in vocab and not _in_picture(text, state):
            return Reply("edit", f"Editing: add {text}.", instruction=f"add {text}")  # "seagulls": things to put in
        # the intent model says whether it is chat, a request in other words, or vague
        label = self._intent(raw)
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
        # a request in words no rule reads ("the sky could use some drama"): the editor gets it as said
        return Reply("edit", f"Editing: {text}.", instruction=text)

    def _intent(self, text: str, chat: float = 0.5) -> str | None:
        """The intent model's label when it is sure enough (p >= `chat` for chat, 0.6 for the others), else None."""
        if not self.intent:
            return None
        from .intent_model import default_model

        model = default_model()
        if model is None:
            return None
        label, p = model.classify(text)
        return label if p >= (chat if label == "chat" else 0.6) else None

    @staticmethod
    def _revise(last: str, rest: str) -> str | None:
        rest = re.sub(r"\s*instead$", "", rest).strip(" ,.!")
        if not rest:
            return None
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


def _resolve_pronoun(frame: Frame | None, state: ConversationState) -> Frame | None:
    """"make it smaller" right after "make the elephant pink": "it" is the last edit's target."""
    if frame is None or frame.target not in PRONOUNS or not state.edits:
        return frame
    old = parse(state.edits[-1].instruction)
    if old is not None and old.family == "add" and old.value and not _placeholder(old.value):
        thing = re.sub(r" (?:on|in|at|near|by|next to|over|under|behind|in front of|onto) .+$", "", old.value)
        return Frame(frame.family, _the(re.sub(r"^(?:a|an|some|the) ", "", thing)), frame.value)  # "add a boat", "make it bigger"
    if old is None or not old.target or old.target in PRONOUNS:
        return frame
    return Frame(frame.family, old.target, frame.value)


# what people put around a request without meaning an edit: "lol", "ew no", "you know what", "on second thought"
FILLER = re.compile(r"(?i)^(?:(?:oh my(?: god| gosh| goodness)?|lol|lmao|haha+|hehe|ok(?:ay)?|nah|no|nope|ew+|hmm+|oh|meh|whatever|you know what|"
                    r"on second thought|on reflection|actually|sorry|i'?m (?:so |really )?sorry|wait|ugh|well|so|yeah|yes|"
                    r"alright|right|oops|omg|hey|hi|hello|hiya|and|but|also|then|now|anyway|tbh|honestly|ah|aw+|please|pls|kindly|"
                    r"sorry to (?:bother|trouble) you(?: again)?|excuse me|nvm|never ?mind|there|mate|guys|folks|friend|buddy|dude|"
                    r"everyone|again|yo|sup|bro|man)\b[,!.]*\s*)+")


# a request whose object or value names nothing in particular: the user has to be asked
VAGUE_REQUEST = re.compile(r"^(?:add|put|place|draw|insert) (?:an? |some |the )?(?:on|in|onto|to|next to|near|by|under|over|behind|"
                           r"beside|at) (?:the|her|his|their|my|it)\b|^(?:fix|touch up|fix up|sort out|do something (?:with|about)) (?:me|him|her|them|us|it|this)(?: up)?$|"
                           r"^(?:add|put|place|stick) (?:a |an |some )?(?:design|stuff|things|decor|decoration|art|artwork|details?|"
                           r"elements?)s?(?: (?:on|to|in|onto|around) [a-z' ]+)?$|"
                           r"\b(?:an? (?:different|new|other) (?:[a-z]+ ){0,1}(?:animal|breed|style|look|outfit|colou?r|kind|type|"
                           r"one|thing)|(?:some|an) (?:accessory|accessories)|an accessory|what (?:she|he|they)(?:'s| is| are)? "
                           r"wearing|something (?:fun|cool|crazy|wild|interesting|different|else|nice|creative|funny|new|"
                           r"weird|special|unexpected)|anything (?:fun|cool|you like|you want)|your (?:magic|thing)|whatever you "
                           r"(?:like|want|think)|some(?:one|body) else|something about|(?:a different|another|a new) "
                           r"(?:[a-z]+ ){0,2}(?:model|theme|version|design|type|kind|look|colou?r|one|hairstyle|vibe)"
                           r"(?: (?:for|on) (?:him|her|them|it|this|me))?$|^change the colou?r scheme$|^make (?:her|him|them|it) "
                           r"(?:look )?(?:different|better)$|^(?:work on|edit|touch up|retouch|do something with) (?:this|the|my) "
                           r"(?:photo|picture|image|pic)$|^(?:add|put|place|insert) (?:a|an|some) (?:(?:famous|random|cute|"
                           r"nice|cool|little) )?(?:pet|animal|landmark|object|thing|item|decoration|character|creature|prop)s?"
                           r"(?: (?:in|to|behind|next to|on) [a-z ]+| somewhere| anywhere| here| there)?$|"
                           r"(?:put|write|add) (?:some )?(?:text|words|something) on|\b(?:a )?(?:different|other|new) (?:text|words|writing|caption|"
                           r"pattern|texture|material|shape|font|print)\b|\bdifferent [a-z]+(?: [a-z]+)?(?: (?:on|for) (?:him|her|them|it))?$|"
                           r"\b(?:holding|wearing|doing|eating|carrying|say|says) something\b|\bless boring\b|\bmore (?:interesting|exciting)\b|"
                           r"^make (?:it|this) (?:nicer|better|prettier|cooler) for (?:my|our|the) [a-z]+$|^make (?:the|her|his|their|its|my) [a-z' ]+ (?:different|"
                           r"better|nicer|prettier|cooler)$|\bin (?:another|a different|a new|some other) colou?r\b|\bsome (?:character|personality|life|flair|pizzazz|oomph|"
                           r"soul|style|magic|love)$|\bsomehow\b|^change (?:it|things) up\b|\bmore me\b|"
                           r"\bless meh\b|\b(?:change|edit|fix|tweak) (?:a few|some|a couple of) things\b|^(?:give|get) (?:the [a-z]+|her|"
                           r"him|them|it) (?:a )?(?:new|different|another) [a-z]+$|(?:put|write|add) (?:some )?(?:text|words) "
                           r"(?:at|to|in|on)\b|change what'?s written\b|^(?:change|edit|alter|fix|do|tweak) something(?: (?:in|on|"
                           r"about|with) [a-z' ]+)?$|^restyle(?: (?:it|this|the (?:photo|picture|image)))?$|change what'?s (?:on|in)|^(?:enhance|"
                           r"transform|edit|improve|modify|alter|tweak|redo|rework|retouch) (?:it|this|that|the (?:image|picture|"
                           r"photo))(?: (?:however|somehow|a bit|a little|for me|please))?$|^(?:just )?edit (?:it|this) "
                           r"(?:however|somehow|any ?way)|^make (?:it|this|her|him|them)(?: look)? (?:better|different|nicer|"
                           r"cooler|prettier) for (?:instagram|social media|insta|facebook|my profile|tiktok)$)\b")
# "that hat you put on him, (make it blue)": a topic naming an edit's thing, not a request to forget it
TOPIC = re.compile(r"(?:the|that|this|those|these|my|your) [a-z' ]+ (?:you|i|we) (?:just )?(?:put|added|add|gave|placed|"
                   r"made|drew|did|changed)(?: [a-z]+){0,2}")
# what people say about the result right after an edit: "omg it looks like a sci-fi movie", "that made me tear up"
REACTION = re.compile(r"^(?:(?:(?:it|that|this|he|she|they|you|the [a-z]+(?: one| [a-z]+)?) )?(?:looks?|made|makes|seems?|is|was|did|nailed)|i (?:love|like|adore)"
                      r" (?:it|that|this|what you|how)|(?:wow|omg|amazing|incredible|gorgeous|stunning)\b)(?!.*\b(?:too|more|less|"
                      r"should|could|but|instead|change|make|can you|wrong|bad|weird|fake|off)\b)")
# questions that ask about the assistant or the world, not for an edit; EDIT_QUESTION: "can you make it red?"
QUESTION = re.compile(r"^(?:what|which|how|why|when|where|who|is|isn'?t|are|aren'?t|do|does|did|was|were|have|has|"
                      r"can you (?!(?:make|turn|change|add|remove|put|give|paint|replace|swap|fix|crop|blur|brighten|"
                      r"darken)\b)|are you able to [a-z]+ (?:[a-z]+ )?in (?:a |an )?(?:photos?|pictures?|images?))\b")
EDIT_QUESTION = re.compile(r"^(?:what if (?:you|the|it|we|there|she|he|they|my|her|his)|how about|what about|why not|is it possible|is possible|can|could|would|will)\b")


def sentences_of(raw: str) -> list[str]:
    """The sentences of a message (split at . ! ? ; and emoji), each with letters in it."""
    raw = re.sub(r"\s*[\U0001F000-\U0001FFFF\u2600-\u27BF\uFE0F]+\s*", " ", raw).strip()  # emoji are decoration
    raw = re.sub(r"\s+[:;]-?[)(dDpP](?=\s|$)", ".", raw)  # "good morning :) please make ..."
    parts = re.split(r"(?<=[.!?;])\s+|\n+", raw)
    return [p.strip() for p in parts if p and re.search(r"[a-zA-Z]", p)]


def clauses(raw: str) -> list[str]:
    """The clauses of a message: its sentences split at commas, dashes and "but", the filler in front of
    each dropped ("nah, go back to the original" -> ["go back to the original"])."""
    out = []
    for sent in sentences_of(raw):
        for part in re.split(r"\s*[,;:]\s+|\s+[-\u2013\u2014]+\s+|\s+but\s+", sent):
            part = FILLER.sub("", part.strip(" .!?")).strip()
            if re.search(r"[a-zA-Z]{2}", part):
                out.append(part)
    return out


ADDING = re.compile(r"^(?:add|put|place|give|insert|draw|sprinkle|scatter|pour|hang|dress|drape|paint|stick|attach|pop|plop|"
                    r"apply|use|turn on|switch on)\b")


def _in_picture(target: str | None, state: ConversationState) -> bool:
    """Whether `target` ("the stripes") names something of the caption or of a live edit."""
    from .recall import stems

    want = stems(re.sub(r"^(?:the|that|those|these|this|my|her|his|their|its)\s+", "", target or ""))
    said = " ".join([state.caption or "", *(e.instruction for e in state.edits)]).lower()
    return not want or bool(want & stems(said))


SAME_THING = 0.5  # MiniLM similarity from which a thing the photo lacks is taken for the thing an edit added


def _similarities(text: str, others: list[str]) -> list[float] | None:
    from .intent_model import similarities

    try:
        return similarities(text, others)
    except ImportError:
        return None


def _added_by(thing: str, state: ConversationState) -> int | None:
    """The live edit that put `thing` into the picture ("the sugar" after "sprinkle powdered sugar on the tart"):
    removing it means forgetting that edit, not editing again."""
    from .recall import stems

    bare = re.sub(r"^(?:the|that|those|these|this|my|her|his|their)\s+", "", thing)
    want = stems(bare)
    if not want:
        return None
    added = [(e.index, re.split(r" (?:on|to|in|over|onto|into|around|by|next to|near|\w+ing|that|which|with) ",
                                ADDING.sub("", e.instruction.lower()))[0])
             for e in reversed(state.edits) if ADDING.match(e.instruction.lower())]
    for index, what in added:
        if want <= stems(what):
            return index
    # "the boat" after "put a canoe by the dock": a thing the photo did not have, like one an edit added
    if added and not want & stems(" ".join(caption_nouns(state.caption))) and (
            sims := _similarities(bare, [what for _, what in added])) is not None:
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


REQUEST_FORM = re.compile(r"\b(?:can|could|would|will) (?:you|u|we)\b|\bplease\b|\bpls\b|\bi(?:'d| would)? (?:like|want|need)\b|"
                          r"\blet'?s\b|^(?:maybe|just|try|now|then|and|so)\b|\bwould (?:love|appreciate)\b|\bhow about\b")


def _requests(sentence: str, state: ConversationState) -> bool:
    """Whether a sentence of a longer message asks for something (an imperative, "can you ...", "I'd like
    ..."), rather than telling the story around it ("I'm selling this car online.")."""
    text = normalize(sentence, vocabulary(state))
    return bool(IMPERATIVE.match(text) or REQUEST_FORM.search(sentence.lower()) or
                _forget_words(sentence.lower()))


def _forget_words(t: str) -> bool:
    return bool(re.search(r"\b(?:undo|revert|scrap|forget|take (?:it|that|them|the [a-z]+) back|go back|put (?:it|them|the [a-z]+) "
                          r"back|bring (?:it|them|the [a-z]+) back|return it)\b", t))


NP = re.compile(r"\b(?:a|an|the|my|our|his|her|their|some) ((?:(?!(?:on|in|at|of|with|next|to|is|are|was|were|and|but|looks?|"
                r"from|by|behind|near|has|have|had|still|just|really|kind|so|would|could|should|can|will|steals?|makes?|"
                r"seems?|feels?|needs?|which|that|who|right|here|there)\b)[a-z-]+ ?){1,3})")
ABSTRACT = {"photo", "picture", "image", "shot", "pic", "listing", "menu", "way", "day", "time", "walk", "side", "issue",
            "problem", "thing", "reason", "point", "focus", "fact", "idea", "trip", "moment", "week", "year", "weekend"}


def _lend_noun(sentence: str, context: list[str]) -> str:
    """A request sentence whose "that"/"it" is the thing the sentence before it named ("There's a garden hose
    on the ground. Can you get rid of that?" -> "... get rid of the garden hose"); else the sentence as said."""
    if not context:
        return sentence
    ctx = re.sub(r"\b(?:a couple|a few|a pair|a bunch|a lot|lots) of\b", "some", context[-1].lower())
    nouns = [m.group(1).strip() for m in NP.finditer(ctx)]
    nouns = [n for n in nouns if n.split()[-1] not in ABSTRACT and n.split()[0] not in ABSTRACT]
    if not nouns:
        return sentence
    the = f"the {nouns[0]}"
    t = sentence.lower()
    t2 = re.sub(r"\b(get rid of|remove|delete|erase|take out|take away|hide|make|turn|paint|colou?r|recolou?r|fix|brighten|"
                r"darken|straighten|tidy up|clean up|touch up|give|update|change|repaint) (?:it|that|this|them|those)\b",
                rf"\1 {the}", t, count=1)
    t2 = re.sub(r"\b(tidy|clean|fix|touch|smooth|brighten|light|cheer|warm|cool|dry) (?:it|that|this|them) (up|down|out)\b",
                rf"\1 {the} \2", t2, count=1)
    t2 = re.sub(r"^((?:please |can you |could you |pls )*(?:make|paint|turn|colou?r))(?= (?:more |less |a bit |a little |very )?"
                r"[a-z]+[?.!]*$)", rf"\1 {the}", t2, count=1)  # "The cat is too dark. Please make bright"
    if re.search(r"\badd\b", t2):
        t2 = re.sub(r"\b(on|onto|around|over|to) (?:it|them)\b", rf"\1 {the}", t2, count=1)
        t2 = re.sub(r"\badd (two|three|four|a few|some|more|one|a couple(?: more)?)(?: or (?:two|three|four|five))?(?=[?.!]*$)",
                    lambda m: f"{m.group(0)} {nouns[0]}", t2, count=1)
    return t2 if t2 != t else sentence


def _thing(piece: str) -> bool:
    """A piece of a list that names a thing, no verb ("glow in the dark stars on the ceiling")."""
    p = piece.lower().strip(" .!?")
    return (0 < len(p.split()) <= 8 and not re.match(r"^(?:i|we|he|she|it|they|this|that|there|you|my|our|the)\b", p)
            and not re.search(r"\b(?:is|are|was|were|be|been|looks?|seems?|has|have|had|do|does|did|can|could|would|will|should|"
                              r"too|so|very|not|no|please|thanks?)\b", p) and not IMPERATIVE.match(p))


def _same_for(text: str, prev: Turn | None, state: ConversationState) -> str | None:
    """Right after an edit, "and the bikes on the wall too" does the same to another thing."""
    if prev is None or prev.action != "edit" or not state.edits:
        return None
    too = re.fullmatch(r"(?:and|also|plus|now)? ?(?P<n>(?:the|her|his|their|its|my) [a-z' ]+?),? (?:too|as well|also)", text)
    if not too:
        return None
    last = state.edits[-1].instruction
    if (m := re.match(r"^(remove|delete|erase|blur|brighten|darken|sharpen|straighten) ", last)):
        return f"{m.group(1)} {too.group('n')}"
    if (m := re.fullmatch(r"make (?P<t>.+?) (?P<v>\S+)", last)):
        return f"make {too.group('n')} {m.group('v')}"
    return None


def _colour_answer(asked: str, answer: str) -> str | None:
    """A colour (or colours and a pattern) given as the answer to a question about a thing: "swap the laces" +
    "neon green ones", "the tablecloth needs a different pattern" + "red and white gingham"."""
    a = re.sub(r"[,.!?]", "", answer.lower()).strip()
    if not re.match(rf"(?:an? )?{COLOUR_PHRASE}\b", a) or len(a.split()) > 7 or IMPERATIVE.match(a):
        return None
    m = re.search(r"\b(?:the|her|his|their|my|its|our) (?!(?:photo|picture|image|colou?rs?|background|pic|shot)\b)"
                  r"[a-z]+(?:'s [a-z]+)?(?: [a-z]+)?", asked)
    if m is None:
        return None
    target = re.sub(r" (?:a|an|the|be|needs?|make|to|in|with|into|different|another|some|new|it|colou?r)$", "", m.group(0))
    target = re.sub(r" (?:a|an|the|be|needs?|make|to|in|with|into|different|another|some|new|it|colou?r)$", "", target)
    a = re.sub(r"^an? ", "", a)
    if re.match(r"^(?:swap|replace|change) ", asked) and re.search(r"\bones?$", a):
        return f"replace {target} with {a}"
    return f"make {target} {re.sub(r' ones?$', '', a)}"


def _also(instruction: str, piece: str) -> str | None:
    """"make the roses yellow" + "the vase too" -> "make the roses and the vase yellow"; else None."""
    too = re.fullmatch(r"(?:and |also |plus )?(?P<n>(?:the|her|his|their|its|my) [a-z' ]+?),? (?:too|as well|also)", piece.lower())
    m = re.fullmatch(r"make (?P<t>.+?) (?P<v>\S+)", instruction)
    return f"make {m.group('t')} and {too.group('n')} {m.group('v')}" if too and m else None


# words ending in s that are not things to add ("seagulls" alone is)
NOT_THINGS = frozenset("thanks cheers apologies always sometimes perhaps whatevs lols guys bless congrats kudos props hugs "
                       "gracias yes nows regards sorries besides nevertheless anyways towards afterwards thus plus oops pls".split())
FRAGMENT_NOT = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|we|he|she|they|you|it'?s|that'?s|this|is|are|was|were|am|be|been|do|does|did|"
                          r"have|has|had|can|could|would|will|should|thanks?|thank|thx|ty|love|like|lol|haha\w*|wow|cool|"
                          r"nice|great|perfect|awesome|ok(?:ay)?|yes|yeah|yep|no|nope|undo|back|original|forget|revert|also|too|many|very|"
                          r"good|best|better|obliged|yum+y?|sweet|lovely|beautiful|amazing|gorgeous|cute|brilliant|"
                          r"excellent|fantastic|wonderful|fine|done|enough|sorry|oops|bye|perf|slay|lit|dope|sick|fire|legend|"
                          r"chef'?s kiss|keep|stay|stays)\b")


# a person telling what happened ("my toddler grabbed the phone", "we went there in May", "he hates the vet"):
# a subject that is a person, then a verb in the past or about them, and nothing asked of the picture
NARRATIVE = re.compile(r"(?:^|[,.;!] ?|\b(?:and|but|so|because|when) )(?:i|we|he|she|they|my [a-z]+|our [a-z]+|his [a-z]+|"
                       r"her [a-z]+|their [a-z]+)(?: (?:just|also|really|always|never|once|finally|even|all|both))? "
                       r"(?!(?:wanted|needed|asked|meant|said|hoped|expected|thought|imagined|told|requested|preferred|liked|"
                       r"tried|wished|asked|pictured|specified|ordered|changed|edited|added|removed|made|painted|used)\b)"
                       r"(?:[a-z]+ed|went|took|had|got|came|saw|met|ran|ate|drove|flew|found|bought|built|won|lost|left|"
                       r"grew|gave|sang|swam|fell|broke|caught|slept|spent|wrote|hates?|loves|says|works|lives|turns? \d+|"
                       r"is (?:turning|getting|moving|graduating|visiting|coming|leaving)|was|were)\b")


def _narrative(plain: str) -> bool:
    """A story about people, with no request in it (see NARRATIVE; REQUEST_CUE and the edit verbs rule it out)."""
    return bool(NARRATIVE.search(plain)) and not REQUEST_CUE.search(re.sub(r"\b(?:more|less|too|\w+er)\b", "", plain)) \
        and not re.search(r"\b(?:can|could|would|will) (?:you|u)\b|\bplease\b|\?$", plain)


def _refine(text: str, plain: str, prev: Turn | None, state: ConversationState) -> Reply | None:
    """A fragment no rule reads, said right after an edit, refines that edit ("teal stripes", "more of a mint
    green", "dapple grey"): the edit is redone with the fragment added; said right after a question, it
    answers it ("a tropical beach wallpaper"): the question's request is made with the answer added."""
    if prev is None or prev.action not in ("edit", "ask", "forget"):
        return None
    frag = re.sub(r"^(?:(?:no|nah|actually|wait|hmm+|maybe|rather|or|and|but|ok(?:ay)?|please|pls)[, ]+)+", "", text)
    frag = re.sub(r"[, ]+(?:please|pls|instead|maybe|then|perhaps|thanks|thx)$", "", frag).strip(" .!,")
    if not frag or len(frag.split()) > 5 or IMPERATIVE.match(frag) or FRAGMENT_NOT.search(frag) or \
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
    if prev.action == "ask" and asked and len(asked.split()) >= 2:
        named = [w for w in re.findall(r"[a-z]{3,}", (state.caption or "").lower()) if re.search(rf"\b{w}", asked)]
        colour = re.fullmatch(rf"(?:an? )?({COLOUR_PHRASE})(?: one| ones| please)?", frag)
        if colour and named and re.search(r"\bcolou?rs?\b", asked):
            instr = f"make the {named[-1]} {colour.group(1)}"  # "umbrella color?" -> "yellow"
            return Reply("edit", f"Got it: {instr}.", instruction=instr)
        instr = f"{asked}: {frag}"
        return Reply("edit", f"Got it: {instr}.", instruction=instr)
    return None


def _words(state: ConversationState) -> tuple[str, frozenset[str], str, str]:
    """The last user turn read once: (as said, single-spaced; the vocabulary typos are corrected towards;
    typos fixed; in plain words: politeness dropped, wishes as imperatives)."""
    raw = " ".join(state.last_user_text.split())
    vocab = vocabulary(state)
    return raw, vocab, correct_typos(tidy(raw), vocab, PREFERRED), normalize(raw, vocab)


def _cut_short_before(state: ConversationState, vocab) -> bool:
    """Whether the assistant just asked about a request that stopped short ("make it look like"): the
    user's answer continues it."""
    prev = _last_assistant(state.turns)
    return prev is not None and prev.action == "ask" and _dangling(_previous_user(state, vocab))


# a change of mind inside one message: "make it red... no wait, blue", "mustard - actually no, terracotta"
MIND_CHANGE = re.compile(r"(?i)^(?P<a>.+?[a-z].*?)(?:\.{2,}|…|\s+-+|[,;.!])\s*(?:(?:ah|oh|hmm+|um+|uh+|wait)[,!. ]*)?"
                         r"(?:no+|nah|wait no|actually|or rather|i mean|sorry|scratch that|on second thought)\b[,!. ]*"
                         r"(?:(?:no|wait|actually|make (?:it|that|them)|better|rather)\b[,!. ]*)*(?P<b>[a-z].*)$")


def _swap_colour(instruction: str, said: str) -> str | None:
    """`instruction` with its colour changed to the one `said` starts with ("silver", "better in grey, so ..."),
    or None when either has no colour."""
    m = re.match(rf"(?:(?:better|rather|maybe|make (?:it|them)|go with|in)\s+)*(?:an? )?(?P<c>{COLOUR_PHRASE})\b", said.lower())
    old = list(re.finditer(rf"\b{COLOUR_PHRASE}\b", instruction))
    if not m or not old:
        return None
    return instruction[:old[-1].start()] + m.group("c") + instruction[old[-1].end():]


def _after_edit(state: ConversationState, said: str, reply: Reply) -> ConversationState:
    """The conversation as if `said` had been answered with the edit `reply`, and the user now spoke again."""
    edit = LiveEdit(index=len(state.edits) + 1, id=-1, instruction=reply.instruction, seed=0, version=-1)
    turns = (*_saying(state, said).turns, Turn("assistant", reply.message, "edit", reply.instruction), Turn("user", ""))
    return replace(state, turns=turns, edits=(*state.edits, edit))


def _saying(state: ConversationState, text: str) -> ConversationState:
    """The same conversation with `text` as the user's last message."""
    turns = list(state.turns)
    for k in range(len(turns) - 1, -1, -1):
        if turns[k].role == "user":
            turns[k] = Turn("user", text)
            break
    return replace(state, turns=tuple(turns))


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


ANSWER_HEAD = re.compile(r"^(?:(?:make it|make them|make (?:him|her)|turn it into|turn it|i want|i'd like|i would like|"
                         r"let's go with|let's do|go with|maybe|how about|what about|please|with|into|to|as|in|like|"
                         r"perhaps|let's try|try|i think|i guess|probably|um+|uh+|erm|hmm+|oh|well|just|"
                         r"something like|kind of like|sort of like|more like|rather|a nice|nice|it should be|"
                         r"it should look like|should be|look like|looks like|one|the colou?r|colou?r|style|"
                         r"in the style of|in a|into a|for|by|i don'?t know|not sure|no idea|dunno|i'm not sure)[ ,]+)+")
PLACES = re.compile(r"\b(?:beach|forest|woods|city|desert|mountains?|space|mars|moon|island|park|field|meadow|lake|"
                    r"jungle|ocean|sea|garden|street|village|countryside|snow|arctic|savanna|river|cave|castle|"
                    r"stadium|library|kitchen|studio|paris|london|tokyo|new york|venice|underwater|sky|clouds)\b")


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
    style = next((v for k, v in sorted(STYLES.items(), key=lambda kv: -len(kv[0])) if re.search(rf"\b{re.escape(k)}\b", a)),
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
        return Frame(pending.family, _the(re.sub(r"^the ", "", a)), pending.value)
    return None


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
