"""Artistic styles as exact photo operations, built on OpenCV (incl. its contrib `xphoto` module).

Is: pencil sketch, charcoal, watercolour, oil painting, cartoon, pixel art, pop art, mosaic,
posterize, emboss, neon edges. Functions take an RGB float32 array in [0, 1] (H, W, 3) and a
strength, and return a new array of the same size. The slow OpenCV filters (stylization, oil
painting) run at a working size of about one megapixel and are upsampled with the photo's own edges
restored, so a large photo stays under a second. Is not: a generative style transfer.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import tone

WORK_PIXELS = 1_000_000  # slow filters run at this size, then come back to the photo's size


def _u8(rgb):
    return (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)


def _f(u8):
    return u8.astype(np.float32) / 255.0


def _at_work_size(rgb, fn):
    """Apply `fn` (uint8 RGB -> uint8 RGB) at <= WORK_PIXELS and bring the result back to full size."""
    h, w = rgb.shape[:2]
    f = min(1.0, (WORK_PIXELS / (h * w)) ** 0.5)
    small = _u8(rgb) if f == 1.0 else cv2.resize(_u8(rgb), (max(1, round(w * f)), max(1, round(h * f))),
                                                 interpolation=cv2.INTER_AREA)
    out = _f(fn(small))
    if f < 1.0:
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_CUBIC)
    return out


def _scale(rgb) -> float:
    return max(rgb.shape[:2]) / 1000.0


def sketch(rgb, s=1.0):
    """Pencil sketch: colour dodge of the grey image by its blurred negative, with graphite shading."""
    g = tone.luma(rgb)
    sigma = (6 + 4 * min(s, 2)) * max(_scale(rgb), 0.3)
    blur = cv2.GaussianBlur(1 - g, (0, 0), sigma)
    dodge = np.clip(g / np.maximum(1 - blur, 1e-3), 0, 1)
    dodge = dodge ** (1.5 + 0.5 * s)                           # darker strokes
    shade = cv2.GaussianBlur(g, (0, 0), 2 * max(_scale(rgb), 0.5))
    out = dodge * (0.85 + 0.15 * shade)
    paper = np.array([0.98, 0.97, 0.94], np.float32)
    return np.clip(out[..., None] * paper, 0, 1)


def charcoal(rgb, s=1.0):
    """Charcoal: broad dark strokes (a heavy dodge of a coarse blur), smudged mid-tones, grey paper grain."""
    g = tone.luma(rgb)
    sc = max(_scale(rgb), 0.3)
    blur = cv2.GaussianBlur(1 - g, (0, 0), 10 * sc)
    dodge = np.clip(g / np.maximum(1 - blur, 1e-3), 0, 1) ** (2.5 + 0.8 * s)
    smudge = cv2.GaussianBlur(g, (0, 0), 4 * sc) ** 1.3
    out = np.minimum(dodge, 0.35 + 0.65 * smudge)
    h, w = g.shape
    paper = cv2.GaussianBlur(np.random.default_rng(3).random((h, w), dtype=np.float32), (0, 0), 0.8)
    out = out * (0.9 + 0.1 * paper)
    return np.repeat(np.clip(out, 0, 1)[..., None], 3, axis=2) * np.array([0.93, 0.92, 0.9], np.float32)


def watercolor(rgb, s=1.0):
    """Watercolour: OpenCV's edge-preserving stylization, then light, slightly bled washes (nothing fully
    dark) and a soft paper texture."""
    def fn(u8):  # sigma_s is in pixels: 60 at about 1000 px, less on a small photo
        return cv2.stylization(u8, sigma_s=float(np.clip(60 * max(u8.shape[:2]) / 1000, 8, 60)), sigma_r=0.45)
    out = _at_work_size(rgb, fn)
    out = 0.15 + 0.85 * out ** 0.8                             # washes: lighter, no deep blacks
    out = tone.saturation(out, 1.05)
    h, w = out.shape[:2]
    rng = np.random.default_rng(7)
    paper = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 1.5) * 0.012
    return np.clip(out + paper[..., None], 0, 1)


def oil(rgb, s=1.0):
    """Oil painting: OpenCV contrib's xphoto.oilPainting (brush size grows with strength)."""
    def fn(u8):
        size = max(2, int(round((4 + 2 * s) * min(1.0, max(u8.shape[:2]) / 1000))))
        bgr = cv2.cvtColor(u8, cv2.COLOR_RGB2BGR)
        out = cv2.xphoto.oilPainting(bgr, size, 1)
        return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)
    out = _at_work_size(rgb, fn)
    return tone.vivid(out, 0.3)


def cartoon(rgb, s=1.0):
    """Cartoon: flat colour regions (bilateral filtering, lightness in a few bands) and dark ink outlines."""
    def fn(u8):
        smooth = u8
        for _ in range(3):
            smooth = cv2.bilateralFilter(smooth, 9, 40, 7)
        lab = cv2.cvtColor(smooth, cv2.COLOR_RGB2Lab)
        bands = 6 if s <= 1 else 4
        step = 256 // bands
        lab[..., 0] = np.clip((lab[..., 0] // step) * step + step // 2, 0, 255)
        flat = cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)
        gray = cv2.medianBlur(cv2.cvtColor(u8, cv2.COLOR_RGB2GRAY), 7)
        edges = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 9, 5)
        return cv2.bitwise_and(flat, flat, mask=edges)
    return tone.vivid(_at_work_size(rgb, fn), 0.6)


def pixel(rgb, s=1.0):
    """Pixel art: about 64 blocks across (fewer when stronger), a 16-colour palette, hard edges."""
    h, w = rgb.shape[:2]
    blocks = int(96 / max(s, 0.5)) if s != 1 else 64
    f = blocks / max(h, w)
    small = cv2.resize(_u8(rgb), (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    data = small.reshape(-1, 3).astype(np.float32)
    k = min(16, len(data))
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(0)
    _, labels, centers = cv2.kmeans(data, k, None, crit, 2, cv2.KMEANS_PP_CENTERS)
    small = centers[labels.ravel()].reshape(small.shape).astype(np.uint8)
    return _f(cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST))


def mosaic(rgb, s=1.0):
    """Mosaic tiles: blocks of the mean colour with thin dark grout lines."""
    h, w = rgb.shape[:2]
    tile = max(4, int(max(h, w) / (60 / max(s, 0.5))))
    small = cv2.resize(rgb, (max(1, w // tile), max(1, h // tile)), interpolation=cv2.INTER_AREA)
    out = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    yy, xx = np.mgrid[0:h, 0:w]
    th, tw = h / small.shape[0], w / small.shape[1]
    grout = ((yy % th) < 1.2) | ((xx % tw) < 1.2)
    out[grout] *= 0.35
    return out


def posterize(rgb, s=1.0, levels: int | None = None):
    n = levels or (5 if s <= 1 else 3)
    smooth = cv2.bilateralFilter(_u8(rgb), 7, 50, 5)
    return np.round(_f(smooth) * (n - 1)) / (n - 1)


def popart(rgb, s=1.0):
    """Pop art: flat posterised colours at full saturation, bold outlines of the main shapes, and
    halftone dots in the shadows."""
    smooth = _u8(rgb)
    for _ in range(3):
        smooth = cv2.bilateralFilter(smooth, 9, 50, 7)
    flat = _f(smooth)
    out = posterize(tone.vivid(flat, 2.5), levels=3)
    g = tone.luma(flat)
    sc = max(_scale(rgb), 0.4)
    edges = cv2.Canny(_u8(cv2.GaussianBlur(g, (0, 0), 1.5 * sc)), 40, 90)
    edges = cv2.dilate(edges, np.ones((2, 2), np.uint8)) > 0
    out[edges] = 0.05
    h, w = g.shape
    step = max(6, int(max(h, w) / 90))
    yy, xx = np.mgrid[0:h, 0:w]
    dots = (((yy % step) - step / 2) ** 2 + ((xx % step) - step / 2) ** 2) < (step * 0.3) ** 2
    out[(g < 0.35) & dots] *= 0.5
    return np.clip(out, 0, 1)


def emboss(rgb, s=1.0):
    g = tone.luma(rgb)
    k = np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], np.float32) * (0.6 + 0.4 * s)
    out = np.clip(cv2.filter2D(g, -1, k) * 0.5 + 0.25, 0, 1)
    return np.repeat(out[..., None], 3, axis=2)


def neon(rgb, s=1.0):
    """Glowing edges on black: the photo's own colours along its edges, bloomed."""
    g = tone.luma(rgb)
    edges = cv2.Canny(_u8(cv2.GaussianBlur(g, (0, 0), 1.0)), 40, 110).astype(np.float32) / 255
    sc = max(_scale(rgb), 0.4)
    glow = cv2.GaussianBlur(edges, (0, 0), 3 * sc) * 3 + edges
    colour = tone.vivid(rgb, 3) * 0.6 + 0.4
    return np.clip(colour * np.clip(glow, 0, 1)[..., None] * (0.8 + 0.2 * s), 0, 1)
