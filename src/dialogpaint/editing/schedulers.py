"""Noise schedulers by name. Each edit gets a fresh scheduler (they are stateful) from one config."""

from __future__ import annotations

from ..errors import ConfigError

# name -> (diffusers class name, extra config)
SCHEDULERS: dict[str, tuple[str, dict]] = {
    "euler_a": ("EulerAncestralDiscreteScheduler", {}),  # the InstructPix2Pix default
    "euler": ("EulerDiscreteScheduler", {}),
    "ddim": ("DDIMScheduler", {}),
    "dpm++": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++"}),
}


def make_scheduler(name: str | None, base):
    """A new scheduler: `name` from SCHEDULERS built from `base`'s config, or a copy of `base`."""
    import diffusers

    if name is None:
        return type(base).from_config(base.config)
    if name not in SCHEDULERS:
        raise ConfigError(f"unknown scheduler {name!r}; known: {', '.join(SCHEDULERS)}")
    cls_name, extra = SCHEDULERS[name]
    return getattr(diffusers, cls_name).from_config(base.config, **extra)
