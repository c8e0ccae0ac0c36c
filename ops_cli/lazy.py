"""Lazy packages: a package's public names imported from its submodules on first use (PEP 562).

A domain package (``subscriptions``, ``cases``...) keeps its public names importable from the
package while a command that needs one submodule does not load them all (start-up time)::

    _HOME = {"set_status": "status", "terminate": "status", ...}  # name -> submodule
    __getattr__, __dir__ = lazy.package(__name__, _HOME)
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def package(name: str, homes: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of the package ``name`` (call it from the
    package's ``__init__``): a name of ``homes`` (name -> submodule) comes from its submodule,
    imported when the name is first asked for and then kept in the package; any other name is
    a submodule, else ``AttributeError``."""
    namespace = sys.modules[name].__dict__

    def __getattr__(attr: str) -> Any:
        home = homes.get(attr)
        if home is None:
            try:
                return importlib.import_module(f"{name}.{attr}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{name}.{attr}":
                    raise
                raise AttributeError(f"module {name!r} has no attribute {attr!r}") from None
        value = getattr(importlib.import_module(f"{name}.{home}"), attr)
        namespace[attr] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__
