"""Nested results (`ops init --demo`) said as one line per step instead of dotted keys."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


def step_rows(steps: Mapping[str, Any]) -> list[dict[str, str]]:
    """One row per step: ``{"step": "roster", "summary": "customers 4 created; roster 15 created"}``."""
    return [{"step": name, "summary": summary(value)} for name, value in steps.items()]


def summary(value: Any, sep: str = "; ") -> str:
    """A step's result in words: counts as "4 created, 1 updated" (zeros left out)."""
    if value is None:
        return "nothing to do"
    if isinstance(value, Mapping):
        if value.get("skipped") is True:
            return "skipped (already loaded)"
        if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
            return _counts(value)
        counts = {k: v for k, v in value.items() if k in COUNTS and isinstance(v, int)}
        parts = [_counts(counts)] if counts else []
        parts += [_part(key, item) for key, item in value.items() if key != "skipped" and key not in counts]
        return sep.join(p for p in parts if p) or "nothing to do"
    return _scalar(value)


COUNTS = ("created", "updated", "unchanged", "removed", "skipped_rows")


def _counts(value: Mapping[str, int]) -> str:
    said = [f"{count} {key}" for key, count in value.items() if count]
    return ", ".join(said) if said else "nothing new"


def _part(key: str, item: Any) -> str:
    if item is None:
        return ""
    if isinstance(item, Mapping):
        return f"{key} {summary(item, ', ')}"
    if isinstance(item, bool):
        return key if item else ""
    if isinstance(item, int) and key.endswith("s"):
        return f"{item} {key.replace('_', ' ')}"
    if key == "file":
        return f"from {os.path.basename(str(item))}"
    return f"{key.replace('_', ' ')} {_scalar(item)}"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
