"""The words and phrase patterns the rules dialogue reads with: colours, styles, conditions, complaints,
social turns, fillers, vague requests, reactions, revisions.

Is: data only (tuples, dicts and compiled regular expressions), no reading logic. Is not: the readers
(frames.py reads a request, revisions.py a revision of the last edit, context.py what the conversation
lends a message, rules.py the order they are tried in).
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8192)
def rx(pattern: str) -> re.Pattern:
    """`pattern` compiled once: the readings loop over a thousand lexicon patterns, more than `re` keeps (512)."""
    return re.compile(pattern)



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
                "different one",
                # looks that name no change ("make it more instagrammable", "make it aesthetic")
                "instagrammable", "instagramable", "aesthetic", "premium", "pleasant", "cute", "cuter", "vibey", "sick",
                "dope", "soul",
                # kinds of thing that name no thing ("add a topping", "add a pet", "add weather")
                "pet", "animal", "topping", "toppings", "weather", "furniture", "decoration", "decorations",
                "accessory", "accessories", "outfit", "someone", "somebody", "thing", "item", "object", "prop", "little")


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
          "old photo": "a vintage photo", "old-fashioned": "a vintage photo", "antique": "a sepia photo",
          # film stocks and looks named by photographers
          "kodachrome": "a Kodachrome film photo", "portra": "a Kodak Portra film photo", "velvia": "a Fuji Velvia film photo",
          "ektachrome": "an Ektachrome film photo", "cinestill": "a CineStill film photo with halation",
          "tri-x": "a Tri-X black and white film photo", "ilford": "an Ilford black and white film photo",
          "lomo": "a lomography photo", "lomography": "a lomography photo", "35mm": "a 35mm film photo",
          "cross-processed": "a cross-processed film photo", "infrared": "an infrared photo"}


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
            (r"(?:\b(?:too|so|very|kinda|kind of|a bit|a little|looks?|is|are|all|rather|quite|pretty|really|super|it'?s) "
             r"(?:grey|gray|pale)\b|\b(?:drab|unappeti[sz]ing|colou?rless|bland|dull|boring colou?rs?)\b)(?!.*\b(?:make|turn|paint)\b)",
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
            (r"\bnoisy\b|\bgrainy\b|\btoo much noise\b|\b(?:so much|too much|much|lots of|full of|all the|all this) (?:grain|noise)\b",
             "reduce the noise"),
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
            "more contrasty": ("the contrast", "higher"), "less contrasty": ("the contrast", "lower"), "punchier": ("the contrast", "higher"),
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
                        r"bright|dark|many|loud|saturated)|is too (?:much|many)|not quite|almost|close|rather|"
                        r"not (?:that |the |so )?(?!really|sure|quite|much|yet|now|bad)[a-z]+(?: one)?(?=[,.!] | (?:more|but|rather|"
                        r"just)\b))\b[,!.]?\s*)+"
                        r"(?P<rest>.*)$")


BYE = re.compile(r"\b(bye|goodbye|that'?s all|that is all|i'?m done|all done|see you|that'?s it for (?:now|today)|"
                 r"done for (?:now|today)|that will be all|i'?m good for now|gotta go|got to go|have to (?:go|run)|"
                 r"(?:i )?need to (?:go|run)|talk (?:to you )?later|ttyl|cya|good ?night|night night)\b")


# praise right after an edit ("cozy. love it", "lol he looks fancy", "perfect, still chaotic but in a cute way"),
# and what would make it a request after all (a change word, a colour, a question)
PRAISE = re.compile(r"\b(?:perfect|love it|love this|love that|loving it|wow|amazing|awesome|brilliant|thanks|thank you|ty|"
                    r"thx|lovely|beautiful|gorgeous|adorable|stunning|yay|yess+|omg|much better|so much better|way better|(?:so |much |way |a lot |"
                    r"loads |so much |way way )(?:nicer|cleaner|classier|prettier|cuter|fancier|tidier|neater|calmer|happier|improved|"
                    r"more (?:professional|elegant|polished|realistic|natural))(?: (?:now|already|lol|haha|tbh|thanks?|thank you))*[.!]*$|"
                    r"(?:huge|big|massive|great|nice|real|major) improvement(?: (?:now|already|lol|haha|tbh|thanks?|thank you))*[.!]*$|"
                    r"that'?s it|there we go|nailed it|spot on|i'?m impressed|impressive|sorted|hilarious|so funny|lmao+|"
                    r"(?:now )?i can (?:finally )?(?:post|send|share|print|use|frame) (?:it|this)|can'?t wait to (?:post|share|show|send))\b")
CHANGE_CUE = re.compile(r"\b(?:more|less|too|make|can you|could you|would you|can u|could u|please|pls|should|instead|"
                        r"but (?:make|can|could|the)|change|add|remove|undo|again|another|also|now (?:make|add|can|change|"
                        r"remove)|bit|little|slightly|try|maybe|want|wish|need|let'?s|go back|put|give|turn|get rid|"
                        r"and (?:a|an|the|some|his|her|their)|there'?s|write|blurry|noisy|dark|grainy|no|not|don'?t)\b|\?")


# a question about the tool itself, not a request ("can you read what the sign says?", "is it true you can't see
# the actual photo?", "so can you do more than one change at a time?")
TOOL_QUESTION = re.compile(
    r"^(?:(?:so|and|but|ok|okay|hmm+|wait|also|oh)[, ]+)*(?:(?:can|could|do|does|will|would) (?:you|u|it|this (?:app|tool|thing|"
    r"program))(?: (?:also|even|actually|really|still))? (?:read|see (?:the (?:actual |real )?(?:photo|picture|image)|"
    r"photos|pictures|images|what)|tell|explain|understand|recogni[sz]e|identify|guess|know|"
    r"remember|save|store|keep|share|send|print|download|hear|speak|talk|think|handle|learn|access|do (?:more than|several|"
    r"multiple|two|videos?|gifs?|this (?:for|with) (?:videos?|other))|work (?:on|with|offline))|is it true (?:that )?(?:you|u|it) "
    r"(?:can'?t|cannot|don'?t|do not|only|never))\b")
NOT_A_TOOL_QUESTION = re.compile(r"\b(?:make|turn|add|remove|put|give|paint|replace|swap|fix|crop|blur|brighten|darken|erase|"
                                 r"delete|get rid|change (?:the|it|her|his|my|this|that|them|its))\b")


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


CONNECTOR = re.compile(r"^(?:(?:and|now|also|then|next|ok|okay|alright|so|great|nice|good (?:day|morning|afternoon|evening)|"
                       r"good|anyway|anyways),?\s+)+")


MASS = {"ice", "grain", "snow", "fog", "rain", "light", "contrast", "warmth", "noise", "sparkle", "glow", "color", "colour",
        "sunlight", "sunshine", "mist", "smoke", "fire", "water", "grass", "sand", "glitter", "blur", "haze", "steam",
        "lightning", "confetti", "magic", "texture", "detail", "depth", "drama", "shadow", "shade", "bokeh"}


# a value that names no value: "a different animal", "another breed", "some other style", "something fun"
VAGUE_VALUE = re.compile(r"^(?:a |an |some )?(?:(?:different|another|other|new|some other|any)(?: [a-z]+){1,2}|something(?: [a-z]+)?|"
                         r"anything(?: [a-z]+)?|(?:an? )?(?:accessory|outfit|animal|breed|style|art style|hairstyle|makeover|"
                         r"thing|change|effect|filter))(?: (?:for|on|to) (?:this|it|the (?:picture|photo|image))| here| instead)?$")


COLOUR_RE = "|".join(COLOURS)


PREFERRED = frozenset(COLOURS) | {w for k in list(STYLES) + list(CONDITIONS) for w in k.split()}


COLOUR_MOD = (r"(?:(?:off|dark|darker|deep|deeper|light|lighter|pale|paler|bright|brighter|soft|softer|matte|glossy|hot|baby|"
              r"pastel|neon|warm|cool|dusty|rich|vivid|muted|hazel|olive|forest|sky|royal|electric|metallic|mint|"
              r"emerald|ruby|sapphire|lemon|cherry|blood|sea|bluish|greenish|reddish|yellowish|sage|mustard|"
              r"candy apple|fire engine|hunter|kelly|army|powder|smoky|smokey|burnt|dusky|slate|cobalt|navy|salmon|coral|"
              r"jade|moss|lime|bubblegum|blush|peach|charcoal|golden|rust|copper|british racing|racing|midnight|"
              r"teal|turquoise|aqua|duck egg|lilac|lavender|violet|mauve)[ -])")


COLOUR_PHRASE = rf"(?:{COLOUR_MOD}{{0,2}}(?:{'|'.join(COLOURS)}))"


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
    ("color", rf"^(?:change|make|turn|paint|color|colour|recolou?r) (?P<t>(?:the|her|his|their|my|its|our) [a-z](?:(?! look).)*?|"
              rf"(?!(?:the|her|his|their|my|its|our|it|them|him|this|that|these|those) )(?:(?! look).)+?|it|them|him|this|that|"
              rf"these|those) (?:to |into )?(?:a |an )?(?P<v>(?:(?:matte|glossy) )?{COLOUR_PHRASE}|(?:a |an )?(?:different|another|other|new|nicer|better) colou?r)$"),
    ("color", r"^(?:change|make|turn) (?:the )?colou?r$"),
    # "jacket colour?", "new mug color": which colour, for that thing
    ("color", r"^(?:a )?(?:new |different |another |other )?(?P<t>(?!(?:the|what|which|any|some|a|an|my|your|nice|cool|good|"
              r"great|pretty|lovely|true|real|natural|original|same|more|less)\b)[a-z]+) "
              r"colou?r(?: change)?$"),
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


SUBJECT = re.compile(r"^(?:(?:and|but|also|ok|okay|now|hmm+|ugh|better|good|nice|great|still|though|sadly|unfortunately|"
                     r"(?:it'?s |what )?a shame|shame|pity)[, ]+)*(?:(?:the|my|her|his|their|our|this|that|these|those) |"
                     r"(?!(?:it|its|this|that|he|she|they|i|we|you|there|here|what|which|everything|nothing|something|all|one|who|"
                     r"colou?rs?|image|photo|picture|pic|shot|lighting|light|why|how|when|where|today|tonight|now|somehow|kinda|"
                     r"sorta|everyone|everybody|someone|somebody|nobody|anyone|anything|also|just|still|really|so|very)\b)"
                     r"(?=[a-z]+ (?:is|are|looks?)\b))"
                     r"(?P<n>[a-z]+(?: [a-z]+)?)(?: (?:under|on|in|of|behind|above|around|at) (?:the|her|his|their|my|our) [a-z]+)? "
                     r"(?:is|are|looks?|seems?|was|were|got|feels?|isn'?t|aren'?t|is looking|are looking|needs?)\b")


NOT_A_THING = ("picture", "photo", "image", "shot", "pic", "one", "version", "thing", "everything", "scene", "photograph",
               "new one", "last one", "edit", "result", "colours", "colors", "colour", "color", "lighting", "light",
               "whole thing", "whole picture", "whole photo", "overall", "tones", "exposure", "contrast", "quality", "edit", "result")


DANGLING = re.compile(r"^i (?:want|'d like|would like|need) (?:the|her|his|their) [a-z]+$|(?:^(?:make|turn|change|replace|remove|add|put|give|swap|paint|colou?r|recolou?r|move|delete|"
                      r"erase|insert|draw|let|can you|could you|please)(?: (?:it|her|him|them|this|that))?$)|"
                      r"\b(?:a|an|the|some|more|less|be|become|than|and|or|my|your|his|their|its|very|really|"
                      r"make it look|(?:should|would|could|to|must) (?:look|be|become)|needs|wants|requires|could use)$|"
                      r"^(?:add|put|make|give|place|draw|insert)\b.* (?:a few|a couple(?: of)?|a lot of|a bunch of|a pair of|"
                      r"lots of)$|^give (?:the [a-z]+|her|him|them|it|this)$|"
                      r"^(?:make|turn|change|replace|put|add|give|swap|paint|move|i'?d like to add|add)\b(?:\s\S+){0,3} "
                      r"(?:into|like|to|with|of|for|on|in|at|as|next to)$")


REGRET = re.compile(r"\b(?:(?:i'?d|i would) rather not|rather not have|bad idea|not a good idea|looks? (?:wrong|bad|weird|"
                    r"fake|odd|off)|ruins it|doesn'?t fit|out of place|can go|has to go|must go|needs to go|should go|(?:'s )?(?:gotta|got to) go|is wrong|was wrong|that'?s wrong|was (?:a )?mistake|never ?mind|not into|(?:don'?t|not|no) (?:like|want|love)|no longer want|changed my mind|no more|"
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





STATEMENT = re.compile(r"^(?:the [a-z' ]+ (?:is|are|was|were) (?:my|our|his|her|their)\b|(?:he|she|they|you)'ll (?:love|like)\b|this was|that was|(?:is|are|do|does|did|was|were|where|who|why|when|how) .+\?$|this is|that'?s|it'?s|it was|here'?s|here is|these are|i have|i had|i'?m|i am|i took|"
                       r"we|my|our|i love|i like|i went|i was|they|he|she|what do you think|do you)\b")


REQUEST_CUE = re.compile(r"\b(?:should|could|would|needs?|want|wish|more|less|too|please|instead|without|make|remove|"
                         r"change|turn|put|add|give|fix|looks?|feels?|seems?)\b|\b\w+er\b")


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


OPEN_QUESTION = "I'm not sure what to change."


# what people put around a request without meaning an edit: "lol", "ew no", "you know what", "on second thought"
FILLER = re.compile(r"(?i)^(?:(?:oh my(?: god| gosh| goodness)?|lol|lmao|haha+|hehe|ok(?:ay)?|nah|no|nope|ew+|hmm+|oh|meh|whatever|you know what|"
                    r"on second thought|on reflection|actually|sorry|i'?m (?:so |really )?sorry|wait|ugh|well|so|yeah|yes|"
                    r"alright|right|oops|omg|hey|hi|hello|hiya|and|but|also|then|now|anyway|tbh|honestly|ah|aw+|please|pls|kindly|"
                    r"sorry to (?:bother|trouble) you(?: again)?|excuse me|nvm|never ?mind|there|mate|guys|folks|friend|buddy|dude|"
                    r"everyone|again|yo|sup|bro|man|good (?:day|morning|afternoon|evening)|greetings|dear)\b[,!.]*\s*)+")


# a request whose object or value names nothing in particular: the user has to be asked
# words an instruction may hold and still say nothing of what to change: "give it a vibe", "make it look better
# idk", "fill it with something", "touch it up a little" (an instruction of only these asks instead)
NOTHING_SAID = frozenset("""
a an the some any it its this that these those them him her me my our your his their i you we us one ones
make give add put fill change do fix touch enhance improve turn look looks feel feels
up bit little more less much very really just so please pls idk whatever guess know mean like kind sort of
with to in on for and or something anything thing things stuff better nicer good nice great pretty prettier cool
different special vibe vibes soul feeling nicer-looking pleasant interesting fun lovely beautiful
""".split())

VAGUE_REQUEST = re.compile(r"^(?:fix|sort|repair|correct)(?: (?:it|this|that))?(?: up| out)?(?: please| pls)?$|^(?:add|put|place|draw|insert) (?:an? |some |the )?(?:on|in|onto|to|next to|near|by|under|over|behind|"
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
                           r"cooler|prettier) for (?:instagram|social media|insta|facebook|my profile|tiktok)$|^(?:give|put) (?:the [a-z]+|her|him|them|it|"
                           r"his [a-z]+|her [a-z]+|their [a-z]+) (?:an? |some )?(?:costume|outfit|accessory|accessories|makeover|"
                           r"hairstyle|new look)$)\b")


# "that hat you put on him, (make it blue)": a topic naming an edit's thing, not a request to forget it
TOPIC = re.compile(r"(?:the|that|this|those|these|my|your) [a-z' ]+ (?:you|i|we) (?:just )?(?:put|added|add|gave|placed|"
                   r"made|drew|did|changed)(?: [a-z]+){0,2}")


# what people say about the result right after an edit: "omg it looks like a sci-fi movie", "that made me tear up"
REACTION = re.compile(r"^(?:(?:(?:it|that|this|he|she|they|you|the [a-z]+(?: one| [a-z]+)?) )?(?:looks?|made|makes|seems?|is|was|did|nailed)|i (?:love|like|adore)"
                      r" (?:it|that|this|what you|how)|(?:wow|omg|amazing|incredible|gorgeous|stunning)\b)(?!.*\b(?:too|more|less|"
                      r"should|could|but|instead|change|make|can you|wrong|bad|weird|fake|off|mistake|error|worse|before|ugly|awful|"
                      r"terrible|horrible|hate|not|don'?t|isn'?t|aren'?t|blur|remove|want|need)\b)")


# questions that ask about the assistant or the world, not for an edit; EDIT_QUESTION: "can you make it red?"
QUESTION = re.compile(r"^(?:what|which|how|why|when|where|who|is|isn'?t|are|aren'?t|do|does|did|was|were|have|has|"
                      r"can you (?!(?:make|turn|change|add|remove|put|give|paint|replace|swap|fix|crop|blur|brighten|"
                      r"darken)\b)|are you able to [a-z]+ (?:[a-z]+ )?in (?:a |an )?(?:photos?|pictures?|images?))\b")


EDIT_QUESTION = re.compile(r"^(?:what if (?:you|the|it|we|there|she|he|they|my|her|his)|how about|what about|why not|is it possible|is possible|can|could|would|will)\b")


ADDING = re.compile(r"^(?:add|put|place|give|insert|draw|sprinkle|scatter|pour|hang|dress|drape|paint|stick|attach|pop|plop|"
                    r"apply|use|turn on|switch on)\b")


SAME_THING = 0.55  # MiniLM similarity from which a thing the photo lacks is taken for the thing an edit added


REQUEST_FORM = re.compile(r"\b(?:can|could|would|will) (?:you|u|we)\b|\bplease\b|\bpls\b|\bi(?:'d| would)? (?:like|want|need)\b|"
                          r"\blet'?s\b|^(?:maybe|just|try|now|then|and|so)\b|\bwould (?:love|appreciate)\b|\bhow about\b")


NP = re.compile(r"\b(?:a|an|the|my|our|his|her|their|some|that|this|those|these) ((?:(?!(?:on|in|at|of|with|next|to|is|are|was|were|and|but|looks?|"
                r"from|by|behind|near|has|have|had|still|just|really|kind|so|would|could|should|can|will|steals?|makes?|"
                r"seems?|feels?|needs?|which|that|who|right|here|there|loves?|likes?|wants?|hates?|came|went|gets?|got|"
                r"looked|made|took|takes?|says?|said|thinks?|knows?|did|does|do|doesn|don|isn|aren|wasn|weren|didn|"
                r"can't|won't)\b)[a-z-]+(?:'s)? ?){1,3})")


ABSTRACT = {"photo", "picture", "image", "shot", "pic", "listing", "menu", "way", "day", "time", "walk", "side", "issue",
            "problem", "thing", "reason", "point", "focus", "fact", "idea", "trip", "moment", "week", "year", "weekend", "bit",
            "lot", "little"}


# words ending in s that are not things to add ("seagulls" alone is)
NOT_THINGS = frozenset("thanks cheers apologies always sometimes perhaps whatevs lols guys bless congrats kudos props hugs "
                       "gracias yes nows regards sorries besides nevertheless anyways towards afterwards thus plus oops pls".split())


FRAGMENT_NOT = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|we|he|she|they|you|it'?s|that'?s|this|is|are|was|were|am|be|been|do|does|did|"
                          r"have|has|had|can|could|would|will|should|thanks?|thank|thx|ty|love|like|lol|haha\w*|wow|cool|"
                          r"nice|great|perfect|awesome|ok(?:ay)?|yes|yeah|yep|no|nope|undo|back|original|forget|revert|also|too|many|very|"
                          r"good|best|better|obliged|yum+y?|sweet|lovely|beautiful|amazing|gorgeous|cute|brilliant|super|superb|fab|"
                          r"fabulous|splendid|marvell?ous|"
                          r"excellent|fantastic|wonderful|fine|done|enough|sorry|oops|bye|perf|slay|lit|dope|sick|fire|legend|"
                          r"chef'?s kiss|keep|stay|stays)\b")


# a person telling what happened ("my toddler grabbed the phone", "we went there in May", "he hates the vet"):
# a subject that is a person, then a verb in the past or about them, and nothing asked of the picture
NARRATIVE = re.compile(r"(?:^(?:(?:sorry|oops|lol|haha\w*|ugh|oh|omg|well|ok|okay|aww*)[,!.]* )?|[,.;!] ?|\b(?:and|but|so|because|when) )(?:i|we|he|she|they|my [a-z]+|our [a-z]+|his [a-z]+|"
                       r"her [a-z]+|their [a-z]+)(?: (?:just|also|really|always|never|once|finally|even|all|both))? "
                       r"(?!(?:wanted|needed|asked|meant|said|hoped|expected|thought|imagined|told|requested|preferred|liked|"
                       r"tried|wished|asked|pictured|specified|ordered|changed|edited|added|removed|made|painted|used)\b)"
                       r"(?:[a-z]+ed|went|took|had|got|came|saw|met|ran|ate|drove|flew|found|bought|built|won|lost|left|"
                       r"grew|gave|sang|swam|fell|broke|caught|slept|spent|wrote|hates?|loves|says|works|lives|turns? \d+|"
                       r"is (?:turning|getting|moving|graduating|visiting|coming|leaving)|was|were)\b")


# a change of mind inside one message: "make it red... no wait, blue", "mustard - actually no, terracotta"
MIND_CHANGE = re.compile(r"(?i)^(?P<a>.+?[a-z].*?)(?:\.{2,}|…|\s+-+|[,;.!])\s*(?:(?:ah|oh|hmm+|um+|uh+|wait)[,!. ]*)?"
                         r"(?:(?:no+|nah)(?:[,!.]+| wait\b)|wait no\b|actually\b|or rather\b|i mean\b|scratch that\b|"
                         r"on second thought\b)[,!. ]*"
                         r"(?:(?:no|wait|actually|make (?:it|that|them)|better|rather)\b[,!. ]*)*(?P<b>[a-z].*)$")


ANSWER_HEAD = re.compile(r"^(?:(?:make it|make them|make (?:him|her)|turn it into|turn it|i want|i'd like|i would like|"
                         r"let's go with|let's do|go with|maybe|how about|what about|please|with|into|to|as|in|like|"
                         r"perhaps|let's try|try|i think|i guess|probably|um+|uh+|erm|hmm+|oh|well|just|"
                         r"something like|kind of like|sort of like|more like|rather|a nice|nice|it should be|"
                         r"it should look like|should be|look like|looks like|one|the colou?r|colou?r|style|"
                         r"in the style of|in a|into a|for|by|i don'?t know|not sure|no idea|dunno|i'm not sure)[ ,]+)+")


PLACES = re.compile(r"\b(?:beach|forest|woods|city|desert|mountains?|space|mars|moon|island|park|field|meadow|lake|"
                    r"jungle|ocean|sea|garden|street|village|countryside|snow|arctic|savanna|river|cave|castle|"
                    r"stadium|library|kitchen|studio|paris|london|tokyo|new york|venice|underwater|sky|clouds)\b")


# heads of captions that are places: "make it yellow" of "a beach at sunset" is a tint, not the beach
PLACE_HEADS = frozenset(("beach", "street", "room", "kitchen", "forest", "field", "park", "garden", "city", "landscape",
                         "lake", "sunset", "sunrise", "view", "skyline", "market", "road", "scene", "town", "village",
                         "bedroom", "office", "hallway", "living", "bathroom", "shop", "cafe", "restaurant", "valley",
                         "mountains", "countryside", "sky", "snow", "rain", "night", "meadow", "desert", "harbor",
                         "harbour", "coast", "square", "alley", "interior", "backyard", "yard", "courtyard"))
