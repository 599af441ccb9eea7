"""A tiny random chat model, built offline: a byte-level tokenizer with a ChatML template plus a
randomly initialised Llama (causal) or BART (seq2seq) of a few hundred thousand parameters.

Is: a stand-in with the real model's interfaces, for tests and smoke runs of `dialogpaint train
dialogue` (no downloads). Is not: a dialogue model anyone should talk to.
"""

from __future__ import annotations

from pathlib import Path

CHATML = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<pad>"]


def byte_tokenizer():
    """A byte-level BPE tokenizer with no merges (256 byte tokens + 4 special), ChatML template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    alphabet = pre_tokenizers.ByteLevel.alphabet()
    vocab = {ch: i for i, ch in enumerate(sorted(alphabet))}
    tk = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<|endoftext|>", eos_token="<|im_end|>",
                                  pad_token="<pad>", unk_token="<|endoftext|>")
    tok.add_special_tokens({"additional_special_tokens": SPECIAL[1:3]})
    tok.chat_template = CHATML
    return tok


def make_random_chat_model(folder: str | Path, kind: str = "causal", seed: int = 0) -> Path:
    """Write a tiny random chat model (tokenizer + weights) that transformers loads from `folder`."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    tok = byte_tokenizer()
    n = len(tok)
    if kind == "causal":
        cfg = LlamaConfig(vocab_size=n, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                          num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                          bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
        model = LlamaForCausalLM(cfg)
    elif kind == "seq2seq":
        cfg = BartConfig(vocab_size=n, d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=4,
                         decoder_attention_heads=4, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=4096,
                         bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                         decoder_start_token_id=tok.bos_token_id, forced_eos_token_id=tok.eos_token_id)
        model = BartForConditionalGeneration(cfg)
    else:
        raise ValueError(f"kind must be causal or seq2seq, not {kind!r}")
    folder = Path(folder)
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder
