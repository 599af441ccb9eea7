"""Drawing scenes: a deterministic renderer from a Scene to an RGB image (any square size).

Things have outlines and a highlight so that they read as things; weather and styles are drawn or
applied over the whole picture. Same scene, same size -> the same pixels, always.
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from .scene import COLORS, GROUNDS, SIZES, SKY_KINDS, SLOTS, Scene, Thing

HORIZON = 0.62  # fraction of the height where the ground starts
SKY = {"day": ((110, 170, 235), (190, 225, 250)), "sunset": ((250, 120, 70), (250, 200, 130)),
       "night": ((12, 18, 50), (40, 50, 95))}


def _shade(rgb, f: float):
    return tuple(int(max(0, min(255, c * f))) for c in rgb)


def _thing(d: ImageDraw.ImageDraw, t: Thing, n: int, scene: Scene):
    r = SIZES[t.size] * n
    cx = SLOTS[t.slot] * n
    cy = (0.2 + 0.06 * (t.slot % 2)) * n if t.kind in SKY_KINDS else HORIZON * n + 0.1 * n - r * 0.2
    c = COLORS[t.color]
    dark, light = _shade(c, 0.55), tuple(min(255, int(v * 0.6 + 255 * 0.4)) for v in c)
    w = max(1, n // 96)
    k = t.kind
    if k in ("ball", "sun", "moon"):
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=c, outline=dark, width=w)
        if k == "sun":
            for a in range(8):
                ang = a * np.pi / 4
                d.line([cx + 1.2 * r * np.cos(ang), cy + 1.2 * r * np.sin(ang),
                        cx + 1.55 * r * np.cos(ang), cy + 1.55 * r * np.sin(ang)], fill=c, width=2 * w)
        if k == "moon":
            sky = SKY[scene.time][0]
            d.ellipse([cx - r * 0.35, cy - r * 1.05, cx + r * 1.3, cy + r * 0.6], fill=sky)
        else:
            d.ellipse([cx - r * 0.55, cy - r * 0.6, cx - r * 0.1, cy - r * 0.15], fill=light)
    elif k == "tree":
        d.rectangle([cx - r * 0.18, cy - r * 0.2, cx + r * 0.18, cy + r], fill=(110, 70, 35), outline=(60, 35, 15))
        d.ellipse([cx - r, cy - 1.8 * r, cx + r, cy + 0.1 * r], fill=c, outline=dark, width=w)
        d.ellipse([cx - r * 0.6, cy - r * 1.5, cx - r * 0.1, cy - r * 1.0], fill=light)
    elif k == "house":
        d.rectangle([cx - r, cy - r * 0.9, cx + r, cy + r], fill=c, outline=dark, width=w)
        d.polygon([(cx - 1.2 * r, cy - 0.9 * r), (cx, cy - 1.9 * r), (cx + 1.2 * r, cy - 0.9 * r)],
                  fill=(90, 50, 40), outline=(50, 25, 20))
        d.rectangle([cx - r * 0.25, cy + r * 0.2, cx + r * 0.25, cy + r], fill=(70, 45, 30))
        d.rectangle([cx - r * 0.8, cy - r * 0.5, cx - r * 0.4, cy - r * 0.1], fill=(200, 230, 250), outline=dark)
    elif k == "car":
        d.rounded_rectangle([cx - 1.3 * r, cy - 0.3 * r, cx + 1.3 * r, cy + 0.6 * r], radius=r * 0.2, fill=c,
                            outline=dark, width=w)
        d.polygon([(cx - 0.7 * r, cy - 0.3 * r), (cx - 0.4 * r, cy - 0.9 * r), (cx + 0.5 * r, cy - 0.9 * r),
                   (cx + 0.8 * r, cy - 0.3 * r)], fill=light, outline=dark)
        for wx in (-0.75, 0.75):
            d.ellipse([cx + wx * r - 0.33 * r, cy + 0.35 * r, cx + wx * r + 0.33 * r, cy + r], fill=(30, 30, 30))
    elif k == "flower":
        d.line([cx, cy - 0.2 * r, cx, cy + r], fill=(40, 120, 40), width=2 * w)
        for a in range(5):
            ang = a * 2 * np.pi / 5
            px, py = cx + 0.5 * r * np.cos(ang), cy - 0.5 * r + 0.5 * r * np.sin(ang)
            d.ellipse([px - 0.4 * r, py - 0.4 * r, px + 0.4 * r, py + 0.4 * r], fill=c, outline=dark)
        d.ellipse([cx - 0.25 * r, cy - 0.75 * r, cx + 0.25 * r, cy - 0.25 * r], fill=(250, 220, 60))
    elif k == "heart":
        d.ellipse([cx - r, cy - r, cx, cy], fill=c, outline=dark, width=w)
        d.ellipse([cx, cy - r, cx + r, cy], fill=c, outline=dark, width=w)
        d.polygon([(cx - r * 0.97, cy - r * 0.35), (cx + r * 0.97, cy - r * 0.35), (cx, cy + r)], fill=c)
        d.line([(cx - r * 0.97, cy - r * 0.35), (cx, cy + r), (cx + r * 0.97, cy - r * 0.35)], fill=dark, width=w)
    elif k == "star":
        pts = []
        for a in range(10):
            rr = r if a % 2 == 0 else r * 0.45
            ang = -np.pi / 2 + a * np.pi / 5
            pts.append((cx + rr * np.cos(ang), cy + rr * np.sin(ang)))
        d.polygon(pts, fill=c, outline=dark)
    elif k == "cloud":
        for dx, dy, s in ((-0.7, 0.1, 0.6), (0.0, -0.2, 0.8), (0.7, 0.1, 0.6)):
            d.ellipse([cx + dx * r - s * r, cy + dy * r - s * r, cx + dx * r + s * r, cy + dy * r + s * r], fill=c)
        d.line([cx - 1.2 * r, cy + 0.65 * r, cx + 1.2 * r, cy + 0.65 * r], fill=dark, width=w)
    else:
        raise ValueError(f"unknown kind {k!r}")


def _background(scene: Scene, n: int) -> Image.Image:
    top, bottom = SKY[scene.time]
    h = int(HORIZON * n)
    g = np.linspace(0, 1, h)[:, None, None]
    sky = (np.array(top) * (1 - g) + np.array(bottom) * g) * np.ones((1, n, 1))
    ground = np.array(GROUNDS[scene.ground], dtype=float)
    gy = np.linspace(1.0, 0.8, n - h)[:, None, None]
    grd = ground * gy * np.ones((1, n, 1))
    if scene.time == "night":
        grd *= 0.45
    elif scene.time == "sunset":
        grd = grd * 0.8 + np.array([40, 10, 0])
    img = Image.fromarray(np.concatenate([sky, grd]).clip(0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    if scene.ground == "water":
        for i in range(6):
            y = h + (i + 0.5) * (n - h) / 6
            d.line([(0, y), (n, y)], fill=_shade(GROUNDS["water"], 1.35 if scene.time != "night" else 0.7), width=1)
    elif scene.ground == "road":
        d.rectangle([0, h + (n - h) * 0.55, n, h + (n - h) * 0.6], fill=(235, 220, 90))
    return img


def _weather(img: Image.Image, scene: Scene, n: int) -> Image.Image:
    if scene.weather == "clear":
        return img
    rng = random.Random(7)  # fixed pattern: the same weather looks the same on every scene
    d = ImageDraw.Draw(img)
    if scene.weather == "snow":
        for _ in range(n * n // 200):
            x, y, s = rng.random() * n, rng.random() * n, max(1, n / 128) * rng.choice((1, 1.5))
            d.ellipse([x - s, y - s, x + s, y + s], fill=(255, 255, 255))
    else:
        for _ in range(n * n // 300):
            x, y = rng.random() * n, rng.random() * n
            d.line([x, y, x - n * 0.02, y + n * 0.06], fill=(150, 170, 220), width=max(1, n // 128))
    return img


def _style(img: Image.Image, style: str, n: int) -> Image.Image:
    if style == "photo":
        return img
    if style == "sepia":
        a = np.asarray(img, dtype=float)
        m = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
        return Image.fromarray((a @ m.T).clip(0, 255).astype(np.uint8))
    if style == "sketch":
        gray = ImageOps.grayscale(img)
        edges = ImageOps.invert(gray.filter(ImageFilter.FIND_EDGES)).point(lambda v: 255 if v > 200 else v * 0.6)
        return Image.merge("RGB", (edges, edges, edges))
    if style == "pixel":
        k = max(8, n // 8)
        return img.resize((k, k), Image.BOX).resize((n, n), Image.NEAREST)
    raise ValueError(f"unknown style {style!r}")


def render(scene: Scene, size: int = 128) -> Image.Image:
    """The scene as an RGB image of `size` x `size`."""
    img = _background(scene, size)
    d = ImageDraw.Draw(img)
    for t in sorted(scene.things, key=lambda t: (t.kind not in SKY_KINDS, t.slot)):
        _thing(d, t, size, scene)
    return _style(_weather(img, scene, size), scene.style, size)
