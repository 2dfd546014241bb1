"""What a learner's function returned, reduced to plain numbers.

A check never compares the learner's object itself: an object can claim to
equal anything (a custom ``__eq__``, a float subclass, a NumPy array subclass).
Every return value is first converted here, by exact type, into

- a float64 ``np.ndarray`` (numbers, NumPy scalars and arrays, torch tensors,
  and lists/tuples of numbers or of equal-shaped arrays),
- a ``tuple`` of such values (ragged lists/tuples), or
- a ``dict`` with string keys,

and anything else is refused with a message that says why. The same
conversion runs inside the grader's sandbox, and its result crosses to the
grader as JSON (:func:`to_json` / :func:`from_json`), so the grader only ever
sees numbers.

Whether a torch tensor still requires grad travels alongside the values
(``Returned.grad``): a loss that was detached from the graph has the right value
and is still wrong.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

MAX_NUMBERS = 1_000_000  # a learner's answer is never this big; a flood is refused, not compared
MAX_DEPTH = 6

_NUMPY_SCALARS = frozenset(
    {
        np.bool_,
        np.int8,
        np.int16,
        np.int32,
        np.int64,
        np.uint8,
        np.uint16,
        np.uint32,
        np.uint64,
        np.float16,
        np.float32,
        np.float64,
        np.longdouble,
    }
)


class NotPlain(Exception):
    """The value cannot be compared as numbers; the message says why, for the learner."""


@dataclass(frozen=True)
class Returned:
    """A converted return value and, for a torch tensor, whether it requires grad (else None)."""

    value: object  # np.ndarray | tuple | dict
    grad: bool | None = None


def type_name(value) -> str:
    """The name of ``type(value)``, safely (a hostile metaclass cannot make this raise)."""
    try:
        name = type.__dict__["__name__"].__get__(type(value))
    except Exception:  # noqa: BLE001 - anything at all: we only want a label
        return "an unknown type"
    return name if isinstance(name, str) and len(name) <= 60 else "an unknown type"


def _torch_tensor_types() -> tuple:
    torch = sys.modules.get("torch")  # never import torch just to look: it takes a second
    if torch is None:
        return ()
    return (torch.Tensor, torch.nn.Parameter)


def to_plain(result) -> Returned:
    """Convert a learner's return value; raises :class:`NotPlain` with the reason."""
    grad = None
    if type(result) in _torch_tensor_types():
        grad = bool(result.requires_grad)
    counter = [0]
    return Returned(_convert(result, 0, counter), grad)


def _count(n: int, counter: list) -> None:
    counter[0] += n
    if counter[0] > MAX_NUMBERS:
        raise NotPlain(f"returned more than {MAX_NUMBERS} numbers")


def _convert(x, depth: int, counter: list):
    if depth > MAX_DEPTH:
        raise NotPlain(f"returned containers nested more than {MAX_DEPTH} deep")
    kind = type(x)
    if kind is bool or kind is int or kind is float:
        _count(1, counter)
        try:
            return np.asarray(float(x))
        except OverflowError:
            raise NotPlain("returned an integer too large to be a count") from None
    if kind in _NUMPY_SCALARS:
        _count(1, counter)
        return np.asarray(x, dtype=np.float64)
    if kind is np.ndarray:
        if x.dtype.kind not in "biuf":
            raise NotPlain(f"returned a NumPy array of dtype {x.dtype}; return numbers (int, float or bool)")
        _count(x.size, counter)
        return x.astype(np.float64)
    if kind in _torch_tensor_types():
        if not (x.dtype.is_floating_point or x.dtype in _torch_exact_dtypes()):
            raise NotPlain(f"returned a tensor of dtype {x.dtype}; return real numbers")
        _count(x.numel(), counter)
        return x.detach().cpu().to(dtype=sys.modules["torch"].float64).numpy().copy()
    if kind is list or kind is tuple:
        _count(0, counter)
        items = [_convert(item, depth + 1, counter) for item in x]
        if not items:
            return np.zeros(0)
        if all(isinstance(i, np.ndarray) for i in items) and len({i.shape for i in items}) == 1:
            return np.stack(items)
        return tuple(items)
    if kind is dict:
        if not all(type(key) is str for key in x):
            raise NotPlain("returned a dict whose keys are not all strings")
        return {key: _convert(x[key], depth + 1, counter) for key in sorted(x)}
    raise NotPlain(_why_not(x))


def _torch_exact_dtypes():
    torch = sys.modules["torch"]
    return (torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


def _why_not(x) -> str:
    if x is None:
        return "returned None: did you forget a `return` statement?"
    name = type_name(x)
    if isinstance(x, str):
        return f"returned a string ({name}); return numbers"
    if isinstance(x, float):
        return f"returned an object of type `{name}`, a subclass of float; return a plain float (float(x))"
    if isinstance(x, int):
        return f"returned an object of type `{name}`, a subclass of int; return a plain int (int(x))"
    if isinstance(x, np.ndarray):
        return f"returned an object of type `{name}`, a subclass of np.ndarray; return np.asarray(x)"
    if isinstance(x, (list, tuple, dict)):
        return f"returned an object of type `{name}`, a subclass of {type(x).__mro__[1].__name__}; return a plain one"
    if callable(x):
        return f"returned a function ({name}) instead of calling it"
    return f"returned an object of type `{name}`; return numbers (int, float, a NumPy array or a tuple of them)"


# ---------------------------------------------------------------------------------------------------------------
# JSON, both ways. from_json trusts nothing: the sandbox that wrote the text ran student code.


def to_json(returned: Returned) -> dict:
    return {"v": _encode(returned.value), "g": returned.grad}


def _encode(value):
    if isinstance(value, np.ndarray):
        return {"a": list(value.shape), "d": value.ravel().tolist()}
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    return {"m": {key: _encode(v) for key, v in value.items()}}


class Malformed(Exception):
    """JSON that does not describe a converted value (the sandbox was tampered with)."""


def from_json(obj) -> Returned:
    if type(obj) is not dict or set(obj) != {"v", "g"} or obj["g"] not in (None, True, False):
        raise Malformed("not a result record")
    counter = [0]
    return Returned(_decode(obj["v"], 0, counter), obj["g"])


def _decode(obj, depth: int, counter: list):
    if depth > MAX_DEPTH or type(obj) is not dict or len(obj) not in (1, 2):
        raise Malformed("bad value record")
    if set(obj) == {"a", "d"}:
        shape, data = obj["a"], obj["d"]
        if (
            type(shape) is not list
            or len(shape) > 8
            or not all(type(n) is int and 0 <= n <= MAX_NUMBERS for n in shape)
        ):
            raise Malformed("bad shape")
        if type(data) is not list or len(data) != math.prod(shape):
            raise Malformed("data does not match shape")
        counter[0] += len(data)
        if counter[0] > MAX_NUMBERS or not all(type(v) is float or type(v) is int for v in data):
            raise Malformed("bad numbers")
        return np.asarray(data, dtype=np.float64).reshape(shape)
    if set(obj) == {"t"} and type(obj["t"]) is list:
        return tuple(_decode(v, depth + 1, counter) for v in obj["t"])
    if set(obj) == {"m"} and type(obj["m"]) is dict:
        return {key: _decode(v, depth + 1, counter) for key, v in sorted(obj["m"].items())}
    raise Malformed("bad value record")


# ---------------------------------------------------------------------------------------------------------------
# Comparing and describing converted values.


def same(expected: Returned, got: Returned, *, rtol: float, atol: float) -> bool:
    """Equal values (NaN equals NaN) and, when ``expected`` is a tensor, the same requires-grad flag."""
    if expected.grad is not None and bool(got.grad) != expected.grad:
        return False
    return _same(expected.value, got.value, rtol, atol)


def _same(a, b, rtol, atol) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if a.shape != b.shape:
            if a.shape == () and b.size == 1:  # a one-element array where a number was asked: forgive
                b = b.reshape(())
            else:
                return False
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y, rtol, atol) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k], rtol, atol) for k in a)
    return False


def shape_of(value) -> str:
    """'a single number', 'an array of shape (3,)', 'a tuple of 2 values', 'a dict with keys ...'."""
    if isinstance(value, np.ndarray):
        if value.shape == ():
            return "a single number"
        if value.ndim == 1:
            return f"{value.shape[0]} numbers (shape {value.shape})"
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} values of different shapes"
    return f"a dict with keys {sorted(value)}"


def same_structure(a, b) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape or (a.shape == () and b.size == 1)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_structure(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_structure(a[k], b[k]) for k in a)
    return False


def has_unexpected_nan(expected, got) -> bool:
    """``got`` has NaN where ``expected`` has a number (same structure assumed)."""
    if isinstance(expected, np.ndarray):
        got = np.asarray(got).reshape(expected.shape)
        return bool(np.any(np.isnan(got) & ~np.isnan(expected)))
    if isinstance(expected, tuple):
        return any(has_unexpected_nan(e, g) for e, g in zip(expected, got, strict=False))
    return any(has_unexpected_nan(expected[k], got[k]) for k in expected)


def describe(value) -> str:
    """A short, stable text for a converted value: 0.75, [9, 2, 6, 3], (array, 0.5), {'f1': 0.8}."""
    if isinstance(value, np.ndarray):
        if value.shape == ():
            return _number(float(value))
        return np.array2string(
            value,
            separator=", ",
            threshold=40,
            edgeitems=6,
            formatter={"float_kind": _number},
            max_line_width=100,
        )
    if isinstance(value, tuple):
        return "(" + ", ".join(describe(v) for v in value) + ")"
    return "{" + ", ".join(f"{k!r}: {describe(v)}" for k, v in value.items()) + "}"


def _number(x: float) -> str:
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"
