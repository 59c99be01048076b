"""``frozen_value``: a frozen dataclass whose ``==``, ``hash`` and ``repr`` are shared functions.

``dataclasses`` writes each generated method as source code and compiles it with ``exec``, once
per class and method; for the compile path's value classes that was most of its start-up time
(benchmarks/cold_start.py). Values made here behave as ``@dataclass(frozen=True)`` makes them:
equal when of the same class with equal ``compare=True`` fields, hashed on those fields, shown
with their ``repr=True`` fields. Only ``__init__`` and the frozen ``__setattr__`` are generated.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter


def frozen_value(cls):
    """Class decorator: ``@dataclass(frozen=True)`` with shared equality, hash and repr."""
    cls = dataclass(frozen=True, eq=False, repr=False)(cls)
    compared = [f.name for f in fields(cls) if f.compare]
    getter = attrgetter(*compared) if compared else (lambda self: ())
    cls.__value_key__ = staticmethod(
        getter if len(compared) != 1 else (lambda self, get=getter: (get(self),)))
    cls.__value_shown__ = tuple(f.name for f in fields(cls) if f.repr)
    if "__eq__" not in cls.__dict__:
        cls.__eq__ = _eq
        cls.__hash__ = _hash
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = _repr
    return cls


def _eq(self, other):
    if other.__class__ is self.__class__:
        return self.__value_key__(self) == other.__value_key__(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(self.__value_key__(self))


def _repr(self) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__value_shown__)
    return f"{type(self).__qualname__}({shown})"
