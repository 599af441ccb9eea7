"""`dialogpaint serve` on a real photo with the default `auto` editor and no weights: exact edits, the refusal."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

httpx = pytest.importorskip("httpx")
skimage_data = pytest.importorskip("skimage.data")


def test_a_photo_conversation_over_http(make_server):
    from dialogpaint import load_editor

    url = make_server(editor=load_editor("auto")).url
    buf = io.BytesIO()
    Image.fromarray(skimage_data.coffee()).save(buf, "JPEG", quality=92)
    s = httpx.post(f"{url}/api/sessions", files={"image": ("coffee.jpg", buf.getvalue(), "image/jpeg")},
                   data={"caption": "a red cup of coffee on a wooden table"}).json()
    base, h = f"{url}/api/sessions/{s['id']}", {"Authorization": f"Bearer {s['token']}"}

    r = httpx.post(f"{base}/messages", json={"text": "make the red cup blue"}, headers=h, timeout=60).json()
    assert r["reply"]["action"] == "edit" and "Photo engine" in r["reply"]["message"] and r["version"] == 1
    img = Image.open(io.BytesIO(httpx.get(f"{url}{r['image_url']}", headers=h).content)).convert("RGB")
    assert img.size == (600, 400)  # full resolution
    out, src = np.asarray(img, np.int16), np.asarray(skimage_data.coffee(), np.int16)
    assert (out[..., 2] - out[..., 0]).mean() > (src[..., 2] - src[..., 0]).mean() + 10

    r = httpx.post(f"{base}/messages", json={"text": "add a croissant next to the cup"}, headers=h, timeout=60).json()
    assert r["reply"]["action"] == "chat" and "--editor ip2p" in r["reply"]["message"]
    assert r["version"] == 1 and len(r["edits"]) == 1  # nothing logged, the picture as it was
