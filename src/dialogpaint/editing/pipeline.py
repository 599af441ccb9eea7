"""InstructPix2PixEditor: our own sampling loop over diffusers components (paper eq. 3).

Is: encode image and instruction, denoise with dual guidance (one UNet call on a batch of three per
step), decode. With the same components, scheduler, seed and steps it matches diffusers'
StableDiffusionInstructPix2PixPipeline to float tolerance (tests/test_equivalence.py).
Is not: the conversation (session.py), model discovery (loading.py), training (train/).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from tqdm.auto import tqdm

from ..errors import ConfigError
from ..images import fit_for_model, to_rgb
from .base import StepCallback, check_params
from .guidance import DualGuidance
from .schedulers import make_scheduler


def cpu_has_fast_bf16() -> bool:
    """Whether this CPU computes bf16 natively (x86 AVX-512 BF16 or AMX; ARM with BF16): there a bf16
    UNet call takes about half the time of fp32. Elsewhere bf16 is emulated and no faster."""
    import platform

    cpu = getattr(torch, "cpu", None)
    if platform.machine().lower() in ("x86_64", "amd64", "i686", "x86"):
        checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
        return any(bool(getattr(cpu, c, lambda: False)()) for c in checks)
    try:  # aarch64: oneDNN's own check asks the CPU for its BF16 extension
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def default_device_dtype(device: str | None = None, dtype: str | torch.dtype | None = None):
    """CUDA fp16 when present; on a CPU bf16 where it is native (cpu_has_fast_bf16), else fp32.
    Either can be overridden. This is the dtype of the UNet (and the VAE); the latents, the scheduler's
    arithmetic and, on a CPU, the text encoder stay in fp32."""
    dev = torch.device(device if device else ("cuda" if torch.cuda.is_available() else "cpu"))
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' was asked for but no CUDA device is available")
    if dtype is None:
        if dev.type == "cuda":
            dt = torch.float16
        else:
            dt = torch.bfloat16 if dev.type == "cpu" and cpu_has_fast_bf16() else torch.float32
    elif isinstance(dtype, str):
        names = {"fp16": torch.float16, "float16": torch.float16, "bf16": torch.bfloat16,
                 "bfloat16": torch.bfloat16, "fp32": torch.float32, "float32": torch.float32}
        if dtype not in names:
            raise ConfigError(f"unknown dtype {dtype!r}; known: {', '.join(names)}")
        dt = names[dtype]
    else:
        dt = dtype
    return dev, dt


class InstructPix2PixEditor:
    """Edits an image by one explicit instruction with an InstructPix2Pix-form latent diffusion model."""

    name = "ip2p"

    def __init__(self, unet, vae, text_encoder, tokenizer, scheduler, *, device=None, dtype=None,
                 max_side: int = 512, default_scheduler: str | None = None, name: str | None = None,
                 preserve: float | None = None, domain: str | None = None, vae_dtype=None, refiner=None):
        # dtypes: the UNet computes in `dtype`; the VAE in `vae_dtype` (default: `dtype`); on a CPU the text
        # encoder stays fp32 (it runs once per instruction); latents and scheduler arithmetic are always fp32
        self.device, self.dtype = default_device_dtype(device, dtype)
        self.vae_dtype = default_device_dtype(self.device, vae_dtype)[1] if vae_dtype is not None else self.dtype
        text_dtype = torch.float32 if self.device.type == "cpu" else self.dtype
        self.unet = _place(unet, self.device, self.dtype)
        self.vae = _place(vae, self.device, self.vae_dtype)
        # optional (the tiny model has one, InstructPix2Pix weights none): a network after the VAE decoder that
        # also sees the input image and copies its unchanged detail and edges (editing/refiner.py)
        self.refiner = refiner.to(self.device, self.vae_dtype).eval() if refiner is not None else None
        self.text_encoder = _place(text_encoder, self.device, text_dtype)
        # speed, same numbers: cross-attention K/V once per edit (kv_cache.py); on a CPU, convolutions keep
        # oneDNN's weight layout between calls (prepack.py)
        from .kv_cache import cache_cross_attention

        cache_cross_attention(self.unet)
        if self.device.type == "cpu":
            from .prepack import prepack_convs

            for module in (self.unet, self.vae, self.refiner):
                if module is not None:
                    prepack_convs(module)
        self.tokenizer = tokenizer
        self.scheduler = scheduler
        self.max_side = max_side
        self.default_scheduler = default_scheduler
        # None: plain InstructPix2Pix output. A threshold (0-1): pixels where the output differs from
        # the VAE's reconstruction of the input by less than it are taken from the input itself.
        self.preserve = preserve
        # "world": the model knows only the synthetic world (routing.py keeps photos away from it)
        self.domain = domain
        if name:
            self.name = name
        self.vae_scale_factor = 2 ** (len(self.vae.config.block_out_channels) - 1)
        # sides must survive the VAE's and the UNet's downsampling
        self.size_multiple = self.vae_scale_factor * 2 ** (len(self.unet.config.block_out_channels) - 1)
        latent_c = self.vae.config.latent_channels
        if self.unet.config.in_channels != 2 * latent_c:
            raise ConfigError(
                f"the UNet takes {self.unet.config.in_channels} input channels; an InstructPix2Pix UNet "
                f"takes 2 x {latent_c} (noisy latent + image latent)")
        self._null_text: torch.Tensor | None = None

    # constructors ---------------------------------------------------------------------------
    @classmethod
    def from_components(cls, *, unet, vae, text_encoder, tokenizer, scheduler, **kw) -> "InstructPix2PixEditor":
        return cls(unet, vae, text_encoder, tokenizer, scheduler, **kw)

    @classmethod
    def from_pretrained(cls, folder_or_hub_id: str | Path, *, device=None, dtype=None, local_files_only=None,
                        **kw) -> "InstructPix2PixEditor":
        """Load the standard diffusers folder layout (unet/, vae/, text_encoder/, tokenizer/, scheduler/).

        A local folder is read offline; anything else is taken as a Hugging Face hub id, which the user
        chose (downloads unless `local_files_only` or HF_HUB_OFFLINE is set).
        """
        from .components import load_components

        dev, dt = default_device_dtype(device, dtype)
        # on a CPU the weights load as stored (fp32) and only the UNet and VAE are cast: the text encoder
        # keeps its fp32 weights; on a GPU they load in the compute dtype (half the memory)
        parts = load_components(folder_or_hub_id, local_files_only=local_files_only,
                                dtype=None if dev.type == "cpu" else dt, native=True)
        return cls(**parts, device=device, dtype=dtype, **kw)

    # encoding -------------------------------------------------------------------------------
    @torch.inference_mode()
    def encode_text(self, text: str) -> torch.Tensor:
        """text -> (1, L, d) hidden states, tokenized exactly as diffusers does (max_length padding)."""
        tok = self.tokenizer(text, padding="max_length", max_length=self.tokenizer.model_max_length,
                             truncation=True, return_tensors="pt")
        mask = None
        if getattr(self.text_encoder.config, "use_attention_mask", False):
            mask = tok.attention_mask.to(self.device)
        out = self.text_encoder(tok.input_ids.to(self.device), attention_mask=mask)[0]
        return out.to(self.dtype)

    def null_text(self) -> torch.Tensor:
        """Encoding of the empty string (the null text of eq. 3), computed once."""
        if self._null_text is None:
            self._null_text = self.encode_text("")
        return self._null_text

    def preprocess(self, image: Image.Image) -> torch.Tensor:
        """RGB PIL image -> (1, 3, H, W) in [-1, 1], H and W multiples of `size_multiple`."""
        image = fit_for_model(to_rgb(image), max_side=self.max_side, multiple=self.size_multiple)
        x = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)[None]
        return (2.0 * x - 1.0).to(self.device, self.vae_dtype)

    def keep_unchanged(self, decoded, pixels, image_latents, threshold: float):
        """Composite: the edit where it changed the picture, the input's pixels elsewhere.

        The changed region is where the decoded output differs from the decoded input latent (both
        carry the same VAE error, so it cancels) by more than `threshold` (0-1 scale), grown by a few
        pixels and feathered. With a refiner the output is compared with the input's pixels themselves
        (the refiner reproduces them where nothing changed)."""
        import torch.nn.functional as F

        if self.refiner is not None:
            recon = pixels
        else:
            recon = self.vae.decode(image_latents, return_dict=False)[0]  # C_I is unscaled
        diff = ((decoded - recon).abs().amax(1, keepdim=True) / 2)  # (1, 1, H, W), 0-1 scale
        m = (diff > threshold).to(decoded.dtype)
        m = F.max_pool2d(m, 5, stride=1, padding=2)
        m = F.avg_pool2d(m, 3, stride=1, padding=1, count_include_pad=False)  # borders are not feathered away
        return m * decoded + (1 - m) * pixels

    @staticmethod
    def postprocess(x: torch.Tensor) -> Image.Image:
        """(1, 3, H, W) in [-1, 1] -> PIL image (rounded as diffusers does)."""
        x = (x / 2 + 0.5).clamp(0, 1)[0].permute(1, 2, 0).float().cpu().numpy()
        return Image.fromarray((x * 255).round().astype("uint8"))

    # editing --------------------------------------------------------------------------------
    @torch.inference_mode()
    def edit(self, image: Image.Image, instruction: str, *, steps: int = 20, text_guidance: float = 7.5,
             image_guidance: float = 1.5, seed: int = 0, scheduler: str | None = None,
             callback: StepCallback | None = None, resize_back: bool = True,
             progress: bool | None = None) -> Image.Image:
        """Apply `instruction` to `image`. Returns an RGB image (the input's size when `resize_back`)."""
        check_params(steps, text_guidance, image_guidance)
        if not isinstance(image, Image.Image):
            raise ConfigError("the image must be a PIL image (dialogpaint.images.open_image reads files)")
        if not isinstance(instruction, str):
            raise ConfigError("the instruction must be text")
        guidance = DualGuidance(text_guidance=float(text_guidance), image_guidance=float(image_guidance))
        sched = make_scheduler(scheduler or self.default_scheduler, self.scheduler)
        generator = torch.Generator("cpu").manual_seed(int(seed))

        # 1. encode the instruction and the null text: (1, L, d) each
        text = self.encode_text(instruction)
        null = self.null_text()

        # 2. encode the image: (1, c, h, w), the unscaled mode of the VAE posterior (C_I)
        pixels = self.preprocess(image)
        image_latents = self.vae.encode(pixels).latent_dist.mode()
        image_cond, text_cond = guidance.conditions(image_latents.to(self.dtype), text, null)

        # 3. initial noise, drawn on the CPU generator so that every device gives the same start; the latents
        #    stay fp32 whatever the UNet's dtype (the scheduler's sigmas reach ~15: bf16 would round them)
        from .native import randn  # diffusers' randn_tensor for one generator

        sched.set_timesteps(steps, device=self.device)
        latents = randn(image_latents.shape, generator, self.device, torch.float32)
        latents = latents * sched.init_noise_sigma
        step_kwargs = _step_kwargs(sched, generator)

        # 4. denoise: one UNet call on the batch of three per step; its output is combined in fp32
        show = sys.stderr.isatty() if progress is None else progress
        timesteps = sched.timesteps
        for i, t in enumerate(tqdm(timesteps, desc="editing", disable=not show, leave=False)):
            scaled = sched.scale_model_input(latents, t).to(self.dtype)
            model_in = guidance.prepare(scaled, image_cond)  # (3, 2c, h, w)
            eps = self.unet(model_in, t, encoder_hidden_states=text_cond, return_dict=False)[0]  # (3, c, h, w)
            latents = sched.step(guidance.combine(eps.float()), t, latents, **step_kwargs, return_dict=False)[0]
            if callback is not None:
                callback(i + 1, len(timesteps))

        # 5. decode; optionally keep the input's own pixels where the edit changed nothing
        z = (latents / self.vae.config.scaling_factor).to(self.vae_dtype)
        decoded = self.vae.decode(z, return_dict=False)[0]  # (1, 3, H, W)
        if self.refiner is not None:  # sharpen with the input's own pixels: (1, 3, H, W)
            recon = self.vae.decode(image_latents.to(self.vae_dtype), return_dict=False)[0]
            decoded = self.refiner(pixels, decoded, z, recon)
        if self.preserve is not None:
            decoded = self.keep_unchanged(decoded, pixels, image_latents, self.preserve)
        out = self.postprocess(decoded)
        if resize_back and out.size != image.size:
            out = out.resize(image.size, Image.LANCZOS)
        out.info["dialogpaint_editor"] = self.name  # provenance: routing.is_world_picture reads it
        return out


def _place(module, device, dtype):
    """Move to device, and cast (in place, like `Module.to`) only when the dtype differs. The cast is torch's
    own: diffusers' `ModelMixin.to` would warn on every load although these models keep no fp32 modules."""
    module = module.to(device)
    if getattr(module, "dtype", dtype) != dtype:
        module = torch.nn.Module.to(module, dtype=dtype)
    return module.eval()


def _step_kwargs(sched, generator) -> dict:
    import inspect

    params = inspect.signature(sched.step).parameters
    kw = {}
    if "eta" in params:
        kw["eta"] = 0.0
    if "generator" in params:
        kw["generator"] = generator
    return kw
