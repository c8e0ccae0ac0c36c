"""Renderers: JSON, CSV (formula-safe), Markdown, plain tables."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_cli import render


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("+46 70-123 45 67", "+46 70-123 45 67"),
        ("+46701234567", "+46701234567"),
        ("070-123 45 67", "070-123 45 67"),
        ("-5", "-5"),
        ("-12.5", "-12.5"),
        ("Anna", "Anna"),
        ("", ""),
    ],
)
def test_safe_cell(text: str, expected: str):
    assert render.safe_cell(text) == expected


@given(st.text())
def test_safe_cell_never_leaves_a_formula_start_unless_number(text: str):
    out = render.safe_cell(text)
    if out and out[0] in "=+-@\t\r":
        assert re.match(render._NUMBER_OR_PHONE_RE, out)


def test_json_plain_values():
    tz = ZoneInfo("Europe/Stockholm")
    doc = json.loads(
        render.to_json(
            {
                "at": datetime(2026, 1, 2, 3, 4, tzinfo=tz),
                "d": date(2026, 1, 2),
                "n": Decimal("32"),
                "r": Decimal("0.08"),
            }
        )
    )
    assert doc == {"at": "2026-01-02T03:04:00+01:00", "d": "2026-01-02", "n": 32, "r": 0.08}


def test_csv_escapes_and_round_trips():
    rows = [{"name": '=HYPERLINK("x")', "phone": "+46701234567", "roles": ["orderer", "contact"], "ok": True}]
    text = render.to_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed == [
        {"name": '\'=HYPERLINK("x")', "phone": "+46701234567", "roles": "orderer, contact", "ok": "yes"}
    ]


def test_markdown_escapes_pipes():
    text = render.to_markdown([{"a": "x|y", "b": "line\nbreak"}])
    assert text.splitlines()[2] == "| x\\|y | line<br>break |"


def test_plain_table_and_empty():
    assert render.to_plain([]) == "(none)\n"
    text = render.to_plain([{"number": "1001", "name": "Polisregion Syd"}])
    assert text.splitlines()[0].split() == ["number", "name"]
    assert "1001" in text  # kept as text, not reformatted as a number
