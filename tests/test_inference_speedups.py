"""Speed-ups of the editor that must not change its numbers: prepacked convolutions, cached cross-attention K/V."""

import copy
import pickle

import pytest
import torch
from torch import nn

from dialogpaint.editing.kv_cache import CrossAttentionCache, cache_cross_attention
from dialogpaint.editing.prepack import PackedConv2d, prepack_available, prepack_convs


def test_bf16_convs_are_not_prepacked():
    """Prepacked bf16 convolutions were slower (prepack.py); they keep the plain path."""
    m = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1)).to(torch.bfloat16)
    assert prepack_convs(m) == 0 and type(m[0]) is nn.Conv2d


@pytest.mark.skipif(not prepack_available(), reason="oneDNN prepacking unavailable in this torch")
@pytest.mark.parametrize("dtype", [torch.float32])
def test_prepacked_convs_compute_the_same(dtype):
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.Conv2d(16, 16, 3, stride=2), nn.Conv2d(16, 4, 1)).to(dtype)
    ref = copy.deepcopy(m)
    assert prepack_convs(m) == 3 and all(isinstance(c, PackedConv2d) and isinstance(c, nn.Conv2d) for c in m)
    assert m.state_dict().keys() == ref.state_dict().keys()
    x = torch.randn(3, 8, 17, 19, dtype=dtype)
    with torch.inference_mode():
        assert (m(x).float() - ref(x).float()).abs().max() <= 1e-5
    pickle.dumps(m)  # the packed cache is not part of the state
    clone = copy.deepcopy(m)
    with torch.no_grad():  # a changed weight is repacked
        m[0].weight.mul_(2)
        ref[0].weight.mul_(2)
        assert (m(x).float() - ref(x).float()).abs().max() <= 1e-5
        assert (clone(x).float() - ref(x).float()).abs().max() > 1e-3
    if dtype == torch.float32:  # autograd takes the plain path
        m(x.requires_grad_()).sum().backward()
        assert m[0].weight.grad is not None


def test_cross_attention_cache_computes_the_same():
    from dialogpaint.editing.random_model import random_components

    unet = random_components()["unet"]  # its own: editors built from the shared fixture install the cache in place
    ref = copy.deepcopy(unet)
    assert cache_cross_attention(unet) > 0
    assert all(isinstance(p, CrossAttentionCache) for k, p in unet.attn_processors.items() if "attn2" in k)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(3, 8, 16, 16, generator=g)
    text, null = torch.randn(1, 77, 32, generator=g), torch.randn(1, 77, 32, generator=g)
    ctx = torch.cat([text, null, null])
    with torch.inference_mode():
        for t in (999.0, 500.0):  # the second call reuses the first's K/V
            a = unet(x, torch.tensor(t), encoder_hidden_states=ctx).sample
            b = ref(x, torch.tensor(t), encoder_hidden_states=ctx).sample
            assert (a - b).abs().max() <= 1e-5
    ctx2 = ctx.clone()
    ctx2[0] += 1  # another conditioning (or the same tensor changed in place) is not served from the cache
    with torch.inference_mode():
        a = unet(x, torch.tensor(3.0), encoder_hidden_states=ctx2).sample
        b = ref(x, torch.tensor(3.0), encoder_hidden_states=ctx2).sample
        assert (a - b).abs().max() <= 1e-5
        ctx2.mul_(0.5)
        a = unet(x, torch.tensor(3.0), encoder_hidden_states=ctx2).sample
        b = ref(x, torch.tensor(3.0), encoder_hidden_states=ctx2).sample
        assert (a - b).abs().max() <= 1e-5
    # with autograd on, the plain processor runs (training never sees the cache)
    out = unet(x, torch.tensor(3.0), encoder_hidden_states=ctx).sample
    assert out.requires_grad
