"""Tone and colour operations on a whole photo (OpenCV and numpy, full resolution).

Is: brightness, contrast, saturation, white balance, black and white, sepia, vintage, a colour tint,
sharpening, blur, vignette. Every function takes an RGB float32 array in [0, 1] of shape (H, W, 3)
and a strength (0.5 "a bit", 1 plain, 1.6 "more", 2.2 "much more") and returns a new array.
Is not: deciding what to do (`parse.py`) or regions (`regions.py`).
"""

from __future__ import annotations

import cv2
import numpy as np


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) RGB in [0, 1] -> Lab (L 0-100, a and b about -127..127), float32."""
    return cv2.cvtColor(np.ascontiguousarray(rgb, np.float32), cv2.COLOR_RGB2Lab)


def from_lab(lab: np.ndarray) -> np.ndarray:
    return np.clip(cv2.cvtColor(lab.astype(np.float32), cv2.COLOR_Lab2RGB), 0, 1)


def luma(rgb: np.ndarray) -> np.ndarray:
    """(H, W) Rec. 601 luma in [0, 1]."""
    return rgb @ np.array([0.299, 0.587, 0.114], np.float32)


def brighter(rgb, s=1.0):
    """Lift mid-tones (a gamma on L) and exposure a little; highlights are not clipped flat."""
    lab = to_lab(rgb)
    g = 1.0 / (1.0 + 0.35 * s)
    lab[..., 0] = 100.0 * (lab[..., 0] / 100.0) ** g
    return from_lab(lab)


def darker(rgb, s=1.0):
    lab = to_lab(rgb)
    g = 1.0 + 0.35 * s
    lab[..., 0] = 100.0 * (lab[..., 0] / 100.0) ** g
    return from_lab(lab)


def contrast(rgb, s=1.0, up=True):
    """Scale lightness around its mean (chroma follows a little)."""
    lab = to_lab(rgb)
    k = (1.0 + 0.3 * s) if up else 1.0 / (1.0 + 0.35 * s)
    mean = float(lab[..., 0].mean())
    lab[..., 0] = np.clip(mean + (lab[..., 0] - mean) * k, 0, 100)
    lab[..., 1:] *= k ** 0.5
    return from_lab(lab)


def saturation(rgb, factor: float):
    """Chroma times `factor` in Lab (hue and lightness kept)."""
    lab = to_lab(rgb)
    lab[..., 1:] *= factor
    return from_lab(lab)


def vivid(rgb, s=1.0):
    return saturation(rgb, 1.0 + 0.4 * s)


def muted(rgb, s=1.0):
    return saturation(rgb, 1.0 / (1.0 + 0.6 * s))


def temperature(rgb, s=1.0, warm=True):
    """White balance: shift b (blue-yellow) and a little a (green-magenta) in Lab."""
    lab = to_lab(rgb)
    sign = 1.0 if warm else -1.0
    lab[..., 2] += sign * 12.0 * s
    lab[..., 1] += sign * 3.0 * s
    return from_lab(lab)


def balance(rgb, s=1.0):
    """A colour cast removed (grey world): each channel scaled towards the mean of the three channel means."""
    means = rgb.reshape(-1, 3).mean(0)                    # (3,) in [0, 1]
    gain = np.clip(means.mean() / np.maximum(means, 1e-3), 0.67, 1.5)  # (3,), bounded: a yellow field stays a field
    return np.clip(rgb * (1.0 + min(s, 1.0) * (gain - 1.0)).astype(np.float32), 0.0, 1.0)


def black_and_white(rgb, s=1.0):
    y = luma(rgb)
    out = np.repeat(y[..., None], 3, axis=2)
    return out if s >= 1 else rgb * (1 - s) + out * s


SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]], np.float32)


def sepia(rgb, s=1.0):
    out = np.clip(rgb @ SEPIA.T, 0, 1)
    k = min(1.0, 0.6 + 0.4 * s)
    return rgb * (1 - k) + out * k


def vignette(rgb, s=1.0):
    h, w = rgb.shape[:2]
    yy, xx = np.ogrid[-1:1:complex(0, h), -1:1:complex(0, w)]
    r2 = (xx.astype(np.float32) ** 2 + yy.astype(np.float32) ** 2) / 2.0
    fall = 1.0 - 0.45 * s * r2 ** 1.5
    return np.clip(rgb * fall[..., None], 0, 1)


def grain(rgb, amount: float, seed: int):
    """Monochrome film grain of standard deviation `amount` (0-1 scale), seeded."""
    rng = np.random.default_rng(seed)
    n = rng.standard_normal(rgb.shape[:2], dtype=np.float32) * amount
    n = cv2.GaussianBlur(n, (0, 0), 0.6)
    return np.clip(rgb + n[..., None], 0, 1)


def vintage(rgb, s=1.0, seed=0):
    """Faded film: lifted blacks, softer highlights, warm and slightly muted, a vignette and grain."""
    k = min(1.0, 0.5 + 0.5 * s)
    out = saturation(rgb, 1.0 - 0.3 * k)
    out = 0.08 * k + out * (1.0 - 0.16 * k)                              # fade: lift blacks, lower whites
    out = out * np.array([1.0 + 0.06 * k, 1.0 + 0.02 * k, 1.0 - 0.08 * k], np.float32)  # warm, yellowed
    out = vignette(np.clip(out, 0, 1), 0.6 * k)
    return grain(out, 0.025 * k, seed)


def tint(rgb, colour: tuple[int, int, int], s=1.0):
    """A colour cast: move the chroma (a, b) toward the colour's, lightness kept."""
    lab = to_lab(rgb)
    target = to_lab(np.array([[colour]], np.float32) / 255.0)[0, 0]
    k = min(0.85, 0.35 * s)
    lab[..., 1] = lab[..., 1] * (1 - k) + target[1] * k
    lab[..., 2] = lab[..., 2] * (1 - k) + target[2] * k
    return from_lab(lab)


def sharpen(rgb, s=1.0):
    """Unsharp mask."""
    blur = cv2.GaussianBlur(rgb, (0, 0), 1.5 + 0.5 * s)
    return np.clip(rgb + (0.6 * s) * (rgb - blur), 0, 1)


def blur(rgb, s=1.0, scale: float = 1.0):
    """Gaussian blur; `scale` is the image's longer side over 1000 px (so "a bit" looks alike at any size).

    A wide blur runs on a copy made smaller by up to sigma / 3 and is scaled back: the same look at a
    fraction of the cost on a large photo."""
    sigma = max(0.8, 2.5 * s * scale)
    f = max(1.0, sigma / 3.0)
    if f < 1.5:
        return cv2.GaussianBlur(rgb, (0, 0), sigma)
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (max(1, round(w / f)), max(1, round(h / f))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / f)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def invert(rgb, s=1.0):
    return 1.0 - rgb
