"""Time of day, seasons and weather as exact photo operations (OpenCV and numpy, full resolution).

Is: night, sunset / golden hour, dawn, overcast, sunny; winter, autumn, spring, summer; fog, rain
and snow as overlays drawn from a seeded generator (the same seed gives the same flakes). Functions
take an RGB float32 array in [0, 1] (H, W, 3), a strength and, where the look depends on it, the sky
mask (H, W) in [0, 1]; they return a new array. Is not: anything that adds or moves objects.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import tone


def _mix(a, b, m):
    """a where m is 0, b where m is 1; m (H, W) or a scalar; b an array or a colour. One temporary."""
    if np.ndim(m) == 2:
        m = m[..., None]
    out = np.subtract(b, a, dtype=np.float32)   # (H, W, 3)
    out *= m
    out += a
    return out


def _vertical(h: int, w: int, top: float, bottom: float) -> np.ndarray:
    """(H, W) ramp from `top` at the first row to `bottom` at the last."""
    return np.repeat(np.linspace(top, bottom, h, dtype=np.float32)[:, None], w, axis=1)


def night(rgb, s=1.0, sky=None):
    """Day for night: exposure down, blue and desaturated; bright lights kept glowing; the sky deep blue."""
    k = min(1.0, 0.6 + 0.4 * s)
    y = tone.luma(rgb)
    lab = tone.to_lab(rgb)
    lab[..., 0] = lab[..., 0] * (1 - 0.62 * k)
    lab[..., 1:] *= 1 - 0.5 * k
    lab[..., 2] -= 14 * k                                     # blue
    out = tone.from_lab(lab)
    lights = np.clip((y - 0.85) / 0.15, 0, 1) ** 2            # lamps and windows stay lit
    out = _mix(out, rgb * 0.95, lights * 0.8)
    if sky is not None:  # a deeper, bluer sky, its clouds and gradients kept (darkened, not painted over)
        deep = out * np.array([0.45, 0.55, 0.9], np.float32) + np.array([0.0, 0.01, 0.04], np.float32)
        out = _mix(out, deep, sky)
    return np.clip(out, 0, 1)


def sunset(rgb, s=1.0, sky=None):
    """Golden hour: warm low light, an orange-to-pink glow from the top, deeper shadows."""
    h, w = rgb.shape[:2]
    k = min(1.0, 0.55 + 0.45 * s)
    out = tone.temperature(rgb, 1.6 * k, warm=True)
    out = tone.contrast(out, 0.5 * k)
    glow = np.stack([_vertical(h, w, 1.0, 0.95), _vertical(h, w, 0.45, 0.55), _vertical(h, w, 0.35, 0.2)], -1)
    strength = _vertical(h, w, 0.45 * k, 0.12 * k)
    if sky is not None:
        strength = np.maximum(strength, sky * 0.7 * k)
    soft = 1 - (1 - out) * (1 - glow)                          # screen blend: light, not paint
    out = _mix(out, out * glow * 1.25 + 0.0, strength * 0.5)
    out = _mix(out, soft, strength * 0.5)
    return np.clip(out * (1 - 0.12 * k), 0, 1)


def dawn(rgb, s=1.0, sky=None):
    """Early light: soft, cool-pink, lifted shadows, lower contrast."""
    h, w = rgb.shape[:2]
    k = min(1.0, 0.55 + 0.45 * s)
    out = tone.contrast(rgb, 0.7 * k, up=False)
    out = tone.saturation(out, 1 - 0.2 * k)
    pink = np.array([1.0, 0.78, 0.82], np.float32)
    strength = _vertical(h, w, 0.45 * k, 0.15 * k)
    if sky is not None:
        strength = np.maximum(strength, sky * 0.6 * k)
    out = _mix(out, 1 - (1 - out) * (1 - pink * 0.5), strength)
    return np.clip(out * (0.95 - 0.05 * k) + 0.03 * k, 0, 1)


def overcast(rgb, s=1.0, sky=None):
    k = min(1.0, 0.55 + 0.45 * s)
    out = tone.saturation(rgb, 1 - 0.45 * k)
    out = tone.contrast(out, 0.8 * k, up=False)
    out = tone.temperature(out, 0.4 * k, warm=False) * (1 - 0.1 * k)
    if sky is not None:
        y = tone.luma(rgb)[..., None]
        grey = 0.62 + 0.25 * (y - y.mean())
        out = _mix(out, np.repeat(grey, 3, axis=2), sky * 0.85 * k)
    return np.clip(out, 0, 1)


def sunny(rgb, s=1.0, sky=None):
    out = tone.brighter(rgb, 0.6 * s)
    out = tone.temperature(out, 0.6 * s, warm=True)
    out = tone.vivid(out, 0.6 * s)
    if sky is not None:
        blue = np.array([0.35, 0.6, 0.95], np.float32)
        out = _mix(out, _shade_like(out, blue), sky * 0.6)
    return np.clip(out, 0, 1)


def _shade_like(rgb, colour):
    """The colour, with the picture's lightness variation (clouds and gradients survive)."""
    y = tone.luma(rgb)[..., None]
    return np.clip(colour * (0.55 + 0.9 * y), 0, 1)


def _hue_masks(rgb):
    hsv = cv2.cvtColor(np.ascontiguousarray(rgb, np.float32), cv2.COLOR_RGB2HSV)  # H in degrees, S, V 0-1
    return hsv


def _foliage(hsv):
    """(H, W) weight of green-yellow plant colours."""
    h, sat, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    hue_w = np.clip((60 - np.abs(h - 95)) / 20, 0, 1)           # 35-155 degrees: yellow-greens to teal-greens
    m = hue_w * np.clip((sat - 0.12) / 0.15, 0, 1) * np.clip((v - 0.03) / 0.07, 0, 1)
    return cv2.GaussianBlur(m.astype(np.float32), (0, 0), 1.0)


def autumn(rgb, s=1.0, sky=None):
    """Greens to oranges and reds (hue rotated on foliage), warmer light."""
    k = min(1.0, 0.6 + 0.4 * s)
    hsv = _hue_masks(rgb)
    m = _foliage(hsv) * k
    shifted = hsv.copy()
    shifted[..., 0] = np.clip(26 - (hsv[..., 0] - 95) * 0.2, 5, 45)  # green (95) -> orange (26); yellows redder
    shifted[..., 1] = np.clip(hsv[..., 1] * 1.4 + 0.15, 0, 1)
    shifted[..., 2] = np.clip(hsv[..., 2] * 1.1, 0, 1)
    out_hsv = hsv * (1 - m[..., None]) + shifted * m[..., None]
    out = np.clip(cv2.cvtColor(out_hsv.astype(np.float32), cv2.COLOR_HSV2RGB), 0, 1)
    return tone.temperature(out, 0.6 * k, warm=True)


def spring(rgb, s=1.0, sky=None):
    """Fresh light greens, blossom-pink accents in the highlights, brighter and softer."""
    k = min(1.0, 0.6 + 0.4 * s)
    hsv = _hue_masks(rgb)
    m = _foliage(hsv) * k
    fresh = hsv.copy()
    fresh[..., 0] = 95 + (hsv[..., 0] - 100) * 0.5
    fresh[..., 1] = np.clip(hsv[..., 1] * 1.2, 0, 1)
    fresh[..., 2] = np.clip(hsv[..., 2] * 1.15 + 0.05, 0, 1)
    out_hsv = hsv * (1 - m[..., None]) + fresh * m[..., None]
    out = np.clip(cv2.cvtColor(out_hsv.astype(np.float32), cv2.COLOR_HSV2RGB), 0, 1)
    out = tone.brighter(out, 0.4 * k)
    return tone.vivid(out, 0.3 * k)


def summer(rgb, s=1.0, sky=None):
    """High sun: warm, bright, saturated; lush greens; a bluer sky."""
    out = sunny(rgb, 1.2 * s, sky)
    hsv = _hue_masks(out)
    m = _foliage(hsv) * min(1.0, 0.6 + 0.4 * s)
    hsv[..., 1] = np.clip(hsv[..., 1] * (1 + 0.3 * m), 0, 1)
    return np.clip(cv2.cvtColor(hsv.astype(np.float32), cv2.COLOR_HSV2RGB), 0, 1)


def winter(rgb, s=1.0, sky=None, seed=0):
    """Cold light, frosted foliage (plants toward white), snow lying on upward-facing detail, pale sky."""
    k = min(1.0, 0.6 + 0.4 * s)
    lab = tone.to_lab(rgb)                                     # one round trip: colder, less saturated
    lab[..., 2] -= 18.0 * k
    lab[..., 1] -= 4.5 * k
    lab[..., 1:] *= 1 - 0.45 * k
    out = tone.from_lab(lab)
    del lab
    hsv = _hue_masks(rgb)
    y = tone.luma(rgb)
    frost = _foliage(hsv) * k
    # snow settles where the picture gets lighter going up (tops of things): vertical gradient > 0
    gy = cv2.Sobel(cv2.GaussianBlur(y, (0, 0), 1.2), cv2.CV_32F, 0, 1, ksize=3)
    tops = np.clip(-gy * 4, 0, 1) * 0.5
    settle = np.clip(frost * 0.75 + tops * k, 0, 0.9)
    if sky is not None:
        settle = settle * (1 - sky)
    snow_white = np.clip(0.82 + 0.18 * y, 0, 1)[..., None] * np.array([0.96, 0.98, 1.0], np.float32)
    out = _mix(out, snow_white, settle)
    out = tone.brighter(out, 0.3 * k)
    return snow(out, 0.5 * s, seed=seed, cool=False)


def fog(rgb, s=1.0, sky=None):
    """A veil that thickens with distance: more toward the top (and the horizon), contrast falls."""
    h, w = rgb.shape[:2]
    k = min(0.95, 0.45 + 0.3 * s)
    depth = _vertical(h, w, 1.0, 0.55)                        # farther at the top of most photos
    y = tone.luma(rgb)
    small = cv2.resize(y, (max(1, w * 128 // max(h, w)), max(1, h * 128 // max(h, w))), interpolation=cv2.INTER_AREA)
    glow = cv2.resize(cv2.GaussianBlur(small, (0, 0), 128 / 30), (w, h), interpolation=cv2.INTER_LINEAR)
    depth = np.clip(depth + 0.25 * glow - 0.1, 0, 1)   # bright areas (sky, haze) read as farther
    veil = np.array([0.86, 0.88, 0.9], np.float32)
    density = 1 - np.exp(-2.2 * k * depth)
    out = _mix(tone.saturation(rgb, 1 - 0.4 * k), np.broadcast_to(veil, rgb.shape), density)
    return np.clip(out, 0, 1)


def _streaks(h, w, density, length, angle_deg, rng):
    """(H, W) light streaks: sparse random points smeared by a line kernel at `angle_deg`."""
    pts = (rng.random((h, w), dtype=np.float32) < density).astype(np.float32)
    pts *= rng.uniform(0.4, 1.0, (h, w)).astype(np.float32)
    ksize = int(length) | 1
    kernel = np.zeros((ksize, ksize), np.float32)
    c = ksize // 2
    dx, dy = np.sin(np.radians(angle_deg)), np.cos(np.radians(angle_deg))
    cv2.line(kernel, (int(c - dx * c), int(c - dy * c)), (int(c + dx * c), int(c + dy * c)), 1.0, 1)
    kernel /= kernel.sum()
    return np.clip(cv2.filter2D(pts, -1, kernel) * length * 0.9, 0, 1)


def rain(rgb, s=1.0, seed=0, sky=None):
    """Wet, grey light and falling rain: thin slanted streaks in two layers (near ones longer)."""
    h, w = rgb.shape[:2]
    rng = np.random.default_rng(seed)
    scale = max(h, w) / 1000.0
    k = min(1.6, s)
    out = tone.saturation(rgb, 0.75)
    out = tone.contrast(out, 0.6, up=False) * 0.78
    far = _streaks(h, w, 0.004 * k, 18 * scale + 5, 12, rng) * 0.35
    near = _streaks(h, w, 0.0012 * k, 40 * scale + 9, 14, rng) * 0.55
    near = cv2.GaussianBlur(near, (0, 0), 0.7 * scale + 0.3)
    drops = np.clip(far + near, 0, 0.7)[..., None]
    out = out + (np.array([0.85, 0.88, 0.92], np.float32) - out) * drops
    return np.clip(out, 0, 1)


def snow(rgb, s=1.0, seed=0, sky=None, cool=True):
    """Falling snow: soft round flakes in three sizes (small and far, large and near, some blurred)."""
    h, w = rgb.shape[:2]
    rng = np.random.default_rng(seed + 1)
    scale = max(h, w) / 1000.0
    out = tone.temperature(rgb, 0.6, warm=False) if cool else rgb.copy()
    if cool:
        out = tone.brighter(tone.saturation(out, 0.8), 0.3)
    layer = np.zeros((h, w), np.float32)
    for count, radius, blur in ((2200, 1.4, 0.5), (600, 2.6, 0.9), (70, 4.0, 1.8)):
        n = int(count * s * (h * w) / 1e6) + 1
        xs, ys = rng.integers(0, w, n), rng.integers(0, h, n)
        flakes = np.zeros((h, w), np.float32)
        r = max(1, int(round(radius * scale + 0.5)))
        for x, y in zip(xs, ys, strict=True):
            cv2.circle(flakes, (int(x), int(y)), r, float(rng.uniform(0.6, 1.0)), -1, lineType=cv2.LINE_AA)
        layer = np.maximum(layer, cv2.GaussianBlur(flakes, (0, 0), blur * scale + 0.4))
    out = _mix(out, np.float32(0.97), np.clip(layer * 1.2, 0, 1))
    return np.clip(out, 0, 1)
