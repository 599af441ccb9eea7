"""Faces and irises, from MediaPipe's face detection, face mesh and iris models run by OpenCV's DNN.

Is: `faces(rgb)` -> face boxes, `irises(rgb)` -> an (H, W) mask of the irises of every face found,
or None. The three .tflite files (Apache-2.0, Google) ship in models/photo/ (see its README). Is not:
a face recogniser; nothing here identifies anyone.

Pipeline (the one MediaPipe uses): 1. the short-range detector (128x128 input, 896 SSD anchors) gives
face boxes; 2. the face mesh (192x192 crop, 468 landmarks) gives each eye's corners; 3. the iris model
(64x64 crop per eye, the right eye mirrored) gives the iris centre and four boundary points.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

DETECT_SIZE, MESH_SIZE, IRIS_SIZE = 128, 192, 64
EYE_CORNERS = ((33, 133), (362, 263))   # face-mesh indices of (outer, inner) corners: subject's right, left eye


def _net(name: str):
    from .regions import models_dir

    path = models_dir() / name
    return cv2.dnn.readNetFromTFLite(str(path)) if path.is_file() else None


@lru_cache(maxsize=1)
def _nets():
    nets = tuple(_net(n) for n in ("face_detection_short_range.tflite", "face_landmark.tflite",
                                   "iris_landmark.tflite"))
    return None if any(n is None for n in nets) else nets


@lru_cache(maxsize=1)
def _anchors() -> np.ndarray:
    """(896, 2) anchor centres in [0, 1]: strides 8 (2 per cell) and 16 (6 per cell), as MediaPipe builds them."""
    out = []
    for stride, per_cell in ((8, 2), (16, 6)):
        n = DETECT_SIZE // stride
        for y in range(n):
            for x in range(n):
                out += [((x + 0.5) / n, (y + 0.5) / n)] * per_cell
    return np.array(out, np.float32)


def _crop(rgb: np.ndarray, cx: float, cy: float, side: float, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A square crop of `side` pixels centred on (cx, cy), resized to `size`; and its affine (2, 3)."""
    s = side / size
    m = np.array([[s, 0, cx - side / 2], [0, s, cy - side / 2]], np.float32)   # crop px -> image px
    crop = cv2.warpAffine(rgb, m, (size, size), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_REPLICATE)
    return crop, m


def faces(rgb: np.ndarray, min_score: float = 0.6) -> list[tuple[float, float, float, float]]:
    """Face boxes (x0, y0, x1, y1) in pixels, best first, overlaps suppressed."""
    nets = _nets()
    if nets is None:
        return []
    h, w = rgb.shape[:2]
    side = max(h, w)  # pad to a square so the detector sees the whole photo undistorted
    crop, m = _crop(rgb, w / 2, h / 2, side, DETECT_SIZE)
    nets[0].setInput((crop * 2 - 1).transpose(2, 0, 1)[None])          # (1, 3, 128, 128) in [-1, 1]
    cls = nets[0].forward("classificators")                           # (1, 896, 1) face logits
    reg = nets[0].forward("regressors")                               # (1, 896, 16) boxes and keypoints
    scores = 1 / (1 + np.exp(-np.clip(cls[0, :, 0].astype(np.float64), -60, 60)))
    keep = np.where(scores > min_score)[0]
    if not len(keep):
        return []
    a = _anchors()[keep]
    r = reg[0, keep] / DETECT_SIZE
    cx, cy = r[:, 0] + a[:, 0], r[:, 1] + a[:, 1]
    bw, bh = r[:, 2], r[:, 3]
    boxes = np.stack([cx - bw / 2, cy - bh / 2, bw, bh], 1) * side       # x, y, w, h in crop-scaled px
    boxes[:, 0] += m[0, 2]
    boxes[:, 1] += m[1, 2]
    idx = cv2.dnn.NMSBoxes(boxes.tolist(), scores[keep].tolist(), min_score, 0.3)
    return [(float(x), float(y), float(x + bw_), float(y + bh_)) for x, y, bw_, bh_ in boxes[np.array(idx).ravel()]]


def _eye_points(rgb: np.ndarray, box) -> list[tuple[np.ndarray, np.ndarray]]:
    """For one face box: each eye's (outer corner, inner corner) in image pixels, from the face mesh."""
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0) * 1.5
    crop, m = _crop(rgb, (x0 + x1) / 2, (y0 + y1) / 2, side, MESH_SIZE)
    _, mesh, _ = _nets()
    mesh.setInput(crop.transpose(2, 0, 1)[None])                        # (1, 3, 192, 192) in [0, 1]
    pts = mesh.forward().reshape(468, 3)[:, :2]                         # crop pixels
    pts = pts @ m[:, :2].T + m[:, 2]                                    # image pixels
    return [(pts[a], pts[b]) for a, b in EYE_CORNERS]


def _iris(rgb: np.ndarray, outer: np.ndarray, inner: np.ndarray, mirrored: bool) -> tuple[np.ndarray, float] | None:
    """(centre, radius) of one iris in image pixels."""
    _, _, iris_net = _nets()
    centre = (outer + inner) / 2
    side = float(np.linalg.norm(outer - inner)) * 2.3
    if side < 8:
        return None
    crop, m = _crop(rgb, float(centre[0]), float(centre[1]), side, IRIS_SIZE)
    if mirrored:
        crop = crop[:, ::-1]
    iris_net.setInput(np.ascontiguousarray(crop.transpose(2, 0, 1)[None]))   # (1, 3, 64, 64) in [0, 1]
    p = iris_net.forward("output_iris").reshape(5, 3)[:, :2].copy()        # centre + 4 boundary points
    if mirrored:
        p[:, 0] = IRIS_SIZE - p[:, 0]
    p = p @ m[:, :2].T + m[:, 2]
    radius = float(np.median(np.linalg.norm(p[1:] - p[0], axis=1)))
    return p[0], radius


def irises(rgb: np.ndarray) -> np.ndarray | None:
    """Mask of the irises (the coloured ring; the pupil and the eye's white excluded), or None."""
    boxes = faces(rgb)
    if not boxes:
        return None
    h, w = rgb.shape[:2]
    mask = np.zeros((h, w), np.float32)
    y = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    for box in boxes[:4]:
        for i, (outer, inner) in enumerate(_eye_points(rgb, box)):
            found = _iris(rgb, outer, inner, mirrored=(i == 1))
            if found is None:
                continue
            (cx, cy), r = found
            ring = np.zeros((h, w), np.float32)
            cv2.circle(ring, (int(round(cx)), int(round(cy))), max(1, int(round(r))), 1.0, -1, cv2.LINE_AA)
            cv2.circle(ring, (int(round(cx)), int(round(cy))), max(1, int(round(r * 0.38))), 0.0, -1, cv2.LINE_AA)
            # the eyelids cover part of the iris: keep only pixels darker than the eye's white
            x0, x1 = int(max(0, cx - 2 * r)), int(min(w, cx + 2 * r + 1))
            y0, y1 = int(max(0, cy - 2 * r)), int(min(h, cy + 2 * r + 1))
            patch = y[y0:y1, x0:x1]
            white = np.quantile(patch, 0.95) if patch.size else 1.0
            ring[y0:y1, x0:x1] *= np.clip((white - patch) / max(white * 0.25, 1e-3), 0, 1)
            mask = np.maximum(mask, ring)
    if mask.max() <= 0:
        return None
    return cv2.GaussianBlur(mask, (0, 0), max(0.6, max(h, w) / 1500))
