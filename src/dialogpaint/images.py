"""Reading and shaping images: the one place where user files become RGB `PIL.Image`s.

Is: safe opening (size checked before decoding, truncation and non-images reported clearly), EXIF
orientation, mode conversion, sizing for a latent model. Is not: any model code.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageError

MAX_PIXELS = 50_000_000  # refuse larger images before decoding them (decompression bombs)


def open_image(source: str | os.PathLike | bytes | BinaryIO, *, max_pixels: int = MAX_PIXELS,
               draft_side: int | None = None) -> Image.Image:
    """Open an image file (path, bytes or file object) as an RGB image with EXIF orientation applied.

    `draft_side`: a JPEG may be decoded at 1/2, 1/4 or 1/8 scale, as long as its longest side stays at
    least this long (less memory and time for a caller that shrinks the image anyway).

    Raises `ImageError` with a one-line reason for a missing file, a file that is not an image, a
    truncated or corrupt file, or one over `max_pixels` (checked from the header, before decoding).
    """
    name = "the image"
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = f"'{path}'"
        if not path.exists():
            raise ImageError(f"{name} does not exist")
        if path.is_dir():
            raise ImageError(f"{name} is a folder, not an image file")
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ImageError(f"cannot read {name}: {e.strerror or e}") from None
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    if not data:
        raise ImageError(f"{name} is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))  # reads the header only
        except UnidentifiedImageError:
            raise ImageError(f"{name} is not an image PIL can read (PNG, JPEG, WebP, ...)") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(f"{name} is too large (over {max_pixels:,} pixels)") from None
        except OSError as e:
            raise ImageError(f"{name} is corrupt: {e}") from None
        w, h = img.size
        if w * h > max_pixels:
            raise ImageError(f"{name} is too large: {w}x{h} is over {max_pixels:,} pixels")
        if w == 0 or h == 0:
            raise ImageError(f"{name} has no pixels")
        if draft_side and max(w, h) > draft_side:
            f = draft_side / max(w, h)
            img.draft(None, (int(-(-w * f // 1)), int(-(-h * f // 1))))  # JPEG only; a no-op for other formats
        try:
            img.load()
        except (OSError, SyntaxError, ValueError) as e:
            raise ImageError(f"{name} is truncated or corrupt ({e})") from None
    return to_rgb(img, copy=False)  # freshly decoded: ours


def to_rgb(img: Image.Image, *, copy: bool = True) -> Image.Image:
    """EXIF orientation applied, any mode to RGB (transparent pixels composed over white). A new image,
    except with `copy=False` (for an image the caller owns: a 49 MP copy is 147 MB)."""
    if copy or img.getexif().get(0x0112, 1) != 1:  # Orientation
        img = ImageOps.exif_transpose(img)
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")
    return img.convert("RGB")


def working_size(size: tuple[int, int], *, max_side: int = 512, multiple: int = 8) -> tuple[int, int]:
    """The (width, height) a latent model works at: long side capped at `max_side`, aspect kept,
    each side rounded to the nearest multiple of `multiple` (at least one multiple)."""
    if max_side < multiple:
        raise ValueError(f"max_side {max_side} is smaller than the size multiple {multiple}")
    w, h = size
    scale = min(1.0, max_side / max(w, h))
    def fit(v: float) -> int:
        return max(multiple, min(max_side // multiple * multiple, int(round(v * scale / multiple)) * multiple))
    return fit(w), fit(h)


def fit_for_model(img: Image.Image, *, max_side: int = 512, multiple: int = 8) -> Image.Image:
    """Resize (Lanczos) to `working_size`; returns the image unchanged when it already fits."""
    size = working_size(img.size, max_side=max_side, multiple=multiple)
    return img if size == img.size else img.resize(size, Image.LANCZOS)
