"""The arguments of one call to a learner's function, and their trip to the sandbox as JSON.

Arguments are plain data so that the grader can send them to the sandboxed
process as text: None, bools, ints, floats (NaN and infinities included), strings,
lists / tuples / string-keyed dicts of these, NumPy arrays of bool, int, float or
str dtype, and torch tensors (their ``requires_grad`` flag is kept).
"""

from __future__ import annotations

import copy
import math
import sys

import numpy as np


class Args:
    """Positional and keyword arguments of one call: ``Args(y_true, y_pred, zero_division=1.0)``."""

    __slots__ = ("args", "kwargs")

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs

    def fresh(self) -> tuple[tuple, dict]:
        """A deep copy: a function that modifies its inputs cannot change anybody else's."""
        return copy.deepcopy(self.args), copy.deepcopy(self.kwargs)

    def call(self, function):
        args, kwargs = self.fresh()
        return function(*args, **kwargs)

    def __repr__(self) -> str:
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"Args({', '.join(parts)})"


def _short(value) -> str:
    text = format_value(value)
    return text if len(text) <= 80 else text[:77] + "..."


def format_value(value, limit: int = 60) -> str:
    """A readable text for one argument: arrays and long lists printed in full up to ``limit`` items."""
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        inner = format_value(value.detach().numpy(), limit)
        return f"torch.tensor({inner}{', requires_grad=True' if value.requires_grad else ''})"
    if isinstance(value, np.ndarray):
        text = np.array2string(
            value,
            separator=", ",
            threshold=limit,
            edgeitems=10,
            max_line_width=10_000,
            formatter={"float_kind": lambda x: repr(float(x))},  # exact and unpadded: a learner can paste it back
        )
        return f"np.array({text})"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float('{value}')"
    if isinstance(value, (list, tuple)) and len(value) > limit:
        head = ", ".join(format_value(v) for v in value[:10])
        return f"[{head}, ... ({len(value)} items)]"
    return repr(value)


# ---------------------------------------------------------------------------------------------------------------
# JSON encoding. encode() runs in the grader on its own cases; decode() runs in the sandbox.


def encode(args: Args) -> dict:
    return {"args": [_enc(a) for a in args.args], "kwargs": {k: _enc(v) for k, v in args.kwargs.items()}}


def decode(obj: dict) -> Args:
    return Args(*[_dec(a) for a in obj["args"]], **{k: _dec(v) for k, v in obj["kwargs"].items()})


def _enc(value):
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, np.generic):
        return _enc(value.item())
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufU":
            raise TypeError(f"cannot send an array of dtype {value.dtype} to the sandbox")
        data = [_enc(v) for v in value.ravel().tolist()]
        return {"ndarray": data, "dtype": value.dtype.str, "shape": list(value.shape)}
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        data = [_enc(v) for v in value.detach().cpu().ravel().tolist()]
        dtype = str(value.dtype).removeprefix("torch.")
        return {"tensor": data, "dtype": dtype, "shape": list(value.shape), "requires_grad": value.requires_grad}
    if type(value) is list:
        return [_enc(v) for v in value]
    if type(value) is tuple:
        return {"tuple": [_enc(v) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"dict": {k: _enc(v) for k, v in value.items()}}
    raise TypeError(f"cannot send a {type(value).__name__} to the sandbox; use plain data (see checks/README.md)")


def _dec(obj):
    if isinstance(obj, list):
        return [_dec(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "float" in obj:
        return float(obj["float"])
    if "ndarray" in obj:
        return np.asarray([_dec(v) for v in obj["ndarray"]], dtype=np.dtype(obj["dtype"])).reshape(obj["shape"])
    if "tensor" in obj:
        import torch

        data = torch.tensor([_dec(v) for v in obj["tensor"]], dtype=getattr(torch, obj["dtype"]))
        return data.reshape(obj["shape"]).requires_grad_(obj["requires_grad"])
    if "tuple" in obj:
        return tuple(_dec(v) for v in obj["tuple"])
    return {k: _dec(v) for k, v in obj["dict"].items()}
