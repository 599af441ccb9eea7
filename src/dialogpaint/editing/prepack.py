"""oneDNN weight prepacking of convolutions for inference on a CPU.

torch's CPU convolution reorders its weight into oneDNN's blocked layout on every call; a UNet call
at 256 px spends a good part of its time there (SD1.5-shaped, fp32: 0.87x the time with the reorder
done once, README: Speed). `prepack_convs(module)` makes each `nn.Conv2d` of a module keep its
reordered weight and reuse it while the weight is unchanged (torch's version counter and storage are
checked on every call, so an optimizer step or `load_state_dict` repacks). The numbers are the same
convolution's (oneDNN either way). It falls back to the plain convolution whenever the packed path does
not apply: autograd, a non-CPU device, a dtype other than the weight's, padding modes other than zeros.

Is: a class swap to a subclass of nn.Conv2d (isinstance, state_dict and deepcopy are unchanged). Is
not: a change of any module's parameters.
"""

from __future__ import annotations

import torch
from torch import nn


def prepack_available() -> bool:
    ops = getattr(torch.ops, "mkldnn", None)
    try:
        return (torch.backends.mkldnn.is_available() and ops is not None
                and hasattr(ops, "_reorder_convolution_weight") and hasattr(ops, "_convolution_pointwise"))
    except (AttributeError, RuntimeError):
        return False


class PackedConv2d(nn.Conv2d):
    """An nn.Conv2d that caches its weight in oneDNN's layout (built by `prepack_convs`, never directly)."""

    def _packed_weight(self, w: torch.Tensor):
        key = (w._version, w.data_ptr(), w.dtype)
        cached = self.__dict__.get("_dp_packed")
        if cached is None or cached[0] != key:
            packed = torch.ops.mkldnn._reorder_convolution_weight(
                w.detach(), list(self.padding), list(self.stride), list(self.dilation), self.groups, None)
            cached = (key, packed)
            self.__dict__["_dp_packed"] = cached
        return cached[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight
        if (x.device.type != "cpu" or w.device.type != "cpu" or x.dtype != w.dtype or x.dim() != 4
                or (torch.is_grad_enabled() and (w.requires_grad or x.requires_grad))):
            return super().forward(x)
        return torch.ops.mkldnn._convolution_pointwise(
            x, self._packed_weight(w), self.bias, list(self.padding), list(self.stride), list(self.dilation),
            self.groups, "none", [], "")

    def __getstate__(self):  # pickle and deepcopy: the cache is rebuilt on the next call
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__
        state = dict(state)
        state.pop("_dp_packed", None)
        return state


def prepack_convs(module: nn.Module) -> int:
    """Swap every plain nn.Conv2d in `module` (CPU, zero padding, fp32) for PackedConv2d; returns how many.
    A no-op where oneDNN's prepacking is unavailable. bf16 convolutions are left alone: prepacked they ran
    1.4x slower (SD1.5-shaped UNet at 256 px, 2-core AVX-512 BF16 CPU: 7.41 s vs 5.33 s an edit)."""
    if not prepack_available():
        return 0
    n = 0
    for m in module.modules():
        if (type(m) is nn.Conv2d and m.padding_mode == "zeros" and not isinstance(m.padding, str)
                and m.weight.device.type == "cpu" and m.weight.dtype == torch.float32):
            m.__class__ = PackedConv2d
            n += 1
    return n
