"""CSV decoding is strict (no garbled rows) and the delimiter is chosen on the header row."""

from __future__ import annotations

import pytest

from ops_cli.errors import InvalidInput
from ops_cli.sheets import Column, read_table

COLS = [Column("customer", ("kundnummer",)), Column("name", ("namn",)), Column("email", ("e-post",))]


def rows(table):
    return [(r.row, r.values["customer"], r.values["name"]) for r in table.rows]


def test_utf8_file_with_one_windows_1252_row_is_refused_naming_the_row(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "customer,name,email\n1001,Åsa Öberg,a@x.example\n".encode()
        + "1002,Jörgen Ärlig,j@x.example\n".encode("cp1252")
        + "1003,Björn,b@x.example\n".encode()
    )
    with pytest.raises(InvalidInput) as e:
        read_table(path, COLS)
    assert e.value.message == (
        f"{path}:3: not UTF-8 text (the rest of the file is UTF-8); save the file again as UTF-8"
    )
    assert e.value.problems[0].row == 3


def test_a_bom_says_utf8_so_a_cp1252_row_is_refused(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfcustomer,name,email\n" + "1002,Jörgen,j@x.example\n".encode("cp1252"))
    with pytest.raises(InvalidInput, match=r"bom.csv:2: not UTF-8 text"):
        read_table(path, COLS)


def test_a_wholly_windows_1252_file_is_read(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes(
        "customer;name;email\n1002;Jörgen Ärlig;j@x.example\n1003;Åsa;a@x.example\n".encode("cp1252")
    )
    assert rows(read_table(path, COLS)) == [(2, "1002", "Jörgen Ärlig"), (3, "1003", "Åsa")]


def test_bytes_invalid_in_windows_1252_are_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"customer,name,email\n1002,J\x81rgen,j@x.example\n")
    with pytest.raises(InvalidInput, match="neither UTF-8 nor Windows-1252 text"):
        read_table(path, COLS)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_tab_separated_is_read(tmp_path, encoding):
    text = (
        "Kundnummer\tNamn\tE-post\r\n1001\tÅsa Öberg, Dahl\ta@x.example\r\n1002\tŁukasz 李\tl@x.example\r\n"
    )
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "unicode.txt"
    path.write_bytes(data)
    assert rows(read_table(path, COLS)) == [(2, "1001", "Åsa Öberg, Dahl"), (3, "1002", "Łukasz 李")]


def test_tab_separated_utf8(tmp_path):
    path = tmp_path / "r.tsv"
    path.write_text("customer\tname\temail\n1001\tDahl, Johan\td@x.example\n", encoding="utf-8")
    assert rows(read_table(path, COLS)) == [(2, "1001", "Dahl, Johan")]


def test_semicolon_file_with_commas_in_cells_is_sniffed_on_the_header(tmp_path):
    path = tmp_path / "semi.csv"
    body = "".join(f"{1000 + i};Dahl, Johan, Bygg AB, {i};j{i}@x.example\n" for i in range(5))
    path.write_text("Kundnummer;Namn;E-post\n" + body, encoding="utf-8")
    table = read_table(path, COLS)
    assert rows(table)[0] == (2, "1000", "Dahl, Johan, Bygg AB, 0")
    assert len(table.rows) == 5


def test_title_line_above_the_header_does_not_decide_the_delimiter(tmp_path):
    path = tmp_path / "title.csv"
    title = "Roster, Nordbygg AB, Lund, Sweden, 2026\n\n"
    path.write_text(title + "customer;name;email\n1001;Dahl, Johan;d@x.example\n")
    assert rows(read_table(path, COLS)) == [(4, "1001", "Dahl, Johan")]


@pytest.mark.parametrize("given, sep", [(",", ","), (";", ";"), ("tab", "\t"), ("\t", "\t")])
def test_delimiter_can_be_forced(tmp_path, given, sep):
    path = tmp_path / "f.csv"
    path.write_text(
        sep.join(["customer", "name", "email"]) + "\n" + sep.join(["1", "N", "e@x.example"]) + "\n"
    )
    assert rows(read_table(path, COLS, delimiter=given)) == [(2, "1", "N")]


def test_a_forced_wrong_delimiter_finds_no_columns(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("customer;name;email\n1;N;e@x.example\n")
    with pytest.raises(InvalidInput, match="header row missing"):
        read_table(path, COLS, delimiter=",")


def test_an_unknown_delimiter_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("customer|name|email\n")
    with pytest.raises(InvalidInput, match="unknown delimiter '\\|'; use ',', ';' or 'tab'"):
        read_table(path, COLS, delimiter="|")


def test_nul_in_a_utf16_file_is_refused_as_binary(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes("customer\tname\temail\n1\tA\x00B\te@x.example\n".encode("utf-16"))
    with pytest.raises(InvalidInput, match="binary data \\(control character at line 2\\)"):
        read_table(path, COLS)
