import io
import struct
import zlib

import pytest
from PIL import Image

from dialogpaint.errors import ImageError
from dialogpaint.images import fit_for_model, open_image, to_rgb, working_size


def png_bytes(img):
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def huge_png_header(w, h):
    """A PNG whose header claims w x h pixels (its data is tiny and wrong): must be refused unread."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def test_missing_file(tmp_path):
    with pytest.raises(ImageError, match="does not exist"):
        open_image(tmp_path / "nope.png")


def test_not_an_image(tmp_path):
    p = tmp_path / "notes.png"
    p.write_text("hello")
    with pytest.raises(ImageError, match="not an image"):
        open_image(p)


def test_truncated_png(tmp_path, scene):
    p = tmp_path / "cut.png"
    p.write_bytes(png_bytes(scene)[:200])
    with pytest.raises(ImageError, match="truncated or corrupt"):
        open_image(p)


def test_decompression_bomb_refused_before_decoding(tmp_path):
    p = tmp_path / "bomb.png"
    p.write_bytes(huge_png_header(10_000, 6_000))  # 60 MP
    with pytest.raises(ImageError, match="too large"):
        open_image(p)


def test_folder_and_empty(tmp_path):
    with pytest.raises(ImageError, match="folder"):
        open_image(tmp_path)
    (tmp_path / "e.png").write_bytes(b"")
    with pytest.raises(ImageError, match="empty"):
        open_image(tmp_path / "e.png")


def test_modes_to_rgb():
    rgba = Image.new("RGBA", (4, 4), (255, 0, 0, 0))
    assert to_rgb(rgba).getpixel((0, 0)) == (255, 255, 255)  # transparent over white
    assert to_rgb(Image.new("L", (4, 4), 7)).getpixel((1, 1)) == (7, 7, 7)
    assert to_rgb(Image.new("CMYK", (4, 4))).mode == "RGB"
    assert to_rgb(Image.new("P", (4, 4))).mode == "RGB"


def test_exif_orientation_applied():
    img = Image.new("RGB", (40, 20), (0, 0, 255))
    exif = img.getexif()
    exif[0x0112] = 6  # rotate 90 CW on display
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    out = open_image(buf.getvalue())
    assert out.size == (20, 40)


def test_working_size():
    assert working_size((1024, 768), max_side=512, multiple=8) == (512, 384)
    assert working_size((100, 61), max_side=512, multiple=8) == (96, 64)
    assert working_size((3000, 10), max_side=512, multiple=64) == (512, 64)
    w, h = working_size((999, 333), max_side=256, multiple=16)
    assert max(w, h) <= 256 and w % 16 == 0 and h % 16 == 0


def test_fit_for_model_no_op_when_it_fits(scene):
    assert fit_for_model(scene, max_side=512, multiple=8) is scene
