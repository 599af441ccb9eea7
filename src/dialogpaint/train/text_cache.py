"""Cached text encodings: each distinct instruction is encoded once (trimmed, fp16).

Since the tiny model's encoder zeroes padding states (MaskedTextEncoder), a trimmed encoding padded
with zeros is exactly what the encoder gives at inference.
"""

from __future__ import annotations

from pathlib import Path

import torch


def build_cache(texts: list[str], encoder, tokenizer, batch: int = 64, trim: bool | None = None
                ) -> dict[str, torch.Tensor]:
    """{text: (L, d) fp16} for texts (and "" for the null text). Trimmed to the real tokens when the
    encoder zeroes padding states (MaskedTextEncoder); full length otherwise (e.g. CLIP)."""
    from ..editing.text_encoders import MaskedTextEncoder

    trim = isinstance(encoder, MaskedTextEncoder) if trim is None else trim
    texts = sorted(set(texts) | {""})
    out = {}
    with torch.inference_mode():
        for i in range(0, len(texts), batch):
            chunk = texts[i:i + batch]
            tok = tokenizer(chunk, padding="max_length", max_length=tokenizer.model_max_length, truncation=True,
                            return_tensors="pt")
            h = encoder(tok.input_ids, attention_mask=tok.attention_mask)[0]  # (B, L, d)
            for t, hh, m in zip(chunk, h, tok.attention_mask):
                out[t] = (hh[: int(m.sum())] if trim else hh).to(torch.float16).clone()
    return out


def save_cache(cache: dict[str, torch.Tensor], path: str | Path, max_tokens: int) -> None:
    torch.save({"max_tokens": max_tokens, "texts": cache}, path)


class TextTable:
    """Padded (N, L, d) encodings with an index per text; row 0 is the null text."""

    def __init__(self, path_or_cache: str | Path | dict, device="cpu", dtype=torch.float32):
        blob = path_or_cache if isinstance(path_or_cache, dict) else torch.load(path_or_cache, weights_only=True)
        texts = blob["texts"]
        L = blob["max_tokens"]
        self.names = [""] + sorted(t for t in texts if t != "")
        d = texts[""].shape[-1]
        table = torch.zeros(len(self.names), L, d)
        for i, t in enumerate(self.names):
            table[i, : texts[t].shape[0]] = texts[t].float()
        self.table = table.to(device, dtype)
        self.index = {t: i for i, t in enumerate(self.names)}

    def ids(self, texts: list[str]) -> torch.Tensor:
        missing = [t for t in texts if t not in self.index]
        if missing:
            raise KeyError(f"{len(missing)} instruction(s) not in the text cache, e.g. {missing[0]!r}")
        return torch.tensor([self.index[t] for t in texts])
