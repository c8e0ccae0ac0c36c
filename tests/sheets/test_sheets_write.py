"""ops_cli.sheets.write_table: streamed .xlsx/.csv through the one output-file writer, never a formula."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date, datetime

import openpyxl
import pytest

from ops_cli.errors import Conflict, ExitStatus, InvalidInput
from ops_cli.sheets import Column, read_table, write_table

# ------------------------------------------------------------------ writing
ROWS = [
    {
        "customer": "1001",
        "name": '=HYPERLINK("http://evil")',
        "phone": "+46701234567",
        "fleet": 250,
        "until": date(2027, 12, 31),
        "note": "-minus",
        "neg": "-12",
    },
    {
        "customer": "2002",
        "name": "@cmd",
        "phone": "070-123 45 67",
        "fleet": 13,
        "until": None,
        "note": "\tx",
        "neg": "+1",
    },
]
OUT_COLS = ["customer", "name", "phone", "fleet", "until", "note", "neg"]


def test_write_xlsx_is_safe_and_formatted(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, ROWS, OUT_COLS, sheet_title="Roster")
    wb = openpyxl.load_workbook(path)
    ws = wb["Roster"]
    assert [c.value for c in ws[1]] == OUT_COLS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G3"
    assert ws["B2"].value.startswith("=HYPERLINK") and ws["B2"].data_type == "s"
    assert ws["A2"].data_type == "s" and ws["A2"].value == "1001"
    assert ws["D2"].value == 250 and ws["D2"].data_type == "n"
    assert ws["E2"].value.date() == date(2027, 12, 31)
    assert ws.column_dimensions["B"].width > ws.column_dimensions["D"].width
    # and it reads back as the same text
    back = read_table(path, [Column(c, required=False) for c in OUT_COLS]).rows
    assert back[0].values["name"] == ROWS[0]["name"]
    assert back[0].values["until"] == "2027-12-31"
    assert back[1].values["phone"] == "070-123 45 67"


def test_write_csv_bom_and_owasp(tmp_path):
    path = tmp_path / "out.csv"
    write_table(path, ROWS, OUT_COLS)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert lines[0] == OUT_COLS
    assert lines[1] == [
        "1001",
        '\'=HYPERLINK("http://evil")',
        "+46701234567",
        "250",
        "2027-12-31",
        "'-minus",
        "-12",
    ]
    assert lines[2][1] == "'@cmd" and lines[2][2] == "070-123 45 67" and lines[2][5] == "'\tx"
    assert lines[2][6] == "+1"


def test_write_unknown_extension(tmp_path):
    with pytest.raises(InvalidInput, match="unknown file type"):
        write_table(tmp_path / "x.ods", ROWS, OUT_COLS)


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_an_existing_file_is_kept_unless_force(tmp_path, name):
    path = tmp_path / name
    path.write_text("keep me")
    with pytest.raises(Conflict) as e:
        write_table(path, ROWS, OUT_COLS)
    assert e.value.exit_code == ExitStatus.CONFLICT
    assert e.value.message == f"{path} already exists; use --force to replace it"
    assert path.read_text() == "keep me"
    assert write_table(path, ROWS, OUT_COLS, force=True) == 2
    assert path.read_bytes() != b"keep me"


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_files_are_created_private(tmp_path, name):
    write_table(tmp_path / name, ROWS, OUT_COLS)
    assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_a_symlink_target_is_never_followed(tmp_path, name):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / name).symlink_to(victim)
    with pytest.raises(InvalidInput, match="it is a symbolic link"):
        write_table(tmp_path / name, ROWS, OUT_COLS, force=True)
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_rows_are_streamed_from_a_generator_with_progress(tmp_path, name):
    seen: list[int] = []

    def rows():
        for i in range(2500):
            yield {"customer": str(1000 + i), "name": f"Person {i}", "fleet": i}

    path = tmp_path / name
    assert write_table(path, rows(), ["customer", "name", "fleet"], progress=seen.append) == 2500
    assert seen == [1000, 1000, 500]
    back = read_table(path, [Column("customer"), Column("name"), Column("fleet")]).rows
    assert len(back) == 2500 and back[-1].values == {
        "customer": "3499",
        "name": "Person 2499",
        "fleet": "2499",
    }


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_an_error_while_rows_stream_leaves_no_file(tmp_path, name):
    def rows():
        yield ROWS[0]
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / name, rows(), OUT_COLS)
    assert os.listdir(tmp_path) == []


def test_text_over_excels_limit_is_refused_not_cut(tmp_path):
    # openpyxl silently cuts text at 32,767 characters: an export would lose data.
    rows = [{"customer": "1", "name": "ok"}, {"customer": "2", "name": "y" * 32_768}]
    with pytest.raises(InvalidInput) as e:
        write_table(tmp_path / "out.xlsx", rows, ["customer", "name"])
    assert e.value.message == (
        f"{tmp_path / 'out.xlsx'}:3: name: cannot write a workbook: the cell holds 32,768 characters, "
        "over Excel's 32,767; export to .csv instead"
    )
    assert os.listdir(tmp_path) == []
    write_table(tmp_path / "ok.xlsx", [{"name": "y" * 32_767}], ["name"])
    assert len(read_table(tmp_path / "ok.xlsx", [Column("name")]).rows[0].values["name"]) == 32_767
    write_table(tmp_path / "out.csv", rows, ["customer", "name"])
    assert len(read_table(tmp_path / "out.csv", [Column("name")]).rows[1].values["name"]) == 32_768


def test_control_characters_cannot_go_into_a_workbook(tmp_path):
    with pytest.raises(
        InvalidInput, match=r"out.xlsx:2: name: cannot write a workbook: control character U\+0007"
    ):
        write_table(tmp_path / "out.xlsx", [{"name": "bell\x07"}], ["name"])
    assert os.listdir(tmp_path) == []


def test_widths_come_from_the_first_rows_and_datetimes_are_naive(tmp_path):
    rows = [{"a": "x" * 40, "b": 1, "c": datetime(2027, 1, 2, 3, 4)}]
    write_table(tmp_path / "w.xlsx", rows, ["a", "b", "c"], sheet_title="A/B: [x]")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    assert ws.title == "A-B- -x-"
    assert ws.column_dimensions["A"].width == 42
    assert ws.column_dimensions["B"].width == 8
    assert ws["C2"].value == datetime(2027, 1, 2, 3, 4) and ws["C2"].number_format == "yyyy-mm-dd hh:mm"
