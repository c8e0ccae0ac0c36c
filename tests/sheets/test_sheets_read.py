"""ops_cli.sheets: reading .xlsx/.csv with aliases and the sheet's own row numbers; file problems refused."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from ops_cli.errors import InvalidInput
from ops_cli.sheets import Column, cell_date, read_table

COLS = [
    Column("customer", ("kundnummer", "kundnr")),
    Column("email", ("e-post",)),
    Column("phone", ("telefon",), required=False),
]


def xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def problems_of(exc_info):
    return [(p.row, p.column, p.message) for p in exc_info.value.problems]


# ------------------------------------------------------------------ csv
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = tmp_path / "r.csv"
    text = delimiter.join(["Kundnummer", "E-post", "Telefon", "Namn"]) + "\n"
    text += delimiter.join(["1001", " Åsa.Ö@x.example ", "+46701234567", "Åsa Öberg"]) + "\n"
    text += delimiter.join(["", "", "", ""]) + "\n"  # empty row skipped, numbering kept
    text += delimiter.join(["1002", "b@x.example", "070-123 45 67", "B"]) + "\n"
    path.write_bytes(text.encode(encoding))
    table = read_table(path, COLS)
    assert [r.row for r in table.rows] == [2, 4]
    assert table.rows[0].values == {"customer": "1001", "email": "Åsa.Ö@x.example", "phone": "+46701234567"}
    assert table.rows[1].values["phone"] == "070-123 45 67"
    assert table.headers[0] == "Kundnummer"


def test_header_aliases_ignore_case_spaces_underscores(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("  KUND_NUMMER ,e post,extra\n7,a@b.example,zzz\n", encoding="utf-8")
    cols = [Column("customer", ("kund-nummer",)), Column("email", ("e-post",))]
    table = read_table(path, cols)
    assert table.rows[0].values == {"customer": "7", "email": "a@b.example"}


def test_title_rows_above_the_header_are_skipped(tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx",
        [["Behöriga personer, Nordbygg AB"], [], ["Kundnummer", "E-post"], [2001, "a@b.example"]],
    )
    rows = read_table(path, COLS).rows
    assert [(r.row, r.values["customer"]) for r in rows] == [(4, "2001")]
    (tmp_path / "r.csv").write_text(
        "Behöriga personer\n\nKundnummer;E-post;Telefon\n2001;a@b.example;070-1 23\n"
    )
    rows = read_table(tmp_path / "r.csv", COLS).rows
    assert [(r.row, r.values["phone"]) for r in rows] == [(4, "070-1 23")]


def test_optional_column_absent(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("customer,email\n1,a@b.example\n", encoding="utf-8")
    row = read_table(path, COLS).rows[0]
    assert "phone" not in row.values


def test_csv_quoted_fields_with_newlines_keep_record_numbers(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('customer,email\n1,"a@b.example"\n2,"multi\nline"\n3,c@d.example\n', encoding="utf-8")
    assert [r.row for r in read_table(path, COLS).rows] == [2, 3, 4]


def test_progress_callback_counts_rows(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "customer,email\n" + "".join(f"{i},e{i}@x.example\n" for i in range(2500)), encoding="utf-8"
    )
    seen = []
    read_table(path, COLS, progress=seen.append)
    assert sum(seen) == 2500


# ------------------------------------------------------------------ xlsx
def test_xlsx_numeric_and_date_cells(tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx",
        [
            ["Kundnummer", "E-post", "Telefon", "When"],
            [1001, "A@B.example", "+46701234567", date(2027, 12, 31)],
            [1002.0, "c@d.example", 46701234567, datetime(2026, 1, 2, 10, 30)],
            [None, None, None, None],
            [2.5, "e@f.example", True, 45000],
        ],
    )
    cols = [*COLS, Column("when", required=False)]
    rows = read_table(path, cols).rows
    assert [r.row for r in rows] == [2, 3, 5]
    assert rows[0].values == {
        "customer": "1001",
        "email": "A@B.example",
        "phone": "+46701234567",
        "when": "2027-12-31",
    }
    assert rows[1].values["customer"] == "1002"  # never "1002.0"
    assert rows[1].values["phone"] == "46701234567"
    assert rows[1].values["when"] == "2026-01-02T10:30:00"
    assert rows[2].values["customer"] == "2.5"
    assert rows[2].values["phone"] == "true"
    assert isinstance(rows[0].raw["when"], date)
    assert cell_date(rows[2].raw["when"]) == date(2023, 3, 15)


def test_xlsx_header_not_in_first_row_uses_real_row_numbers(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [[None], [None, "customer", "email"], [None, 5, "a@b.example"]])
    rows = read_table(path, COLS).rows
    assert rows[0].row == 3 and rows[0].values["customer"] == "5"


def test_xlsx_named_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["nothing"])
    ws = wb.create_sheet("Roster")
    ws.append(["customer", "email"])
    ws.append([9, "x@y.example"])
    wb.save(tmp_path / "r.xlsx")
    assert read_table(tmp_path / "r.xlsx", COLS, sheet="Roster").rows[0].values["customer"] == "9"
    with pytest.raises(InvalidInput, match="no sheet named 'Other'"):
        read_table(tmp_path / "r.xlsx", COLS, sheet="Other")


# ------------------------------------------------------------------ bad files
def test_missing_file(tmp_path):
    with pytest.raises(InvalidInput, match="no such file") as e:
        read_table(tmp_path / "nope.xlsx", COLS)
    assert e.value.problems[0].file.endswith("nope.xlsx")


def test_unknown_extension(tmp_path):
    (tmp_path / "r.ods").write_text("customer,email\n")
    with pytest.raises(InvalidInput, match="unknown file type '.ods'"):
        read_table(tmp_path / "r.ods", COLS)


def test_xlsx_that_is_text(tmp_path):
    (tmp_path / "r.xlsx").write_text("customer,email\n1,a@b.example\n")
    with pytest.raises(InvalidInput, match="not a spreadsheet"):
        read_table(tmp_path / "r.xlsx", COLS)


def test_csv_binary_garbage(tmp_path):
    (tmp_path / "r.csv").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InvalidInput, match="not a spreadsheet"):
        read_table(tmp_path / "r.csv", COLS)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_csv(tmp_path, content):
    (tmp_path / "r.csv").write_bytes(content)
    with pytest.raises(InvalidInput, match="empty"):
        read_table(tmp_path / "r.csv", COLS)


def test_empty_xlsx(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [])
    with pytest.raises(InvalidInput, match="empty"):
        read_table(path, COLS)


def test_header_row_missing(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [[1001, "a@b.example"], [1002, "c@d.example"]])
    with pytest.raises(InvalidInput, match="header row missing") as e:
        read_table(path, COLS)
    assert e.value.problems[0].row == 1


def test_missing_required_columns_all_named(tmp_path):
    (tmp_path / "r.csv").write_text("Telefon,other\n1,2\n")
    with pytest.raises(InvalidInput) as e:
        read_table(tmp_path / "r.csv", COLS)
    assert "customer (or kundnummer / kundnr)" in e.value.message
    assert "email (or e-post)" in e.value.message


def test_duplicate_header(tmp_path):
    (tmp_path / "r.csv").write_text("customer,email,Kundnummer\n1,a@b.example,1\n")
    with pytest.raises(InvalidInput, match="duplicate header") as e:
        read_table(tmp_path / "r.csv", COLS)
    assert e.value.problems[0].row == 1


def test_blank_header_cell_from_merged_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customer", "Contact", None, "email"])
    ws.append([1, "a", "b", "a@b.example"])
    ws.merge_cells("B1:C1")
    wb.save(tmp_path / "r.xlsx")
    with pytest.raises(InvalidInput, match="blank header cell in column C") as e:
        read_table(tmp_path / "r.xlsx", COLS)
    assert problems_of(e)[0][:2] == (1, "C")


def test_ten_megabyte_cell_names_row_and_column(tmp_path):
    big = "x" * 10_000_000
    (tmp_path / "r.csv").write_text(f"customer,email\n1,a@b.example\n2,{big}\n")
    with pytest.raises(InvalidInput, match="over 1 MB") as e:
        read_table(tmp_path / "r.csv", COLS)
    assert problems_of(e)[0][:2] == (3, "email")


def test_ten_megabyte_cell_xlsx(tmp_path):
    # openpyxl caps cells at Excel's 32,767 characters; a crafted file need not, so build one by hand.
    small = xlsx(tmp_path / "small.xlsx", [["customer", "email"], [1, "PLACEHOLDER"]])
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"PLACEHOLDER", b"x" * 10_000_000)
            dst.writestr(item, data)
    with pytest.raises(InvalidInput, match="over 1 MB") as e:
        read_table(path, COLS)
    assert problems_of(e)[0][:2] == (2, "email")


# ------------------------------------------------------------------ cell_date
@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2027, 6, 30), date(2027, 6, 30)),
        (datetime(2027, 6, 30, 12, 0), date(2027, 6, 30)),
        (46568, date(2027, 6, 30)),
        (46568.0, date(2027, 6, 30)),
        ("46568", date(2027, 6, 30)),
        ("2027-06-30", date(2027, 6, 30)),
        (" 2027-06-30T00:00:00 ", date(2027, 6, 30)),
        (None, None),
        ("", None),
    ],
)
def test_cell_date(value, expected):
    assert cell_date(value) == expected


@pytest.mark.parametrize("value", ["30/6/2027", "2027-02-30", "tomorrow", True, -5])
def test_cell_date_rejects(value):
    with pytest.raises(ValueError, match="not a date"):
        cell_date(value)


def test_garbage_collector_is_back_on_after_reading_even_after_an_error(tmp_path):
    import gc

    (tmp_path / "r.csv").write_text("customer,email\n1,a@b.example\n")
    read_table(tmp_path / "r.csv", COLS)
    assert gc.isenabled()
    with pytest.raises(InvalidInput):
        read_table(tmp_path / "r.csv", [Column("nothing")])
    assert gc.isenabled()
