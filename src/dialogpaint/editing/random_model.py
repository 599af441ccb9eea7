"""Randomly initialised InstructPix2Pix components built offline (no download).

Is: a byte-level CLIP tokenizer written from scratch, and tiny or Stable-Diffusion-1.5-shaped random
UNet / VAE / text encoder, for tests, benchmarks and the demo when no trained model is at hand.
Is not: a model that edits anything meaningfully (its weights are random).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RandomModelConfig:
    unet_channels: tuple[int, ...] = (32, 64)      # UNet block widths (SD 1.5: 320, 640, 1280, 1280)
    unet_layers: int = 1                           # resnets per UNet block (SD 1.5: 2)
    attention_head_dim: int = 8                    # head dim (SD 1.5: 8 heads' worth, see below)
    vae_channels: tuple[int, ...] = (16, 32)       # VAE block widths (SD 1.5: 128, 256, 512, 512)
    vae_layers: int = 1                            # resnets per VAE block (SD 1.5: 2)
    latent_channels: int = 4                       # VAE latent channels
    text_dim: int = 32                             # text encoder width (SD 1.5: 768)
    text_layers: int = 2                           # text encoder layers (SD 1.5: 12)
    text_heads: int = 4                            # text encoder heads (SD 1.5: 12)
    max_text_tokens: int = 77                      # tokenizer model_max_length
    seed: int = 0                                  # torch seed for the weights


TINY = RandomModelConfig()
SD15 = RandomModelConfig(unet_channels=(320, 640, 1280, 1280), unet_layers=2, vae_channels=(128, 256, 512, 512),
                         vae_layers=2, text_dim=768, text_layers=12, text_heads=12)


def _bytes_to_unicode() -> list[str]:
    """GPT-2's reversible byte -> printable character table (256 characters)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for c in cs]


def byte_clip_tokenizer(max_length: int = 77):
    """A CLIPTokenizer over single bytes (no merges): 256 + 256 end-of-word tokens + 2 specials."""
    from transformers import CLIPTokenizer

    chars = _bytes_to_unicode()
    vocab = {c: i for i, c in enumerate(chars)}
    vocab.update({c + "</w>": 256 + i for i, c in enumerate(chars)})
    vocab["<|startoftext|>"] = 512
    vocab["<|endoftext|>"] = 513
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=max_length)


def random_components(cfg: RandomModelConfig = TINY) -> dict:
    """unet, vae, text_encoder, tokenizer, scheduler (euler_a) with random weights from `cfg.seed`."""
    import torch
    from diffusers import AutoencoderKL, EulerAncestralDiscreteScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    from .schedulers import BETAS

    torch.manual_seed(cfg.seed)
    n = len(cfg.unet_channels)
    unet = UNet2DConditionModel(
        sample_size=32,
        in_channels=2 * cfg.latent_channels,
        out_channels=cfg.latent_channels,
        block_out_channels=cfg.unet_channels,
        layers_per_block=cfg.unet_layers,
        down_block_types=("CrossAttnDownBlock2D",) * (n - 1) + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * (n - 1),
        cross_attention_dim=cfg.text_dim,
        attention_head_dim=cfg.attention_head_dim,
        norm_num_groups=min(32, cfg.unet_channels[0]),
    )
    m = len(cfg.vae_channels)
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * m,
        up_block_types=("UpDecoderBlock2D",) * m,
        block_out_channels=cfg.vae_channels,
        layers_per_block=cfg.vae_layers,
        latent_channels=cfg.latent_channels,
        norm_num_groups=min(32, cfg.vae_channels[0]),
    )
    text_encoder = CLIPTextModel(CLIPTextConfig(
        vocab_size=514, hidden_size=cfg.text_dim, intermediate_size=4 * cfg.text_dim,
        num_hidden_layers=cfg.text_layers, num_attention_heads=cfg.text_heads,
        max_position_embeddings=cfg.max_text_tokens, bos_token_id=512, eos_token_id=513, pad_token_id=513,
    ))
    scheduler = EulerAncestralDiscreteScheduler(**BETAS)
    return dict(unet=unet.eval(), vae=vae.eval(), text_encoder=text_encoder.eval(),
                tokenizer=byte_clip_tokenizer(cfg.max_text_tokens), scheduler=scheduler)
