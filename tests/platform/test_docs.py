"""docs/cli.md is generated from the app and must not go stale."""

from __future__ import annotations

from pathlib import Path

from ops_cli.commands._docgen import render_reference

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_is_current():
    assert DOCS.exists(), "run: python -m commands._docgen docs/cli.md"
    assert DOCS.read_text(encoding="utf-8") == render_reference(), (
        "docs/cli.md is stale; run: python -m commands._docgen docs/cli.md"
    )


def test_reference_covers_every_group():
    text = render_reference()
    for group in ("roster", "sub", "case", "sla", "swap", "report", "init", "config", "db"):
        assert f"## `ops {group}`" in text
