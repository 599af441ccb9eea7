"""Training configs: frozen dataclasses, one comment per field. Checkpoints store them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class VAEConfig:
    size: int = 128                                  # image side (world renders)
    channels: tuple[int, ...] = (16, 32, 64, 64)     # block widths; 4 blocks = 8x downsampling
    layers_per_block: int = 1                        # resnets per block
    latent_channels: int = 8                         # latent channels (8 at 16x16 for 128 px)
    pool: int = 4000                                 # rendered training images kept in memory
    batch_size: int = 16                             # images per step
    steps: int = 600                                 # optimisation steps
    lr: float = 1e-3                                 # AdamW learning rate (cosine to 10%)
    kl_weight: float = 1e-6                          # weight of the KL term (a near-deterministic VAE)
    seed: int = 0                                    # data and init seed


@dataclass(frozen=True)
class EditorTrainConfig:
    pairs: int = 20000                               # world edit pairs drawn for training (data="world")
    data: str = "world"                              # "world", or a pairs folder with manifest.jsonl
    init: str | None = None                          # None: a new UNet; or a diffusers folder to fine-tune
    size: int = 128                                  # training resolution (the paper: 256 for SD)
    unet_channels: tuple[int, ...] = (64, 128, 128)  # new UNet block widths
    unet_layers: int = 1                             # resnets per UNet block
    attention_heads: int = 8                         # UNet attention heads (diffusers' attention_head_dim)
    batch_size: int = 32                             # pairs per step (per process)
    steps: int = 3000                                # optimisation steps
    lr: float = 5e-4                                 # AdamW peak learning rate
    warmup: int = 100                                # linear warm-up steps, then cosine to 10%
    ema_decay: float = 0.999                         # EMA of UNet weights (exported)
    prediction_type: str = "v_prediction"            # v: learns the image at high noise, works with every scheduler
    drop_text: float = 0.05                          # P(text only dropped): null text = encoding of ""
    drop_image: float = 0.05                         # P(image only dropped): null image = zero latent
    drop_both: float = 0.05                          # P(both dropped)
    changed_weight: float = 4.0                      # loss weight on latent cells the edit changes (1 elsewhere)
    pre_edit_prob: float = 0.3                       # P(source scene already edited once: night, styles...)
    checkpoint_every: int = 250                      # steps between checkpoints
    mixed_precision: str = "no"                      # "no" on CPU; "bf16" on GPUs
    seed: int = 0                                    # data, dropout and init seed


def to_dict(cfg) -> dict:
    return asdict(cfg)


def from_dict(cls, d: dict):
    names = {f.name: f for f in fields(cls)}
    kw = {}
    for k, v in d.items():
        if k in names:
            kw[k] = tuple(v) if isinstance(v, list) else v
    return cls(**kw)
