"""Which sheet of a workbook is read: named, the only visible one, or the visible active one; never hidden."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from ops_cli.errors import InvalidInput
from ops_cli.sheets import Column, read_columns, read_table

COLS = [Column("customer"), Column("email")]


def book(path: Path, sheets: list[tuple[str, str, int]], active: int = 0) -> Path:
    """Sheets as (title, state, customer number in its one data row)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, state, number in sheets:
        ws = wb.create_sheet(title)
        ws.append(["customer", "email"])
        ws.append([number, f"{title.lower()}@x.example"])
        ws.sheet_state = state
    wb.active = active
    wb.save(path)
    return path


def customer(table) -> str:
    return table.rows[0].values["customer"]


def test_the_only_visible_sheet_is_read_not_the_hidden_first_one(tmp_path):
    path = book(tmp_path / "b.xlsx", [("Old", "hidden", 1), ("Roster", "visible", 2)], active=1)
    table = read_table(path, COLS)
    assert (customer(table), table.sheet) == ("2", "Roster")


def test_a_hidden_active_sheet_is_never_read(tmp_path):
    # Excel never saves a hidden active sheet, but a file can say so: the visible one is read.
    path = book(tmp_path / "b.xlsx", [("Hidden", "hidden", 1), ("Roster", "visible", 2)], active=0)
    assert read_table(path, COLS).sheet == "Roster"


def test_several_visible_sheets_the_active_one_is_read(tmp_path):
    path = book(
        tmp_path / "b.xlsx", [("Jan", "visible", 1), ("Feb", "visible", 2), ("Mar", "visible", 3)], active=1
    )
    columns = read_columns(path, COLS)
    assert (columns.values["customer"], columns.sheet) == (["2"], "Feb")


def test_a_named_sheet_even_a_hidden_one(tmp_path):
    path = book(tmp_path / "b.xlsx", [("Roster", "visible", 1), ("Lookup", "veryHidden", 9)])
    table = read_table(path, COLS, sheet="Lookup")
    assert (customer(table), table.sheet) == ("9", "Lookup")


def test_a_missing_name_lists_the_visible_sheets_only(tmp_path):
    path = book(
        tmp_path / "b.xlsx", [("Roster", "visible", 1), ("Secret", "hidden", 9), ("Extra", "visible", 2)]
    )
    with pytest.raises(InvalidInput) as e:
        read_table(path, COLS, sheet="Other")
    assert e.value.message == f"{path}: no sheet named 'Other' (visible sheets: 'Roster', 'Extra')"


def without_book_views(path: Path) -> Path:
    out = path.with_name("nv.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                start, end = data.index(b"<bookViews>"), data.index(b"</bookViews>") + len(b"</bookViews>")
                data = data[:start] + data[end:]
            dst.writestr(item, data)
    return out


def test_ambiguous_visible_sheets_exit_3_listing_them(tmp_path):
    path = without_book_views(
        book(tmp_path / "b.xlsx", [("A", "visible", 1), ("B", "visible", 2), ("H", "hidden", 3)])
    )
    with pytest.raises(InvalidInput) as e:
        read_table(path, COLS)
    assert e.value.message == (
        f"{path}: the workbook has 2 visible sheets ('A', 'B'); choose one with --sheet NAME"
    )
    assert read_table(path, COLS, sheet="B").sheet == "B"


def test_no_visible_sheet_names_the_hidden_ones(tmp_path):
    path = book(tmp_path / "b.xlsx", [("A", "visible", 1), ("H", "hidden", 3)])
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for item, data in items:
            dst.writestr(
                item,
                data.replace(b'name="A" sheetId="1" state="visible"', b'name="A" sheetId="1" state="hidden"'),
            )
    with pytest.raises(
        InvalidInput, match="the workbook has no visible sheet; name a hidden one with --sheet"
    ):
        read_table(path, COLS)


def test_csv_has_no_sheet(tmp_path):
    (tmp_path / "r.csv").write_text("customer,email\n1,a@b.example\n")
    assert read_table(tmp_path / "r.csv", COLS).sheet is None
