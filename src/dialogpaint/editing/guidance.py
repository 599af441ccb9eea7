"""Dual classifier-free guidance (paper eq. 3) as a small object around the model call.

The batch of three, in this order everywhere in DialogPaint (the same order as diffusers'
StableDiffusionInstructPix2PixPipeline):

    index 0: (z, C_I, C_T)   image and text
    index 1: (z, C_I, ∅)     image only (null text = encoding of "")
    index 2: (z, ∅,  ∅)      neither (null image = zero latent)

    eps = eps(z,∅,∅) + s_I·(eps(z,C_I,∅) − eps(z,∅,∅)) + s_T·(eps(z,C_I,C_T) − eps(z,C_I,∅))

Unlike diffusers, no scale switches the other off: s_T = 1 still applies s_I, and s_I = s_T = 1
reduces exactly to the fully conditioned prediction eps(z,C_I,C_T).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

BATCH_ORDER = ("image+text", "image", "none")


@dataclass(frozen=True)
class DualGuidance:
    text_guidance: float   # s_T
    image_guidance: float  # s_I

    @staticmethod
    def conditions(image_latents: torch.Tensor, text: torch.Tensor, null_text: torch.Tensor):
        """The conditioning of the batch of three, built once per edit.

        image_latents: (1, c, h, w); text, null_text: (1, L, d)
        returns image_cond (3, c, h, w) and text_cond (3, L, d) in BATCH_ORDER.
        """
        image_cond = torch.cat([image_latents, image_latents, torch.zeros_like(image_latents)])
        text_cond = torch.cat([text, null_text, null_text])
        return image_cond, text_cond

    @staticmethod
    def prepare(scaled_latents: torch.Tensor, image_cond: torch.Tensor) -> torch.Tensor:
        """(1, c, h, w) scaled noisy latent + (3, c', h, w) image cond -> (3, c + c', h, w) UNet input."""
        return torch.cat([scaled_latents.expand(3, -1, -1, -1), image_cond], dim=1)

    def combine(self, eps: torch.Tensor) -> torch.Tensor:
        """(3, c, h, w) predictions in BATCH_ORDER -> (1, c, h, w) guided prediction (eq. 3)."""
        eps_full, eps_image, eps_none = eps.chunk(3)
        return (
            eps_none
            + self.image_guidance * (eps_image - eps_none)
            + self.text_guidance * (eps_full - eps_image)
        )
