"""The demo cases, loaded through the same functions as the commands."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from ops_cli import clock
from ops_cli.cases.callbacks import record_callback, set_callback
from ops_cli.cases.opening import open_case
from ops_cli.cases.thread import assign, close, customer_message, grant, note, reopen, reply
from ops_cli.store import cases as sql

DEMO_KEY = "demo.cases"


def load_demo(ops, path: str | None = None) -> dict[str, Any]:
    """Load the demo cases (``fixtures/cases.json``) through :func:`open_case` and the
    thread functions, in one transaction. Idempotent: skipped when already loaded."""
    if sql.meta_get(ops.store, DEMO_KEY):
        return {"cases": 0, "skipped": True}
    if path is None:
        from importlib import resources  # not at start-up

        path = str(resources.files("ops_cli.fixtures") / "cases.json")
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)

    def when(text: str | None) -> datetime | None:
        return clock.parse_time(text, ops.tz) if text else None

    steps = {
        "reply": lambda n, s: reply(ops, n, s["message"], by=s.get("by"), at=when(s["at"])),
        "message": lambda n, s: customer_message(ops, n, s["message"], by=s.get("by"), at=when(s["at"])),
        "note": lambda n, s: note(ops, n, s["message"], by=s.get("by"), at=when(s["at"])),
        "assign": lambda n, s: assign(
            ops, n, department=s.get("department"), agent=s.get("agent"), by=s.get("by"), at=when(s["at"])
        ),
        "close": lambda n, s: close(ops, n, s["resolution"], by=s.get("by"), at=when(s["at"])),
        "reopen": lambda n, s: reopen(ops, n, by=s.get("by"), at=when(s["at"])),
        "grant": lambda n, s: grant(ops, n, s["name"], by=s.get("by"), at=when(s["at"])),
        "callback": lambda n, s: record_callback(
            ops, n, note_text=s.get("note"), by=s.get("by"), at=when(s["at"])
        ),
        "set-callback": lambda n, s: set_callback(ops, n, s["every"], by=s.get("by"), at=when(s["at"])),
    }
    with _desk_agents(ops, data.get("desk_agents") or []):
        opened = _load(ops, data, when, steps)
    return {"cases": opened, "skipped": False}


@contextmanager
def _desk_agents(ops, agents: list[str]):
    """The demo's desk staff act as configured desk agents while it loads (config untouched after)."""
    desk = ops.config["desk"]
    had, saved = "agents" in desk, desk.get("agents")
    desk["agents"] = [*(saved or []), *agents]
    try:
        yield
    finally:
        if had:
            desk["agents"] = saved
        else:
            del desk["agents"]


def _load(ops, data: dict[str, Any], when, steps: dict[str, Any]) -> int:
    opened = 0
    with ops.store.write() as st:
        # numbers follow the opening times, as they would have been given
        for item in sorted(data["cases"], key=lambda c: when(c["open"]["at"])):
            spec = dict(item["open"])
            spec["at"] = when(spec.get("at"))
            spec["occurred_at"] = when(spec.get("occurred_at"))
            case = open_case(ops, **spec)
            opened += 1
            for step in item.get("steps", []):
                steps[step["do"]](case["number"], step)
        sql.meta_set(st, DEMO_KEY, str(opened))
    return opened
