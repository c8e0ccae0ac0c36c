"""The quarterly report's case table on a terminal (issue 16): laid out fast, printed exactly as
rich prints the whole table, and left to rich whenever a cell is not plain one-line text that
fits its column."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from ops_cli.reports.terminal import CaseTable, case_table

HEADS = ["Ärende", "Öppnat", "Krit", "Åtgärd", "Ämne"]


def _printed(renderable, width: int = 100) -> str:
    out = io.StringIO()
    console = Console(
        file=out, width=width, force_terminal=True, color_system="standard", legacy_windows=False
    )
    fits = getattr(renderable, "fits", None)  # as commands/_output.emit_rich prints it
    console.print(renderable, crop=not (callable(fits) and fits(console.width)))
    return out.getvalue()


def _rows(subjects: list[str]) -> list[list[str]]:
    return [
        [
            f"2026-{i + 1:07d}",
            f"2026-01-{i % 28 + 1:02d} 10:{i % 60:02d}",
            "ja" if i % 3 else "",
            f"{i}.5 h",
            s,
        ]
        for i, s in enumerate(subjects)
    ]


CASES = {
    "short": [f"Fel {i}" for i in range(40)],
    "swedish and wide": ["Täckning saknas i Malmö", "無線が切れる", "Fel", "Ödesdigert åskväder"],
    "exactly 32": ["x" * 32, "y"],
    "long subjects wrap": ["En mycket lång rubrik som inte ryms i kolumnen alls", "kort"],
    "a line break": ["två\nrader", "en"],
    "a tab": ["tab\there", "en"],
    "empty cells": ["", "", ""],
    "one row": ["Fel"],
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("width", [100, 60])
def test_the_fast_table_prints_what_rich_prints(name, width):
    rows = _rows(CASES[name])
    assert _printed(CaseTable(HEADS, rows), width) == _printed(case_table(HEADS, rows), width)


def test_a_big_table_is_laid_out_without_rich_per_row(monkeypatch):
    rows = _rows([f"Fel {i}" for i in range(5000)])
    calls = []
    import ops_cli.reports.terminal as terminal

    real = terminal.case_table
    monkeypatch.setattr(
        terminal, "case_table", lambda heads, rows: calls.append(len(rows)) or real(heads, rows)
    )
    text = _printed(CaseTable(HEADS, rows))
    assert calls and max(calls) < 10  # only the sample went through rich
    assert text.count("\n") > 5000 and "2026-0005000" in text


TEXT_CASES = {
    **CASES,
    "edge spaces": [" leading", "trailing ", "mid dle"],
    "a header wider than its cells": ["a", "b"],
    "escape codes": ["\x1b[1mbold\x1b[0m", "x"],
    "combining marks": ["e\u0301tait", "cafe\u0301"],
}


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_the_plain_case_table_is_what_tabulate_writes(name):
    from tabulate import tabulate

    from ops_cli.reports.text import simple_table

    rows = _rows(TEXT_CASES[name])
    heads = ["Ärende", "Öppnat", "Kritisk fel", "Åtgärd", "Ämne"]
    assert simple_table(rows, heads) == tabulate(
        rows, headers=heads, tablefmt="simple", disable_numparse=True
    )
