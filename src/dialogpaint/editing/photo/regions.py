"""Finding the region an edit is about: the sky, people, a thing named by its colour, the main subject.

Is: mask finders that return an (H, W) float32 array in [0, 1] at the photo's size, or None when
nothing convincing is found (the engine then refuses rather than guessing). Finders run on a copy
of at most `WORK_SIDE` pixels a side and the mask is brought back up, edge-aware where it matters.
People come from MediaPipe's selfie-segmentation model (Apache-2.0, shipped in models/photo/) run by
OpenCV's DNN module; the rest is colour statistics, saliency and GrabCut (OpenCV). Is not: a
general object detector: "the car" is found only by its colour ("the red car") or as the main
subject of the photo.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

WORK_SIDE = 512
GUIDE_PIXELS = 4_000_000  # masks are snapped to the photo's edges at up to this size
MIN_AREA = 0.005   # a region smaller than 0.5% of the picture is not a convincing find


def _small(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """uint8 RGB copy with the longer side at most WORK_SIDE, and the factor used."""
    h, w = rgb.shape[:2]
    f = min(1.0, WORK_SIDE / max(h, w))
    u8 = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
    if f < 1.0:
        u8 = cv2.resize(u8, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    return u8, f


def _up(mask_small: np.ndarray, rgb: np.ndarray, guided: bool = True) -> np.ndarray:
    """Bring a small mask to the photo's size; with `guided`, snap its edges to the photo's edges."""
    h, w = rgb.shape[:2]
    gh, gw = h, w
    if guided and h * w > GUIDE_PIXELS:  # edge snapping at about 4 MP is enough; the rest is upsampling
        f = (GUIDE_PIXELS / (h * w)) ** 0.5
        gh, gw = round(h * f), round(w * f)
    m = cv2.resize(mask_small.astype(np.float32), (gw, gh), interpolation=cv2.INTER_LINEAR)
    if guided and hasattr(cv2, "ximgproc"):
        guide = rgb if (gh, gw) == (h, w) else cv2.resize(rgb, (gw, gh), interpolation=cv2.INTER_AREA)
        r = max(2, int(max(gh, gw) / 200))
        m = cv2.ximgproc.guidedFilter(np.ascontiguousarray(guide, np.float32), m, r, 1e-3)
        if (gh, gw) != (h, w):
            m = cv2.resize(m, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.clip(m, 0, 1).astype(np.float32)


GRABCUT_SIDE = 320  # GrabCut's cost grows with pixels: it runs at this size, the result is scaled back


def _grabcut(u8: np.ndarray, prob_fg: np.ndarray, sure_fg: np.ndarray | None = None, iters: int = 3) -> np.ndarray:
    """Refine a rough foreground (bool masks at the small size) with GrabCut; returns a bool mask."""
    h, w = u8.shape[:2]
    f = min(1.0, GRABCUT_SIDE / max(h, w))
    if f < 1.0:
        size = (max(1, round(w * f)), max(1, round(h * f)))
        small = _grabcut(cv2.resize(u8, size, interpolation=cv2.INTER_AREA),
                         cv2.resize(prob_fg.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0,
                         None if sure_fg is None else
                         cv2.resize(sure_fg.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0, iters)
        return cv2.resize(small.astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR) > 0
    mask = np.full(u8.shape[:2], cv2.GC_PR_BGD, np.uint8)
    mask[prob_fg] = cv2.GC_PR_FGD
    if sure_fg is not None:
        mask[sure_fg] = cv2.GC_FGD
    if not (mask == cv2.GC_PR_FGD).any() and not (mask == cv2.GC_FGD).any():
        return np.zeros(u8.shape[:2], bool)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    try:
        cv2.grabCut(cv2.cvtColor(u8, cv2.COLOR_RGB2BGR), mask, None, bgd, fgd, iters, cv2.GC_INIT_WITH_MASK)
    except cv2.error:  # GrabCut needs both classes; a region covering everything is not one
        return prob_fg
    return (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)


def _keep_large(mask: np.ndarray, min_frac: float = 0.1) -> np.ndarray:
    """Drop connected components smaller than `min_frac` of the largest one."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if n <= 1:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.zeros(n, bool)
    keep[1:] = areas >= min_frac * areas.max()
    return keep[labels]


# the sky ------------------------------------------------------------------------------------------

def sky(rgb: np.ndarray) -> np.ndarray | None:
    """Smooth, bright, blue-or-grey regions connected to the top edge."""
    u8, _ = _small(rgb)
    hsv = cv2.cvtColor(u8, cv2.COLOR_RGB2HSV_FULL).astype(np.float32)
    hue, sat, val = hsv[..., 0] * 360 / 256, hsv[..., 1] / 255, hsv[..., 2] / 255
    gray = cv2.cvtColor(u8, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    grad = cv2.GaussianBlur(np.abs(cv2.Laplacian(cv2.GaussianBlur(gray, (0, 0), 1), cv2.CV_32F)), (0, 0), 2)
    smooth = grad < 0.02
    blue = (hue > 180) & (hue < 260) & (sat > 0.12) & (val > 0.25)
    pale = (sat < 0.18) & (val > 0.6)
    night = (val < 0.3) & (hue > 190) & (hue < 270) & (sat > 0.2)
    cand = smooth & (blue | pale | night)
    # connected to the top rows
    n, labels = cv2.connectedComponents(cand.astype(np.uint8), connectivity=4)
    top = set(np.unique(labels[: max(2, labels.shape[0] // 50)])) - {0}
    if not top:
        return None
    m = np.isin(labels, list(top))
    if m.mean() < 0.03 or m[0].mean() < 0.3:  # a sky spans much of the top edge, not a corner of it
        return None
    m = cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) > 0
    return np.clip((_up(m, rgb) - 0.25) / 0.35, 0, 1)  # edge-aware, and hard enough to leave no halo


# people -------------------------------------------------------------------------------------------

def models_dir() -> Path:
    """models/photo: the small segmentation and face models the photo engine runs."""
    from ...paths import models_dir as bundled

    return bundled() / "photo"


@lru_cache(maxsize=1)
def _selfie_net():
    path = models_dir() / "selfie_segmentation.tflite"
    if not path.is_file():
        return None
    return cv2.dnn.readNetFromTFLite(str(path))


def person(rgb: np.ndarray) -> np.ndarray | None:
    """People in the photo (MediaPipe selfie segmentation, 256x256 input), None if under MIN_AREA."""
    net = _selfie_net()
    if net is None:
        return None
    x = cv2.resize(np.ascontiguousarray(rgb, np.float32), (256, 256), interpolation=cv2.INTER_AREA)
    net.setInput(x.transpose(2, 0, 1)[None])                   # (1, 3, 256, 256), RGB in [0, 1]
    prob = net.forward().reshape(256, 256)                     # (256, 256) person probability
    if (prob > 0.5).mean() < MIN_AREA * 4:
        return None
    m = _up(np.clip((prob - 0.45) / 0.2, 0, 1), rgb)
    return m


# a thing named by its colour -----------------------------------------------------------------------

HUES = {  # hue ranges in degrees for chromatic colour names
    "red": [(345, 360), (0, 15)], "crimson": [(335, 360), (0, 10)], "maroon": [(340, 360), (0, 15)],
    "orange": [(12, 40)], "yellow": [(40, 70)], "gold": [(35, 55)], "golden": [(35, 55)],
    "green": [(70, 165)], "lime": [(65, 100)], "olive": [(50, 90)], "teal": [(165, 195)],
    "turquoise": [(160, 190)], "cyan": [(170, 200)], "blue": [(195, 255)], "navy": [(210, 250)],
    "purple": [(255, 300)], "violet": [(250, 290)], "lavender": [(240, 290)], "magenta": [(285, 335)],
    "pink": [(300, 350)], "brown": [(10, 40)], "beige": [(25, 55)],
}


def colour_named(rgb: np.ndarray, name: str) -> np.ndarray | None:
    """Pixels of the named colour, its main connected regions, refined with GrabCut."""
    u8, _ = _small(rgb)
    hsv = cv2.cvtColor(u8, cv2.COLOR_RGB2HSV_FULL).astype(np.float32)
    hue, sat, val = hsv[..., 0] * 360 / 256, hsv[..., 1] / 255, hsv[..., 2] / 255
    if name in ("white", "silver"):
        m = (sat < 0.15) & (val > 0.75)
    elif name == "black":
        m = val < 0.18
    elif name in ("gray", "grey"):
        m = (sat < 0.12) & (val > 0.25) & (val < 0.8)
    elif name in HUES:
        m = np.zeros(hue.shape, bool)
        for lo, hi in HUES[name]:
            m |= (hue >= lo) & (hue < hi)
        if name in ("brown", "maroon", "navy", "olive"):
            m &= (sat > 0.25) & (val > 0.1) & (val < 0.6)
        elif name in ("beige", "lavender", "pink"):
            m &= (sat > 0.12) & (val > 0.45)
        else:
            m &= (sat > 0.3) & (val > 0.2)
    else:
        return None
    m = cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    if m.mean() < MIN_AREA:
        return None
    m = _keep_large(m, 0.15)
    # GrabCut grows the colour mask over shading and highlights of the same object
    grown = cv2.dilate(m.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    core = cv2.erode(m.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    refined = _grabcut(u8, grown, core)
    refined &= cv2.dilate(m.astype(np.uint8), np.ones((15, 15), np.uint8)) > 0
    if refined.mean() < MIN_AREA:
        return None
    return _up(refined, rgb)


# the main subject ---------------------------------------------------------------------------------

def subject(rgb: np.ndarray) -> np.ndarray | None:
    """The main subject: people when the photo has them, else GrabCut from a saliency map."""
    if (p := person(rgb)) is not None:
        return p
    u8, _ = _small(rgb)
    sal = cv2.saliency.StaticSaliencyFineGrained_create()
    ok, smap = sal.computeSaliency(cv2.cvtColor(u8, cv2.COLOR_RGB2BGR))
    if not ok:
        return None
    smap = cv2.GaussianBlur(smap.astype(np.float32), (0, 0), 5)
    smap = (smap - smap.min()) / max(float(smap.max() - smap.min()), 1e-6)
    h, w = smap.shape
    yy, xx = np.mgrid[0:h, 0:w]
    centre = np.exp(-(((yy / h - 0.5) ** 2) + ((xx / w - 0.5) ** 2)) / 0.18)  # photographers centre subjects
    score = smap * 0.6 + centre * 0.4
    prob = score > np.quantile(score, 0.6)
    sure = score > np.quantile(score, 0.93)
    m = _grabcut(u8, prob, sure)
    m = _keep_large(m, 0.3)
    frac = m.mean()
    if frac < 0.03 or frac > 0.85:
        return None
    return _up(m, rgb)


def background(rgb: np.ndarray) -> np.ndarray | None:
    """Everything but the main subject (people first)."""
    fg = subject(rgb)
    return None if fg is None else 1.0 - fg


# parts of a person ----------------------------------------------------------------------------------

def body_part(rgb: np.ndarray, part: str) -> np.ndarray | None:
    """Eyes (irises) from face landmarks; other parts (hair, clothes) have no finder here: None."""
    if re.search(r"\beyes?\b|\biris", part):
        from .faces import irises

        return irises(rgb)
    return None
