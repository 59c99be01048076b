"""``frozen_value``: a frozen dataclass with a lean ``__init__`` and shared methods.

Values made here behave as ``@dataclass(frozen=True)`` makes them: equal when of the same class
with equal ``compare=True`` fields, hashed on those fields, shown with their ``repr=True`` fields,
and assigning an attribute raises ``dataclasses.FrozenInstanceError``. ``dataclasses.fields``,
``replace`` and ``asdict`` work on them.

Why not plain ``@dataclass(frozen=True)``: the compile path builds about a hundred values a query,
and a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; writing the
instance ``__dict__`` directly is 2.5x faster (benchmarks/compile_vs_luqum.py). And
``dataclasses`` compiles each generated method with ``exec``, once per class and method: sharing
``==``, ``hash``, ``repr`` and the frozen ``__setattr__`` leaves one ``exec`` per class (the
``__init__``), which keeps the compile path's start-up short (benchmarks/cold_start.py).
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from operator import attrgetter


def frozen_value(cls):
    """Class decorator: ``@dataclass(frozen=True)`` with a fast init and shared methods."""
    cls = dataclass(init=False, eq=False, repr=False)(cls)
    own = fields(cls)
    compared = [f.name for f in own if f.compare]
    getter = attrgetter(*compared) if compared else (lambda self: ())
    cls.__value_key__ = staticmethod(
        getter if len(compared) != 1 else (lambda self, get=getter: (get(self),)))
    cls.__value_shown__ = tuple(f.name for f in own if f.repr)
    if "__init__" in cls.__dict__:  # written by hand (for speed): it must take the fields
        params = cls.__init__.__code__.co_varnames[1:1 + len(own)]
        if params != tuple(f.name for f in own):
            raise TypeError(f"{cls.__name__}.__init__ must take the fields in order: {params}")
    else:
        cls.__init__ = _make_init(cls, own)
    cls.__setattr__ = _frozen_setattr
    cls.__delattr__ = _frozen_delattr
    if "__eq__" not in cls.__dict__:
        cls.__eq__ = _eq
        cls.__hash__ = _hash
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = _repr
    return cls


def _make_init(cls, own):
    """``def __init__(self, a, b=<default>): d = self.__dict__; d["a"] = a; ...``."""
    defaults: dict = {"_MISSING": MISSING}
    params, body = [], ["    d = self.__dict__"]
    for f in own:
        value = f.name
        if f.default_factory is not MISSING:  # a fresh value for each instance
            defaults[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_factory_{f.name}() if {f.name} is _MISSING else {f.name}"
        elif f.default is not MISSING:
            defaults[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        else:
            params.append(f.name)
        body.append(f"    d[{f.name!r}] = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body)
    namespace: dict = {}
    code = compile(source, f"<frozen_value {cls.__module__}.{cls.__qualname__}>", "exec")
    exec(code, defaults, namespace)  # noqa: S102 — generated from the field names above
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _frozen_setattr(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name):
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _eq(self, other):
    if other.__class__ is self.__class__:
        return self.__value_key__(self) == other.__value_key__(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(self.__value_key__(self))


def _repr(self) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__value_shown__)
    return f"{type(self).__qualname__}({shown})"
