"""Cross-attention keys and values computed once per edit, not once per step.

The text conditioning of the batch of three is the same tensor at every denoising step, so the K and V
projections of every cross-attention layer give the same result at every step; diffusers computes them
again each time. `cache_cross_attention(unet)` gives each cross-attention layer of a diffusers UNet a
processor that computes them once per conditioning (the context is compared with the cached one element by
element, a small cost next to the projections; the weights by storage and version counter) and, within it,
once per distinct row (rows 1 and 2 of the batch are both the null text). Everything else is diffusers' AttnProcessor2_0, unchanged; a
layer or a call it does not cover (masks, norms on the context, autograd) goes to the processor it replaced.

Is: an inference-time saving in the editor (pipeline.py). Is not: used by training, or by the plain-torch
UNet of native.py (the tiny model's 32-token context costs nothing there).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


class CrossAttentionCache:
    """A diffusers attention processor for one cross-attention layer (see the module docstring)."""

    def __init__(self, plain):
        self.plain = plain   # the processor it replaced (AttnProcessor2_0)
        self._entry = None   # (the context it was computed for, weight stamps, key, value)

    def _key_value(self, attn, ctx: torch.Tensor):
        stamp = tuple((w.data_ptr(), None if w.is_inference() else w._version) for w in (attn.to_k.weight, attn.to_v.weight))
        e = self._entry
        if (e is not None and e[1] == stamp and e[0].shape == ctx.shape and e[0].dtype == ctx.dtype
                and e[0].device == ctx.device and torch.equal(e[0], ctx)):
            return e[2], e[3]
        b = ctx.shape[0]
        rows, inverse = torch.unique(ctx.reshape(b, -1), dim=0, return_inverse=True)  # (u, L*d), (b,)
        rows = rows.view(-1, *ctx.shape[1:])
        heads = attn.heads
        key, value = (proj(rows)[inverse] for proj in (attn.to_k, attn.to_v))  # (b, L, inner)
        key, value = (t.view(b, -1, heads, t.shape[-1] // heads).transpose(1, 2) for t in (key, value))
        self._entry = (ctx.clone(), stamp, key, value)
        return key, value

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, *args,
                 **kwargs):
        if (encoder_hidden_states is None or attention_mask is not None or args or kwargs or hidden_states.ndim != 3
                or attn.spatial_norm is not None or attn.group_norm is not None or attn.norm_cross
                or attn.norm_q is not None or attn.norm_k is not None or attn.residual_connection
                or torch.is_grad_enabled()):
            return self.plain(attn, hidden_states, encoder_hidden_states, attention_mask, temb, *args, **kwargs)
        key, value = self._key_value(attn, encoder_hidden_states)
        b, heads = hidden_states.shape[0], attn.heads
        query = attn.to_q(hidden_states)
        query = query.view(b, -1, heads, query.shape[-1] // heads).transpose(1, 2)
        out = F.scaled_dot_product_attention(query, key, value, dropout_p=0.0, is_causal=False)
        out = out.transpose(1, 2).reshape(b, -1, heads * out.shape[-1]).to(query.dtype)
        out = attn.to_out[1](attn.to_out[0](out))
        return out / attn.rescale_output_factor


def cache_cross_attention(unet) -> int:
    """Give every cross-attention layer of a diffusers UNet that uses AttnProcessor2_0 a CrossAttentionCache;
    returns how many (0 for any other UNet)."""
    n = 0
    for m in unet.modules():
        proc = getattr(m, "processor", None)
        if (type(m).__name__ == "Attention" and getattr(m, "is_cross_attention", False)
                and type(proc).__name__ == "AttnProcessor2_0" and hasattr(m, "set_processor")):
            m.set_processor(CrossAttentionCache(proc))
            n += 1
    return n
