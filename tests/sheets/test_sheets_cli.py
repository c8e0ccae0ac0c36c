"""The reader's refusals end to end (`ops roster import`): exit 3, one `error:` line, store unchanged."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

HEADER = ["customer", "name", "email", "role"]


@pytest.fixture
def demo(env):
    from ops_cli.demo import fixture

    env.now = "2026-11-20T10:00"
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


def refused(env, *args: str, subprocess: bool = False) -> str:
    before = env.snapshot()
    r = (env.run if subprocess else env.cli)("roster", "import", *args)
    assert r.code == 3, (r.code, r.stderr)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert env.snapshot() == before
    return lines[0]


def hostile(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append([2001, "Per Falk", "per.falk@nordbygg.example", "contact"])
    wb.save(path.with_suffix(".tmp"))
    with (
        zipfile.ZipFile(path.with_suffix(".tmp")) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                cell = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
                data = data.replace(b"</sheetData>", cell)
            dst.writestr(item, data)
    return path


def test_hostile_workbook_exit_3_not_an_abort(demo, tmp_path):
    path = hostile(tmp_path / "h.xlsx")
    assert path.stat().st_size < 6000
    line = refused(demo, str(path), subprocess=True)
    assert "has data in column XFD; at most 200 columns" in line


def test_mixed_encoding_csv_names_the_row(demo, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"customer,name,email,role\n"
        + "2001,Åsa Öberg,asa@nordbygg.example,contact\n".encode()
        + "2001,Jörgen Ärlig,jorgen@nordbygg.example,contact\n".encode("cp1252")
    )
    assert (
        refused(demo, str(path))
        == f"error: {path}:3: not UTF-8 text (the rest of the file is UTF-8); save the file again as UTF-8"
    )


def test_fifo_is_refused_without_hanging(demo, tmp_path):
    path = tmp_path / "in.csv"
    os.mkfifo(path)
    assert (
        refused(demo, str(path), subprocess=True)
        == f"error: {path}: cannot read it: a pipe (FIFO); give a spreadsheet file"
    )


def test_control_character_in_a_workbook_cell(demo, tmp_path):
    path = tmp_path / "c.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append([2001, "Per _x0007_Falk", "per.falk@nordbygg.example", "contact"])
    wb.save(path)
    assert (
        refused(demo, str(path))
        == f"error: {path}:2: name: control character U+0007 in the cell (not allowed)"
    )


def test_ambiguous_sheets_exit_3_and_named_sheet_imports(demo, tmp_path):
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title in ("A", "B"):
        ws = wb.create_sheet(title)
        ws.append(HEADER)
        ws.append([2001, f"Person {title}", f"{title.lower()}@nordbygg.example", "contact"])
    wb.save(path)
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:  # no <bookViews>: the workbook names no active sheet
        for item, data in items:
            if item.filename == "xl/workbook.xml":
                data = data[: data.index(b"<bookViews>")] + data[data.index(b"</bookViews>") + 12 :]
            dst.writestr(item, data)
    assert "the workbook has 2 visible sheets ('A', 'B'); choose one with --sheet NAME" in refused(
        demo, str(path)
    )
    r = demo.cli("roster", "import", str(path), "--sheet", "B")
    assert r.code == 0, r.stderr
    assert "b@nordbygg.example" in demo.cli("roster", "list", "-c", "2001", "-f", "json").stdout
