"""PhotoEditor: exact edits of real photographs, no generation, at the photo's full resolution.

Is: the Editor protocol over `parse.parse_instruction` and the operations in `tone`, `scene`,
`styles` and `regions`; region edits leave every pixel outside their region identical; an edit it
cannot do exactly raises `UnsupportedEditError` (nothing is guessed). Steps and guidance scales are
accepted (and checked) for protocol's sake and do not matter here; the seed drives rain, snow and
grain. Is not: routing between editors (`editing/routing.py`).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ...errors import UnsupportedEditError
from ...images import to_rgb
from ..base import EditResult, StepCallback, check_params
from .parse import COLOURS, PhotoOp, PhotoPlan, parse_plan

CAPABILITIES = ("tone and colour (brighter, darker, contrast, vivid or muted colours, warmer, cooler, black and "
                "white, sepia, vintage, a colour tint), time of day (night, sunset, dawn, overcast), seasons and "
                "weather (winter, autumn, spring, summer, fog, rain, snow, sunny), styles (pencil sketch, charcoal, "
                "watercolour, oil painting, cartoon, pixel art, pop art, mosaic), geometry (mirror, flip, rotate, "
                "crop to a square), and recolouring the sky, the background, people, or a thing named by its "
                "colour ('make the red car blue')")
GENERATIVE_HINT = ("for generative edits (adding, removing or replacing things) use InstructPix2Pix weights: "
                   "--editor ip2p --model FOLDER (a GPU is advised)")

# what each operation did, for the reply ("Made it night: ...")
DONE = {
    "brighter": "brightened the photo", "darker": "darkened the photo", "contrast_up": "raised the contrast",
    "contrast_down": "lowered the contrast", "vivid": "made the colours more vivid", "muted": "muted the colours",
    "warmer": "warmed the colours", "cooler": "cooled the colours", "bw": "made it black and white",
    "sepia": "gave it a sepia tone", "vintage": "gave it a faded vintage-film look (warm, lifted blacks, vignette, grain)",
    "tint": "gave it a {colour} tint", "sharpen": "sharpened it", "blur": "blurred it", "vignette": "added a vignette",
    "invert": "inverted the colours", "balance": "removed the colour cast (balanced the colours)",
    "night": "made it night (darker, bluer light, lights kept)", "sunset": "gave it golden-hour light",
    "dawn": "gave it soft dawn light", "overcast": "made it overcast (grey sky, soft flat light)",
    "sunny": "made it sunnier", "winter": "made it wintry (cold light, frost, falling snow)",
    "autumn": "turned the greens to autumn colours", "spring": "gave it fresh spring colours",
    "summer": "gave it warm summer light", "fog": "added fog", "rain": "made it rain", "snow": "made it snow",
    "sketch": "turned it into a pencil sketch", "charcoal": "turned it into a charcoal drawing",
    "watercolor": "turned it into a watercolour", "oil": "turned it into an oil painting",
    "cartoon": "turned it into a cartoon", "pixel": "turned it into pixel art", "popart": "turned it into pop art",
    "mosaic": "turned it into a mosaic", "posterize": "posterised it", "emboss": "embossed it",
    "neon": "gave it glowing neon edges",
    "mirror": "mirrored it left to right", "flip": "flipped it upside down", "rotate": "rotated it {angle} degrees clockwise",
    "crop_square": "cropped it to a square",
    "recolor": "made {target} {colour}", "fill": "made {target} {colour}", "bw_region": "made {target} black and white",
    "sky_sunset": "gave the sky a sunset glow", "sky_night": "made the sky a night sky",
}
REGION_DONE = {"brighter": "brightened {target}", "darker": "darkened {target}", "blur": "blurred {target}",
               "vivid": "made the colours of {target} more vivid"}
ADVERB = {0.5: " a little", 1.0: "", 1.6: " strongly", 2.2: " very strongly"}


def describe_op(op: PhotoOp) -> str:
    key = "bw_region" if (op.kind == "region" and op.op == "bw") else op.op
    text = DONE.get(key, op.op).format(colour=op.colour, target=op.target, angle=op.angle)
    if op.op == "rotate":
        text = {90: "rotated it a quarter turn clockwise", 180: "turned it upside down (rotated 180 degrees)",
                270: "rotated it a quarter turn anticlockwise"}.get(op.angle, text)
    if op.kind == "region" and op.op in REGION_DONE:
        text = REGION_DONE[op.op].format(target=op.target)
    if op.kind != "geometry" and op.op not in ("bw", "invert", "crop_square") and key != "bw_region":
        text += ADVERB.get(op.strength, "")
    return text


def describe_plan(plan: PhotoPlan) -> str:
    """The reply's account of a plan: "Photo engine: Made it night; then mirrored it left to right."."""
    texts = []
    for op in plan.ops:
        text = describe_op(op)
        if not op.exact:
            text += (f" (I took {op.target} to be the photo's main subject; name its colour, e.g. 'make the "
                     f"red {op.target.removeprefix('the ')} {op.colour}', to pick by colour)")
        texts.append(text)
    text = "; then ".join(texts)
    return f"Photo engine: {text[0].upper()}{text[1:]}."


class PhotoEditor:
    """Exact photo edits by instruction (see module docstring)."""

    name = "photo"

    def plan(self, instruction: str) -> PhotoPlan | None:
        """The operations for `instruction`, or None when it needs a generative model."""
        if not isinstance(instruction, str):
            raise UnsupportedEditError("the instruction must be text")
        return parse_plan(instruction)

    def describe(self, instruction: str, image: Image.Image | None = None) -> str | None:
        """What an edit with `instruction` did, in words (None when it is not one of ours)."""
        plan = parse_plan(instruction) if isinstance(instruction, str) else None
        return None if plan is None else describe_plan(plan)

    def edit(self, image: Image.Image, instruction: str, **kw) -> Image.Image:
        return self.edit_with_note(image, instruction, **kw).image

    def edit_with_note(self, image: Image.Image, instruction: str, *, steps: int = 20, text_guidance: float = 7.5,
                       image_guidance: float = 1.5, seed: int = 0, scheduler: str | None = None,
                       callback: StepCallback | None = None) -> EditResult:
        check_params(steps, text_guidance, image_guidance)
        plan = self.plan(instruction)
        if plan is None:
            raise UnsupportedEditError(refusal(instruction))
        out = np.asarray(to_rgb(image), dtype=np.float32) / 255.0   # (H, W, 3) in [0, 1]
        for op in plan.ops:  # one after another, each on the result of the one before
            if op.kind == "geometry":
                out = _geometry(out, op)
            elif op.kind == "region":
                out = _region(out, op, seed)
            else:
                out = _global(out, op, seed)
        result = Image.fromarray((np.clip(out, 0, 1) * 255 + 0.5).astype(np.uint8))
        result.info["dialogpaint_editor"] = self.name
        if callback is not None:
            callback(steps, steps)
        return EditResult(result, describe_plan(plan))


def refusal(instruction: str, reason: str | None = None) -> str:
    """The message for an edit nothing here can do exactly: why, and what would do it."""
    if reason:  # a region that was not found
        return (f"{reason}, so I left the picture as it was. InstructPix2Pix weights (--editor ip2p --model "
                f"FOLDER) could try it generatively.")
    return (f"I can't do that on this photo: '{instruction.strip()}' needs a generative model, and no "
            f"InstructPix2Pix weights are loaded. {GENERATIVE_HINT[0].upper()}{GENERATIVE_HINT[1:]}. "
            f"Without them I can do {CAPABILITIES}.")


# operations -----------------------------------------------------------------------------------

def _global(rgb: np.ndarray, op: PhotoOp, seed: int) -> np.ndarray:
    from . import regions, scene, styles, tone

    s = op.strength
    simple = {
        "brighter": tone.brighter, "darker": tone.darker, "vivid": tone.vivid, "muted": tone.muted,
        "bw": tone.black_and_white, "sepia": tone.sepia, "sharpen": tone.sharpen, "vignette": tone.vignette,
        "invert": tone.invert, "balance": tone.balance,
        "sketch": styles.sketch, "charcoal": styles.charcoal, "watercolor": styles.watercolor, "oil": styles.oil,
        "cartoon": styles.cartoon, "pixel": styles.pixel, "popart": styles.popart, "mosaic": styles.mosaic,
        "posterize": styles.posterize, "emboss": styles.emboss, "neon": styles.neon,
    }
    if op.op in simple:
        return simple[op.op](rgb, s)
    if op.op in ("contrast_up", "contrast_down"):
        return tone.contrast(rgb, s, up=op.op == "contrast_up")
    if op.op in ("warmer", "cooler"):
        return tone.temperature(rgb, s, warm=op.op == "warmer")
    if op.op == "tint":
        return tone.tint(rgb, COLOURS[op.colour], s)
    if op.op == "blur":
        return tone.blur(rgb, s, max(rgb.shape[:2]) / 1000)
    if op.op == "vintage":
        return tone.vintage(rgb, s, seed)
    if op.op in ("rain", "snow"):
        return getattr(scene, op.op)(rgb, s, seed=seed)
    if op.op == "winter":
        return scene.winter(rgb, s, sky=regions.sky(rgb), seed=seed)
    if op.op in ("night", "sunset", "dawn", "overcast", "sunny", "autumn", "spring", "summer", "fog"):
        needs_sky = op.op in ("night", "sunset", "dawn", "overcast", "sunny", "summer")
        return getattr(scene, op.op)(rgb, s, sky=regions.sky(rgb) if needs_sky else None)
    raise UnsupportedEditError(refusal(op.op))


def _geometry(rgb: np.ndarray, op: PhotoOp) -> np.ndarray:
    if op.op == "mirror":
        return rgb[:, ::-1]
    if op.op == "flip":
        return rgb[::-1]
    if op.op == "rotate":
        return np.rot90(rgb, k=-(op.angle // 90))  # clockwise
    h, w = rgb.shape[:2]  # crop_square: the centred square
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    return rgb[top:top + side, left:left + side]


def _find(rgb: np.ndarray, op: PhotoOp) -> np.ndarray:
    """The mask of the op's region; UnsupportedEditError when nothing convincing is found."""
    from . import regions

    where = op.region or ""
    if where == "sky":
        m = regions.sky(rgb)
    elif where == "background":
        m = regions.background(rgb)
    elif where == "person":
        m = regions.person(rgb)
    elif where.startswith("colour:"):
        m = regions.colour_named(rgb, where.split(":", 1)[1])
    elif where.startswith("part:"):
        m = regions.body_part(rgb, where.split(":", 1)[1])
    else:
        m = regions.subject(rgb)
    if m is None:
        raise UnsupportedEditError(refusal("", f"I couldn't find {op.target or where} in this photo"))
    m = np.where(m < 0.03, 0.0, m).astype(np.float32)   # exactly untouched outside the region
    return m


def recolor(rgb: np.ndarray, colour: tuple[int, int, int], s: float = 1.0, keep_light: bool = False,
            weights: np.ndarray | None = None) -> np.ndarray:
    """The picture in `colour`, keeping its shading (HSV: the hue set exactly, value detail kept).

    The region's mean brightness moves toward the colour's (a white car gets darker when it turns navy)
    unless `keep_light` (eyes: the pupil and the iris pattern keep their own lightness). `weights`
    (H, W) is the region the means are taken over."""
    import cv2

    hsv = cv2.cvtColor(np.ascontiguousarray(rgb, np.float32), cv2.COLOR_RGB2HSV)  # H degrees, S and V 0-1
    t = cv2.cvtColor(np.array([[colour]], np.float32) / 255.0, cv2.COLOR_RGB2HSV)[0, 0]
    w = np.ones(rgb.shape[:2], np.float32) if weights is None else weights
    mean_v = float((hsv[..., 2] * w).sum() / max(float(w.sum()), 1e-6))
    k = min(1.0, 0.6 + 0.25 * s)
    out = hsv.copy()
    if t[1] < 0.1:  # white, grey, black: remove the colour, move the brightness
        out[..., 1] = hsv[..., 1] * 0.12
        out[..., 2] = np.clip(hsv[..., 2] + (t[2] - mean_v) * 0.85 * k, 0, 1)
    else:
        out[..., 0] = t[0]
        out[..., 1] = np.clip(hsv[..., 1] * (1 - k) + t[1] * k * (0.75 + 0.25 * hsv[..., 2]), 0, 1)
        if not keep_light:
            out[..., 2] = np.clip(hsv[..., 2] + (t[2] - mean_v) * 0.5 * k, 0, 1)
        else:
            out[..., 1] *= 0.8
    return np.clip(cv2.cvtColor(out, cv2.COLOR_HSV2RGB), 0, 1)


def _region(rgb: np.ndarray, op: PhotoOp, seed: int) -> np.ndarray:
    from . import scene, tone

    m = _find(rgb, op)
    s = op.strength
    if op.op == "recolor":
        new = recolor(rgb, COLOURS[op.colour], s, keep_light=(op.region or "").startswith("part:"),
                      weights=m)
        if op.region == "sky":
            new = scene._mix(rgb, new, 0.9)
    elif op.op == "fill":
        new = np.broadcast_to(np.array(COLOURS[op.colour], np.float32) / 255.0, rgb.shape)
    elif op.op == "blur":
        new = tone.blur(rgb, 2.5 * s, max(rgb.shape[:2]) / 1000)
    elif op.op == "bw":
        new = tone.black_and_white(rgb)
    elif op.op in ("brighter", "darker", "vivid"):
        new = getattr(tone, op.op)(rgb, s)
    elif op.op == "sky_sunset":
        new = scene.sunset(rgb, 1.6 * s, sky=np.ones(rgb.shape[:2], np.float32))
    elif op.op == "sky_night":
        new = scene.night(rgb, 1.6 * s, sky=np.ones(rgb.shape[:2], np.float32))
    else:
        raise UnsupportedEditError(refusal(op.op))
    return rgb * (1 - m[..., None]) + new * m[..., None]
