"""The tiny model's refiner: a small pixel-space network after the VAE decoder that also sees the input.

Is: out = g * input + (1 - g) * (decoded + a * (input - recon) + r), where the gate g, the detail
weight a and the residual r are predicted at full
resolution from the input image, the VAE's decoding of the edited latent, the VAE's decoding of the
input's own latent (its difference from the former is what the edit changed: the VAE's blur cancels),
the edited latent itself (at its own 1/8 resolution) and a learned position map (the world draws its weather as one fixed pattern, so
where a snowflake or a rain streak falls is learnable). Unchanged detail and object edges are copied
crisply from the input; what the edit changed comes from the latent, sharpened. Optional: a model folder
with a `refiner/` subfolder gets one (`InstructPix2PixEditor(refiner=...)`); InstructPix2Pix weights have
none and run unchanged. Is not: the VAE (diffusers' AutoencoderKL, untouched) or its training
(train/refiner.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class RefinerConfig:
    latent_channels: int = 8                    # channels of the VAE latent it reads
    channels: tuple[int, ...] = (16, 32, 64, 96)  # widths at 1, 1/2, 1/4, 1/8 resolution (the last = the latent's)
    pos_channels: int = 4                       # learned position map channels (0: none)
    size: int = 128                             # side the position map is learned at (resized for others)


class _Res(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.a = nn.Conv2d(c, c, 3, padding=1)
        self.b = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.b(F.silu(self.a(F.silu(x))))


class Refiner(nn.Module):
    def __init__(self, cfg: RefinerConfig = RefinerConfig()):
        super().__init__()
        self.cfg = cfg
        c = cfg.channels
        self.pos = nn.Parameter(torch.zeros(1, cfg.pos_channels, cfg.size, cfg.size)) if cfg.pos_channels else None
        self.inp = nn.Conv2d(9 + cfg.pos_channels, c[0], 3, padding=1)
        self.enc = nn.ModuleList([_Res(ch) for ch in c])
        self.down = nn.ModuleList([nn.Conv2d(c[i], c[i + 1], 3, stride=2, padding=1) for i in range(len(c) - 1)])
        self.lat = nn.Conv2d(cfg.latent_channels, c[-1], 3, padding=1)
        self.mid = _Res(c[-1])
        self.up = nn.ModuleList([nn.Conv2d(c[i + 1] + c[i], c[i], 3, padding=1) for i in range(len(c) - 1)])
        self.dec = nn.ModuleList([_Res(ch) for ch in c[:-1]])
        self.out = nn.Conv2d(c[0], 5, 3, padding=1)
        with torch.no_grad():  # start near the decoder's output: gate and detail weight sigmoid(-3), no residual
            self.out.weight.zero_()
            self.out.bias.zero_()
            self.out.bias[3:] = -3.0

    def forward(self, image: torch.Tensor, decoded: torch.Tensor, latent: torch.Tensor,
                recon: torch.Tensor) -> torch.Tensor:
        """image, decoded (of the edited latent), recon (the decoded input latent): (B, 3, H, W) in [-1, 1];
        latent: (B, c, H/8, W/8), the edited one, unscaled -> (B, 3, H, W)."""
        b, _, h, w = image.shape
        x = [image, decoded, recon]
        if self.pos is not None:
            pos = self.pos if self.pos.shape[-2:] == (h, w) else F.interpolate(self.pos, (h, w), mode="bilinear")
            x.append(pos.to(image.dtype).expand(b, -1, -1, -1))
        x = self.inp(torch.cat(x, 1))
        skips = []
        for i, block in enumerate(self.enc):  # 1. encoder: full, 1/2, 1/4, 1/8 resolution
            x = block(x)
            if i < len(self.down):
                skips.append(x)
                x = self.down[i](F.silu(x))
        x = self.mid(x + self.lat(latent.to(x.dtype)))  # 2. the latent enters at its own resolution
        for i in reversed(range(len(self.up))):  # 3. decoder with skips
            s = skips[i]
            x = F.interpolate(x, size=s.shape[-2:], mode="nearest")
            x = self.dec[i](self.up[i](torch.cat([x, s], 1)))
        o = self.out(F.silu(x))
        gate, detail = torch.sigmoid(o[:, 3:4]), torch.sigmoid(o[:, 4:5])
        return gate * image + (1 - gate) * (decoded + detail * (image - recon) + o[:, :3])

    # files ------------------------------------------------------------------------------------
    def save_pretrained(self, folder: str | Path) -> None:
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(json.dumps(asdict(self.cfg), indent=2))
        save_file({k: v.detach().float().contiguous().cpu() for k, v in self.state_dict().items()},
                  folder / "refiner.safetensors")

    @classmethod
    def from_pretrained(cls, folder: str | Path) -> "Refiner":
        from safetensors.torch import load_file

        folder = Path(folder)
        d = json.loads((folder / "config.json").read_text())
        d["channels"] = tuple(d["channels"])
        model = cls(RefinerConfig(**d))
        model.load_state_dict(load_file(folder / "refiner.safetensors"))
        return model.eval()
