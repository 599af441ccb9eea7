"""Pictures of a conversation: a storyboard PNG of its versions and an HTML page of its turns."""

from __future__ import annotations

import html
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


def _font(size: int = 12):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def storyboard(frames: list[tuple[Image.Image, str]], *, tile: int = 192, cols: int | None = None) -> Image.Image:
    """A grid of (image, caption) frames, captions wrapped under each tile."""
    if not frames:
        raise ValueError("a storyboard needs at least one frame")
    cols = cols or min(len(frames), 5)
    rows = (len(frames) + cols - 1) // cols
    font = _font(12)
    cap_h = 48
    pad = 8
    sheet = Image.new("RGB", (cols * (tile + pad) + pad, rows * (tile + cap_h + pad) + pad), "white")
    draw = ImageDraw.Draw(sheet)
    for k, (img, caption) in enumerate(frames):
        r, c = divmod(k, cols)
        x, y = pad + c * (tile + pad), pad + r * (tile + cap_h + pad)
        scale = tile / max(img.size)  # small images are enlarged too
        thumb = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.LANCZOS)
        sheet.paste(thumb, (x + (tile - thumb.width) // 2, y + (tile - thumb.height) // 2))
        lines = textwrap.wrap(caption, width=max(10, tile // 7))[:3]
        for i, line in enumerate(lines):
            draw.text((x, y + tile + 2 + 14 * i), line, fill=(20, 20, 20), font=font)
    return sheet


def write_html(path: Path, title: str, turns: list[dict], note: str = "") -> Path:
    """A self-contained page of the turns; `turns` items: role, text, image (relative path or None)."""
    rows = []
    for t in turns:
        img = f'<br><img src="{html.escape(t["image"])}" width="256">' if t.get("image") else ""
        who = "You" if t["role"] == "user" else "DialogPaint"
        rows.append(f'<div class="{t["role"]}"><b>{who}:</b> {html.escape(t["text"])}{img}</div>')
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:720px;margin:2em auto}} div{{margin:.6em 0;padding:.5em;border-radius:6px}}
.user{{background:#eef}} .assistant{{background:#efe}} .note{{color:#a50}}</style></head><body>
<h1>{html.escape(title)}</h1>{f'<p class="note">{html.escape(note)}</p>' if note else ''}
{''.join(rows)}</body></html>"""
    path.write_text(page)
    return path
