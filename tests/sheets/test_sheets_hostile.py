"""Hostile workbooks: the read is bounded by the cells that hold data, never by what a file declares.

calamine allocates a dense grid up to the last cell holding a value: a 5 KB file with one value
at XFD1048576 aborted the process (exit 134) and one at XFD20000 took 12 GB before the reader
scanned the sheet's XML first. Each of these files is a few KB.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ops_cli.errors import ExitStatus, InvalidInput
from ops_cli.sheets import Column, read_columns, read_table

COLS = [Column("customer"), Column("email")]


def workbook(path: Path, rows=(("customer", "email"), (1001, "a@b.example"))) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(list(r))
    wb.save(path)
    return path


def patched(path: Path, edit) -> Path:
    """``path`` rewritten with ``edit(sheet1_xml) -> xml`` applied to its first sheet."""
    base = workbook(path.with_suffix(".base.xlsx"))
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            dst.writestr(item, data)
    base.unlink()
    return path


def with_cell(path: Path, ref: str, cell: str | None = None, dimension: str | None = None) -> Path:
    row = int(re.sub("[A-Z]", "", ref))
    cell = cell or f'<c r="{ref}" t="n"><v>5</v></c>'

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", f'<row r="{row}">{cell}</row></sheetData>'.encode())
        if dimension:
            xml = xml.replace(b'<dimension ref="A1:B2"', f'<dimension ref="{dimension}"'.encode())
        return xml

    return patched(path, edit)


@pytest.mark.parametrize("ref", ["XFD1048576", "XFD20000", "GS1"])
def test_a_value_beyond_the_column_limit_is_refused_before_loading(tmp_path, ref):
    path = with_cell(tmp_path / "h.xlsx", ref, dimension=f"A1:{ref}")
    assert path.stat().st_size < 6000
    with pytest.raises(InvalidInput) as e:
        read_table(path, COLS)
    column = re.sub("[0-9]", "", ref)
    assert f"sheet 'Sheet' has data in column {column}; at most 200 columns (up to GR)" in e.value.message
    assert e.value.exit_code == ExitStatus.INVALID


def test_a_value_far_down_a_narrow_sheet_is_refused_as_mostly_empty(tmp_path):
    path = with_cell(tmp_path / "h.xlsx", "Z1048576")
    with pytest.raises(InvalidInput, match="has data as far as Z1048576 but only 5 cells hold data"):
        read_columns(path, COLS)


def test_limits_are_parameters(tmp_path):
    path = workbook(
        tmp_path / "w.xlsx", [("customer", "email"), *[(i, f"p{i}@x.example") for i in range(1, 30)]]
    )
    assert len(read_table(path, COLS, max_rows=30).rows) == 29
    with pytest.raises(InvalidInput, match="has data in row 30; at most 29 rows are read"):
        read_table(path, COLS, max_rows=29)
    with pytest.raises(InvalidInput, match=r"has data in column B; at most 1 columns \(up to A\)"):
        read_table(path, COLS, max_columns=1)


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="XFD1048576" s="0"/>',  # an empty styled cell: calamine leaves it out
        '<c r="XFD1048576"\n s="0" />',
    ],
)
def test_empty_styled_cells_and_a_lying_dimension_cost_nothing(tmp_path, cell):
    path = with_cell(tmp_path / "h.xlsx", "XFD1048576", cell=cell, dimension="A1:XFD1048576")
    table = read_table(path, COLS)
    assert [r.values for r in table.rows] == [{"customer": "1001", "email": "a@b.example"}]


@pytest.mark.parametrize(
    "xml_row",
    [
        '<row r="3"><c s="0" r="XFD3" t="n"><v>5</v></c></row>',  # reference not first
        '<row r="3"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' r="XFD3" t="n"><x:v>5</x:v></x:c></row>',  # a namespace prefix
        '<row r="3">' + "<c><v>1</v></c>" * 300 + "</row>",  # no references: 300 columns by position
    ],
    ids=["ref-not-first", "prefixed", "no-refs"],
)
def test_unusual_xml_is_measured_tag_by_tag(tmp_path, xml_row):
    path = patched(
        tmp_path / "h.xlsx", lambda xml: xml.replace(b"</sheetData>", xml_row.encode() + b"</sheetData>")
    )
    with pytest.raises(InvalidInput, match="has data in column (XFD|KN); at most 200 columns"):
        read_table(path, COLS)


def test_a_hostile_file_fails_small_in_a_fresh_process(tmp_path):
    """No abort, small memory: the address space is capped at 1 GB by the kernel."""

    path = with_cell(tmp_path / "h.xlsx", "XFD1048576", dimension="A1:XFD1048576")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"  # 1 GB: the old read needed far more
        "from ops_cli.sheets import Column, read_table\n"
        "from ops_cli.errors import InvalidInput\n"
        "try:\n"
        "    read_table(sys.argv[1], [Column('customer'), Column('email')])\n"
        "except InvalidInput as exc:\n"
        "    print(exc.message); sys.exit(3)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert "has data in column XFD" in proc.stdout


# ------------------------------------------------------------------ cells
def test_control_characters_in_xlsx_cells_are_refused_with_row_and_column(tmp_path):
    path = patched(
        tmp_path / "c.xlsx",
        lambda xml: xml.replace(b"a@b.example", b"a@b.example_x0001_"),
    )
    with pytest.raises(InvalidInput) as e:
        read_table(path, COLS)
    assert e.value.message == f"{path}:2: email: control character U+0001 in the cell (not allowed)"


def test_nul_in_an_xlsx_cell_is_refused(tmp_path):
    path = workbook(tmp_path / "n.xlsx", [("customer", "email"), (1, "ok@x.example"), (2, "PLACE")])
    data = path.read_bytes()
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for item, body in items:
            dst.writestr(item, body.replace(b"PLACE", b"x_x0000_y"))
    assert data != path.read_bytes()
    with pytest.raises(InvalidInput, match=r"n.xlsx:3: email: control character U\+0000"):
        read_table(path, COLS)


def test_line_breaks_and_tabs_in_xlsx_cells_are_kept(tmp_path):
    path = workbook(tmp_path / "t.xlsx", [("customer", "email"), (1, "a\tb\nc")])
    assert read_table(path, COLS).rows[0].values["email"] == "a\tb\nc"


@pytest.mark.parametrize("size", [32_767, 40_000])
def test_long_xlsx_cells_are_read_whole_not_cut(tmp_path, size):
    # calamine does not cut at Excel's 32,767 characters, so a cell is read whole and only a cell over
    # the CSV limit (1 MB) is refused; openpyxl cuts on writing, so the XML is written by hand.
    path = patched(tmp_path / "l.xlsx", lambda xml: xml.replace(b"a@b.example", b"x" * size))
    assert len(read_table(path, COLS).rows[0].values["email"]) == size


def test_the_config_template_holds_the_reader_limits():
    from ops_cli.config.defaults import DEFAULTS
    from ops_cli.sheets import DEFAULT_MAX_COLUMNS, DEFAULT_MAX_ROWS

    assert DEFAULTS["import"] == {"max_rows": DEFAULT_MAX_ROWS, "max_columns": DEFAULT_MAX_COLUMNS}


def test_a_corrupt_sheet_stream_is_one_clean_error(tmp_path):
    path = workbook(tmp_path / "ok.xlsx")
    data = bytearray(path.read_bytes())
    start = data.index(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml")  # local header
    data[start + 10 : start + 40] = b"\xff" * 30  # garble the deflate stream
    path.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="not a spreadsheet"):
        read_table(path, COLS)
