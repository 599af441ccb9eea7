"""Real photographs that ship inside installed wheels, and the photo benchmark (`dialogpaint eval photos`).

Is: `shipped_photos()` (scikit-image, scikit-learn and gradio carry a few real photos inside their
wheels; none is copied into this repository), per-family requests with a measurable property each,
structure kept measured as the correlation of luminance-gradient maps (input vs output), seconds per
megapixel, and a table with baselines. Is not: a judge of beauty; look at the sample grid too.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

BENCH_SIDE = 1024            # photos are resized to this longer side: the size a user's photo is worked at
STRUCTURE_MIN = 0.5          # gradient-map correlation at or above which the picture's structure is kept


@dataclass(frozen=True)
class Photo:
    name: str
    source: str                  # the wheel it ships in
    image: Image.Image
    thing: str                   # a thing in the photo named by its colour, for the region request
    thing_colour: str            # its colour now
    new_colour: str = "blue"     # the colour the region request asks for


# (name, wheel, thing named by its colour, its colour now[, the colour asked for]) in benchmark order
PHOTOS = (("astronaut", "scikit-image", "suit", "orange"), ("chelsea", "scikit-image", "cat", "orange"),
          ("coffee", "scikit-image", "cup", "red"), ("rocket", "scikit-image", "sky", "blue", "purple"),
          ("china", "scikit-learn", "temple", "red"), ("flower", "scikit-learn", "flower", "orange"),
          ("cheetah", "gradio", "cheetah", "orange"), ("lion", "gradio", "lion", "orange"),
          ("tower", "gradio", "sky", "blue", "pink"))


def _load(name: str, source: str) -> Image.Image | None:
    """One shipped photo, or None when its package is not installed (gradio is located, not imported)."""
    try:
        if source == "scikit-image":
            import skimage.data

            return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")
        if source == "scikit-learn":
            from sklearn.datasets import load_sample_image

            return Image.fromarray(load_sample_image(f"{name}.jpg")).convert("RGB")
    except ImportError:
        return None
    import importlib.util

    spec = importlib.util.find_spec("gradio")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "media_assets" / "images" / f"{name}.jpg"
        if path.is_file():
            return Image.open(path).convert("RGB")
    return None


def shipped_photos(names: tuple[str, ...] | None = None) -> list[Photo]:
    """The real photos found in installed packages (all, or those `names`), in benchmark order; an empty
    list if none of those packages is installed."""
    out: list[Photo] = []
    for name, source, *thing in PHOTOS:
        if names is not None and name not in names:
            continue
        if (image := _load(name, source)) is not None:
            out.append(Photo(name, source, image, *thing))
    return out


def at_bench_size(image: Image.Image, side: int = BENCH_SIDE) -> Image.Image:
    w, h = image.size
    f = side / max(w, h)
    return image.resize((round(w * f), round(h * f)), Image.LANCZOS)


# measurements --------------------------------------------------------------------------------------

def _arr(image: Image.Image, side: int = 256, resample=Image.BILINEAR) -> np.ndarray:
    """(h, w, 3) float RGB in [0, 1] at a fixed analysis size."""
    w, h = image.size
    f = side / max(w, h)
    return np.asarray(image.convert("RGB").resize((max(1, round(w * f)), max(1, round(h * f))), resample),
                      np.float32) / 255.0


def luminance(a: np.ndarray) -> np.ndarray:
    return a @ np.array([0.299, 0.587, 0.114], np.float32)


def saturation(a: np.ndarray) -> float:
    mx, mn = a.max(-1), a.min(-1)
    return float(np.mean((mx - mn) / np.maximum(mx, 1e-3)))


def structure(before: Image.Image, after: Image.Image) -> float:
    """Correlation of the luminance-gradient magnitude maps of two pictures (1: same structure)."""
    import cv2

    maps = []
    for im in (before, after.resize(before.size) if after.size != before.size else after):
        y = cv2.GaussianBlur(luminance(_arr(im)), (0, 0), 1.0)
        maps.append(np.hypot(cv2.Sobel(y, cv2.CV_32F, 1, 0), cv2.Sobel(y, cv2.CV_32F, 0, 1)).ravel())
    a, b = maps
    if a.std() < 1e-6 or b.std() < 1e-6:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def _hue_fraction(a: np.ndarray, mask: np.ndarray, lo: float, hi: float) -> float:
    import cv2

    hsv = cv2.cvtColor(a, cv2.COLOR_RGB2HSV)
    sel = mask & (hsv[..., 1] > 0.15)
    if sel.sum() == 0:
        return 0.0
    h = hsv[..., 0][sel]
    return float(((h >= lo) & (h <= hi)).mean())


@dataclass(frozen=True)
class Family:
    name: str
    request: Callable[[Photo], str]                      # the instruction, for a photo
    prop: Callable[[np.ndarray, np.ndarray, Photo], float]  # property from (before, after, the photo)
    ok: Callable[[float], bool]                          # whether the property shows the edit
    reference: Callable[[Image.Image], Image.Image] | None = None  # geometry: what the structure is compared to
    what: str = ""                                       # the property, in words, for the table
    nearest: bool = False                                # analyse with nearest-neighbour resizing (pixel art)
    side: int = 256                                      # the property's analysis size (snowflakes need more)


def _contrast(a):
    return float(luminance(a).std())


FAMILIES: list[Family] = [
    Family("black and white", lambda p: "make it black and white", lambda b, a, p: saturation(a), lambda v: v < 0.03,
           what="mean saturation < 0.03"),
    Family("night", lambda p: "make it night", lambda b, a, p: float(luminance(a).mean() / max(luminance(b).mean(), 1e-3)),
           lambda v: v < 0.6, what="mean luminance ratio < 0.6"),
    Family("brighter", lambda p: "make the image brighter",
           lambda b, a, p: float(luminance(a).mean() - luminance(b).mean()), lambda v: v > 0.03,
           what="mean luminance +0.03"),
    Family("warmer", lambda p: "make the colors warmer",
           lambda b, a, p: float((a[..., 0] - a[..., 2]).mean() - (b[..., 0] - b[..., 2]).mean()), lambda v: v > 0.02,
           what="mean R-B +0.02"),
    Family("contrast", lambda p: "increase the contrast", lambda b, a, p: _contrast(a) / max(_contrast(b), 1e-3),
           lambda v: v > 1.1, what="luminance std ratio > 1.1"),
    Family("sepia", lambda p: "make it sepia",
           lambda b, a, p: float(np.mean((a[..., 0] >= a[..., 1]) & (a[..., 1] >= a[..., 2]))), lambda v: v > 0.95,
           what="share of pixels with R >= G >= B > 0.95"),
    Family("vintage", lambda p: "make it look like an old polaroid",
           lambda b, a, p: float(np.quantile(luminance(a), 0.02) - np.quantile(luminance(b), 0.02)), lambda v: v > 0.02,
           what="blacks lifted: 2nd percentile +0.02"),
    Family("sunset", lambda p: "make it sunset",
           lambda b, a, p: float((a[..., 0] - a[..., 2]).mean() - (b[..., 0] - b[..., 2]).mean()), lambda v: v > 0.05,
           what="mean R-B +0.05"),
    Family("winter", lambda p: "make it look like winter",
           lambda b, a, p: float((b[..., 0] - b[..., 2]).mean() - (a[..., 0] - a[..., 2]).mean()), lambda v: v > 0.02,
           what="mean R-B -0.02 (colder)"),
    Family("autumn", lambda p: "make it autumn",
           lambda b, a, p: float((a[..., 0] - a[..., 1]).mean() - (b[..., 0] - b[..., 1]).mean()), lambda v: v > 0.01,
           what="mean R-G +0.01 (greens to reds)"),
    Family("fog", lambda p: "make it foggy", lambda b, a, p: _contrast(a) / max(_contrast(b), 1e-3), lambda v: v < 0.75,
           what="luminance std ratio < 0.75"),
    Family("snow", lambda p: "make it snow",
           lambda b, a, p: float(np.mean(luminance(a) > 0.9) - np.mean(luminance(b) > 0.9)), lambda v: v > 0.003,
           what="share of near-white pixels +0.3% (at 1024 px)", side=1024),
    Family("rain", lambda p: "make it rain", lambda b, a, p: float(luminance(a).mean() / max(luminance(b).mean(), 1e-3)),
           lambda v: v < 0.97, what="darker, wet light: luminance ratio < 0.97"),
    Family("pencil sketch", lambda p: "make it a pencil sketch", lambda b, a, p: saturation(a), lambda v: v < 0.08,
           what="mean saturation < 0.08"),
    Family("watercolour", lambda p: "make it look like a watercolor painting",
           lambda b, a, p: float(np.quantile(luminance(a), 0.02)), lambda v: v > 0.1, what="washes: 2nd percentile > 0.1"),
    Family("cartoon", lambda p: "make it a cartoon", lambda b, a, p: _ink(b, a), lambda v: v < 0.9,
           what="ink outlines: luminance on the input's edges x0.9"),
    Family("pixel art", lambda p: "turn it into pixel art",
           lambda b, a, p: float(len(np.unique((a * 255).astype(np.uint8).reshape(-1, 3), axis=0))), lambda v: v <= 16,
           what="a palette: distinct colours <= 16", nearest=True),
    Family("mirror", lambda p: "mirror the image", lambda b, a, p: float(np.abs(a - b[:, ::-1]).mean()),
           lambda v: v < 0.01, reference=lambda im: im.transpose(Image.FLIP_LEFT_RIGHT),
           what="mean abs(out - mirrored input) < 0.01"),
    Family("recolour by colour", lambda p: f"make the {p.thing_colour} {p.thing} {p.new_colour}",
           lambda b, a, p: _new_colour_where_changed(b, a, p), lambda v: v > 0.6,
           what="changed pixels (>= 1%) of the asked hue > 60%"),
    Family("background", lambda p: "make the background white",
           lambda b, a, p: float(np.mean(np.all(a > 0.93, -1)) - np.mean(np.all(b > 0.93, -1))), lambda v: v > 0.02,
           what="white pixels +2% of the picture"),
]


HUE_OF = {"blue": (190, 260), "purple": (255, 300), "pink": (290, 350)}   # degrees, OpenCV float HSV


def _new_colour_where_changed(b: np.ndarray, a: np.ndarray, photo: Photo) -> float:
    changed = np.abs(a - b).max(-1) > 0.08
    if changed.mean() < 0.01:
        return 0.0
    return _hue_fraction(a, changed, *HUE_OF[photo.new_colour])


def _ink(b: np.ndarray, a: np.ndarray) -> float:
    """Mean luminance after / before on the input's strong edges (ink outlines make it drop)."""
    import cv2

    yb = luminance(b)
    edges = cv2.Canny((yb * 255).astype(np.uint8), 80, 160) > 0
    if edges.sum() == 0:
        return 1.0
    return float(luminance(a)[edges].mean() / max(yb[edges].mean(), 1e-3))


@dataclass
class Row:
    editor: str
    family: str
    photo: str
    request: str
    refused: bool
    structure: float
    prop: float
    passed: bool
    seconds: float
    megapixels: float


def run_photos(editor, photos: list[Photo] | None = None, families: list[Family] | None = None,
               side: int = BENCH_SIDE, progress: bool = True) -> tuple[list[Row], dict]:
    """Every family on every photo with `editor`; returns the rows and the output images by (family, photo)."""
    from tqdm.auto import tqdm

    from ..errors import UnsupportedEditError

    photos = photos if photos is not None else shipped_photos()
    families = families or FAMILIES
    rows, outputs = [], {}
    jobs = [(f, p) for f in families for p in photos]
    for fam, photo in tqdm(jobs, desc=f"eval photos ({getattr(editor, 'name', '?')})", disable=not progress):
        image = at_bench_size(photo.image, side)
        request = fam.request(photo)
        t0 = time.perf_counter()
        try:
            out = editor.edit(image, request, seed=0)
        except UnsupportedEditError:
            rows.append(Row(editor.name, fam.name, photo.name, request, True, 0.0, 0.0, False, 0.0,
                            image.width * image.height / 1e6))
            continue
        dt = time.perf_counter() - t0
        ref = fam.reference(image) if fam.reference else image
        s = structure(ref, out)
        resample = Image.NEAREST if fam.nearest else Image.BILINEAR
        before = _arr(image, fam.side, resample)
        after = _arr(out.resize(image.size) if out.size != image.size else out, fam.side, resample)
        v = fam.prop(before, after, photo)
        rows.append(Row(editor.name, fam.name, photo.name, request, False, s, v, bool(s >= STRUCTURE_MIN and fam.ok(v)),
                        dt, image.width * image.height / 1e6))
        outputs[(fam.name, photo.name)] = out
    return rows, outputs


def summarize(rows: list[Row]) -> dict:
    """Per editor: pass rate, mean structure, refusals and seconds per megapixel, overall and per family."""
    out: dict = {}
    for ed in dict.fromkeys(r.editor for r in rows):
        mine = [r for r in rows if r.editor == ed]
        fams = {}
        for fam in dict.fromkeys(r.family for r in mine):
            fr = [r for r in mine if r.family == fam]
            done = [r for r in fr if not r.refused]
            fams[fam] = {"passed": sum(r.passed for r in fr), "n": len(fr),
                         "structure": float(np.mean([r.structure for r in done])) if done else None,
                         "s_per_mp": (sum(r.seconds for r in done) / sum(r.megapixels for r in done)) if done else None}
        done = [r for r in mine if not r.refused]
        out[ed] = {"passed": sum(r.passed for r in mine), "n": len(mine), "refused": sum(r.refused for r in mine),
                   "structure_kept": sum(r.structure >= STRUCTURE_MIN for r in done),
                   "s_per_mp": (sum(r.seconds for r in done) / sum(r.megapixels for r in done)) if done else None,
                   "max_s_per_mp": max((r.seconds / r.megapixels for r in done), default=None),
                   "families": fams}
    return out


def table(summary: dict) -> str:
    """Markdown: one row per family, a column pair per editor."""
    eds = list(summary)
    head = "| family | property checked | " + " | ".join(f"{e}: passed | {e}: structure" for e in eds) + " |"
    sep = "|---|---|" + "---|---|" * len(eds)
    lines = [head, sep]
    what = {f.name: f.what for f in FAMILIES}
    fams = list(dict.fromkeys(f for e in eds for f in summary[e]["families"]))
    for fam in fams:
        cells = []
        for e in eds:
            f = summary[e]["families"].get(fam)
            st = "refused" if f["structure"] is None else f"{f['structure']:.2f}"
            cells += [f"{f['passed']}/{f['n']}", st]
        lines.append(f"| {fam} | {what.get(fam, '')} | " + " | ".join(cells) + " |")
    cells = []
    for e in eds:
        s = summary[e]
        cells += [f"**{s['passed']}/{s['n']} ({100 * s['passed'] / max(s['n'], 1):.1f}%)**",
                  f"kept {s['structure_kept']}/{s['n'] - s['refused']}"]
    lines.append("| **all** | | " + " | ".join(cells) + " |")
    cells = []
    for e in eds:
        s = summary[e]
        v = "-" if s["s_per_mp"] is None else f"{s['s_per_mp']:.3f} (max {s['max_s_per_mp']:.2f})"
        cells += [v, f"refused {s['refused']}"]
    lines.append("| seconds / megapixel | | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def sample_grid(outputs: dict, photos: list[str], families: list[str], tile: int = 160) -> Image.Image:
    """A grid: a row per photo, a column per family (blank where refused)."""
    grid = Image.new("RGB", (tile * len(families), tile * len(photos)), "white")
    for r, p in enumerate(photos):
        for c, f in enumerate(families):
            im = outputs.get((f, p))
            if im is None:
                continue
            t = im.copy()
            t.thumbnail((tile, tile))
            grid.paste(t, (c * tile + (tile - t.width) // 2, r * tile + (tile - t.height) // 2))
    return grid


def write_results(out_dir: Path, rows: list[Row], summary: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps({"summary": summary, "rows": [asdict(r) for r in rows],
                                                      "bench_side": BENCH_SIDE, "structure_min": STRUCTURE_MIN},
                                                     indent=1))
    (out_dir / "table.md").write_text(table(summary) + "\n")
