"""Exports stream (issue 16): the roster and subscription exports hand the writer the store's
rows as they come (never a list of them all) and report their progress as they write."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from ops_cli import roster, sheets
from ops_cli.roster import export_roster
from ops_cli.subscriptions import export_subscriptions, import_subscriptions

ORDERER = "anna.berg@polisen.example"


@pytest.fixture
def filled(ops, env):
    roster.add_customer(ops, "1001", name="Polisregion Syd")
    roster.add_customer(ops, "1002", name="Polisregion Väst")
    people = env.tmp / "roster.csv"
    with open(people, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer", "name", "email", "role"])
        rows = (["1001" if i % 2 else "1002", f"Person {i}", f"p{i}@polisen.example"] for i in range(2500))
        writer.writerows([*row, "contact"] for row in rows)
    roster.import_roster(ops, people)
    path = env.tmp / "subs.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer", "issi", "tei"])
        writer.writerows(["1001", 2_000_001 + i, f"A{2_000_001 + i:014X}"] for i in range(2300))
    import_subscriptions(ops, path)
    return ops


def spy(monkeypatch) -> list:
    """What the exports give the writer: the type of their rows."""
    seen = []
    real = sheets.write_table

    def write_table(path, rows, columns, **kwargs):
        seen.append(type(rows))
        return real(path, rows, columns, **kwargs)

    monkeypatch.setattr(sheets, "write_table", write_table)
    return seen


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_roster_export_streams_with_progress(filled, env, monkeypatch, ext):
    seen, steps = spy(monkeypatch), []
    result = export_roster(filled, env.tmp / f"r.{ext}", progress=steps.append)
    assert result["rows"] == 2500
    assert seen and seen[0] is not list  # a generator over the store's cursor
    assert sum(steps) == 2500 and steps[:2] == [1000, 1000]
    if ext == "xlsx":
        rows = list(load_workbook(env.tmp / "r.xlsx", read_only=True).active.values)
        assert len(rows) == 2501 and rows[0][:3] == ("customer", "customer_name", "name")
        assert rows[1][:2] == ("1001", "Polisregion Syd")


def test_one_customers_roster_export_counts_its_rows(filled, env):
    steps = []
    result = export_roster(filled, env.tmp / "r.csv", "1002", progress=steps.append)
    assert result["rows"] == 1250 == sum(steps)


def test_sub_export_streams_with_progress(filled, env, monkeypatch):
    seen, steps = spy(monkeypatch), []
    result = export_subscriptions(filled, env.tmp / "s.xlsx", progress=steps.append)
    assert result["rows"] == 2300 == sum(steps)
    assert seen and seen[0] is not list
    rows = list(load_workbook(env.tmp / "s.xlsx", read_only=True).active.values)
    assert len(rows) == 2301 and rows[1][:2] == ("1001", 2_000_001)


def test_export_commands_say_how_many(filled, env):
    run = env.cli("roster", "export", str(env.tmp / "r.xlsx"))
    assert run.code == 0, run.stderr
    assert "wrote 2500 entries" in run.stderr
    run = env.cli("sub", "export", str(env.tmp / "s.csv"))
    assert run.code == 0, run.stderr
    assert "wrote 2300 subscriptions" in run.stderr


def test_plain_text_fast_path_keeps_every_cell_a_string(tmp_path):
    from ops_cli.errors import InvalidInput

    texts = ["=1+1", "#N/A", "#DIV/0!", "=", "plain", "+46 70 123", "-5", "@home", "x" * 32_767]
    rows = [{"a": t, "b": i, "c": None} for i, t in enumerate(texts)] * 200
    assert sheets.write_table(tmp_path / "t.xlsx", rows, ["a", "b", "c"]) == len(rows)
    wb = load_workbook(tmp_path / "t.xlsx")
    cells = list(wb.active.iter_rows(min_row=2, max_row=len(texts) + 1))
    assert [c[0].value for c in cells] == texts
    assert {c[0].data_type for c in cells} == {"s"}  # never a formula nor an error value
    assert [c[1].value for c in cells] == list(range(len(texts)))

    bad = [{"a": "ok", "b": 1, "c": None}] * 1500 + [{"a": "fine", "b": 2, "c": "bell\x07"}]
    problem = r"u.xlsx:1502: c: cannot write a workbook: control character U\+0007"
    with pytest.raises(InvalidInput, match=problem):
        sheets.write_table(tmp_path / "u.xlsx", bad, ["a", "b", "c"])
    assert not (tmp_path / "u.xlsx").exists()
    with pytest.raises(InvalidInput, match=r"v.xlsx:3: a: cannot write a workbook: the cell holds 32,768"):
        sheets.write_table(tmp_path / "v.xlsx", [{"a": "x"}, {"a": "y" * 32_768}], ["a"])
