"""Noise schedulers by name. Each edit gets a fresh scheduler (they are stateful) from one config."""

from __future__ import annotations

from ..errors import ConfigError

# the noise schedule of Stable Diffusion and InstructPix2Pix: training and sampling use these betas
BETAS = dict(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", num_train_timesteps=1000)

# name -> (diffusers class name, extra config)
SCHEDULERS: dict[str, tuple[str, dict]] = {
    "euler_a": ("EulerAncestralDiscreteScheduler", {}),  # the InstructPix2Pix default
    "euler": ("EulerDiscreteScheduler", {}),
    "ddim": ("DDIMScheduler", {}),
    "dpm++": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++"}),
}


# the opt-in fast mode (`--fast`): a second-order multistep solver needs fewer steps than euler_a's 20;
# its speed and its effect on the tiny model's eval success are measured in the README
FAST = {"scheduler": "dpm++", "steps": 8}


def check_scheduler(name: str) -> str:
    """`name` if it is in SCHEDULERS, else a ConfigError naming the known ones."""
    if name not in SCHEDULERS:
        raise ConfigError(f"unknown scheduler {name!r}; known: {', '.join(SCHEDULERS)}")
    return name


def make_scheduler(name: str | None, base):
    """A new scheduler: `name` from SCHEDULERS built from `base`'s config, or a copy of `base`. A native base
    (editing/native.py) asked for its own kind stays native (no diffusers import); any other kind is diffusers'."""
    cls_name, extra = SCHEDULERS[check_scheduler(name)] if name is not None else (None, {})
    if name is None or (getattr(base, "native", False) and cls_name == base.diffusers_name and not extra):
        return type(base).from_config(base.config)
    import diffusers

    return getattr(diffusers, cls_name).from_config(dict(base.config), **extra)
