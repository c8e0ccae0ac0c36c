"""Issue 16: imports stream. The reader hands out chunks (same rows, numbers and errors as the
whole-file reader), the subscription import stages them and writes at once (all-or-nothing
across chunks), and a 200,000-row source is consumed without ever holding it whole."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import db as store_db

from ops_cli.importing import Options, run_stream
from ops_cli.roster.importing import ROSTER_COLUMNS
from ops_cli.sheets import read_columns
from ops_cli.sheets.model import Source
from ops_cli.sheets.stream import chunked_columns, iter_columns
from ops_cli.subscriptions.importing import SubscriptionImporter

HEADER = ["customer", "issi", "tei", "msisdn", "kind", "status"]


@pytest.fixture
def demo(env):
    env.now = "2026-11-20T10:00"
    r = env.cli("init", "--demo")
    assert r.code == 0, r.stderr
    return env


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 3 rows, so that a few rows already cross chunk boundaries."""
    monkeypatch.setattr(SubscriptionImporter, "chunk", 3)


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(header)
        for row in rows:
            ws.append(row)
        wb.save(path)
        return path
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


# ------------------------------------------------------------------ the chunked reader
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_chunks_hold_the_same_rows_as_the_whole_file_reader(tmp_path, suffix):
    header = ["Kundnummer", "Namn", "E-post", "Roll", "Extra"]
    rows = [[1001 + i % 3, f"Person {i}", f"p{i}@x.example", "kontaktperson", "x"] for i in range(10)]
    rows[4] = ["", "", "", "", ""]  # an empty row is skipped (its number is not)
    path = write(tmp_path / f"r{suffix}", header, rows)
    whole = read_columns(path, ROSTER_COLUMNS)
    chunks = list(iter_columns(path, ROSTER_COLUMNS, chunk=4))
    assert [len(c) for c in chunks] == [4, 3, 2]  # 4 read, one of them empty, ...
    assert sum((c.numbers for c in chunks), []) == whole.numbers == [2, 3, 4, 5, 7, 8, 9, 10, 11]
    for name in whole.values:
        assert sum((c.values[name] for c in chunks), []) == whole.values[name]
        assert sum((list(c.cells[name]) for c in chunks), []) == list(whole.cells[name])


def test_a_file_problem_in_a_later_chunk_names_its_own_row(tmp_path):
    rows = [["1001", f"P {i}", f"p{i}@x.example", "kontaktperson"] for i in range(7)]
    rows[5][1] = "bad\x07name"
    path = write(tmp_path / "r.csv", ["customer", "name", "email", "role"], rows)
    with pytest.raises(Exception) as whole:
        read_columns(path, ROSTER_COLUMNS)
    with pytest.raises(Exception) as chunked:
        list(iter_columns(path, ROSTER_COLUMNS, chunk=2))
    assert str(chunked.value) == str(whole.value)
    assert "line 7" in str(chunked.value)


def test_an_empty_sheet_still_gives_its_header(tmp_path):
    path = write(tmp_path / "r.csv", ["customer", "name", "email", "role"], [])
    chunks = list(iter_columns(path, ROSTER_COLUMNS))
    assert len(chunks) == 1 and len(chunks[0]) == 0
    assert chunks[0].headers == ["customer", "name", "email", "role"]


# ------------------------------------------------------------------ sub import across chunks
def test_sub_import_across_chunks_writes_every_row(demo, tmp_path, small_chunks):
    rows = [["1001", 2019001 + i, f"00000000000F{i:03d}", "", "", ""] for i in range(8)]
    path = write(tmp_path / "s.csv", HEADER, rows)
    r = demo.cli("sub", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["unchanged"]) == (8, 0)
    again = demo.cli("sub", "import", str(path), "-f", "json")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 8)


def test_unchanged_reimport_writes_nothing(demo, tmp_path, small_chunks):
    rows = [["1001", 2019001 + i, f"00000000000F{i:03d}", "", "", ""] for i in range(5)]
    path = write(tmp_path / "s.csv", HEADER, rows)
    assert demo.cli("sub", "import", str(path)).code == 0
    before = demo.snapshot()
    r = demo.cli("sub", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["unchanged"] == 5
    assert demo.snapshot() == before  # not one row touched, no audit record


@pytest.mark.parametrize(
    "late, code, message",
    [
        (
            ["1001", "2019001", "00000000000F999", "", "", ""],
            3,
            "s.csv:8: issi: ISSI 2019001 is also in row 2",
        ),
        (
            ["1001", "2019099", "00000000000F000", "", "", ""],
            6,
            "s.csv:8: tei: TEI 00000000000F000 is also in row 2",
        ),
        (["1001", "abc", "", "", "", ""], 3, "s.csv:8: issi: ISSI 'abc' is not a whole number"),
    ],
)
def test_a_bad_row_in_a_later_chunk_refuses_the_whole_file(demo, tmp_path, small_chunks, late, code, message):
    rows = [["1001", 2019001 + i, f"00000000000F{i:03d}", "", "", ""] for i in range(6)]
    path = write(tmp_path / "s.csv", HEADER, [*rows, late])
    before = demo.snapshot()
    r = demo.cli("sub", "import", str(path))
    assert r.code == code, r.stderr
    assert r.stderr.startswith("error: ")
    assert message in r.stderr, r.stderr
    assert demo.snapshot() == before  # the first chunks were not written either


def test_sub_import_audit_records_before_and_after(demo, tmp_path):
    path = write(tmp_path / "s.csv", HEADER, [["1001", "2010001", "", "+46 70 111 22 33", "", ""]])
    r = demo.cli("sub", "import", str(path))
    assert r.code == 0, r.stderr
    conn = store_db.connect(demo.db)
    action, obj, before, after = conn.execute(
        "SELECT action, object, before, after FROM audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert (action, obj) == ("sub.update", "sub:2010001")
    assert json.loads(after)["msisdn"] == "+46701112233"
    assert set(json.loads(before)) == {"tei", "msisdn", "kind", "status"}
    assert json.loads(before)["msisdn"] != "+46701112233"


# ------------------------------------------------------------------ bounded memory, structurally
class Row(list):
    """A source row that counts how many rows are alive at once."""

    alive = 0
    most = 0

    def __init__(self, *args):
        super().__init__(*args)
        Row.alive += 1
        Row.most = max(Row.most, Row.alive)

    def __del__(self):
        Row.alive -= 1


def test_the_pipeline_consumes_200k_rows_without_holding_them(demo):
    from ops_cli.context import Ops

    n, chunk = 200_000, 10_000

    def rows():
        yield Row(HEADER)
        for i in range(n):
            yield Row(["1001", str(9_000_000 + i), f"{i:015X}", "", "", ""])

    class GeneratedImporter(SubscriptionImporter):
        def read(self, path):
            return chunked_columns(str(path), Source(rows(), 0, True), self.columns, None, chunk)

    Row.alive = Row.most = 0
    ops = Ops.open(config_path=demo.config, db_path=demo.db)
    try:
        importer = GeneratedImporter(ops, Options(), confirm_reset=False, form=None)
        result = run_stream(importer, "generated.csv")
    finally:
        ops.close()
    assert result["created"] == n
    assert Row.alive == 0
    assert Row.most <= chunk + 20  # one chunk (and the header search's rows) at a time, never 200k
    conn = store_db.connect(demo.db)
    assert conn.execute("SELECT count(*) FROM subscriptions WHERE issi >= 9000000").fetchone()[0] == n
    conn.close()


# ------------------------------------------------------------------ problems: all counted, listed up to a cap
def test_problems_beyond_the_cap_are_counted_not_listed(demo, tmp_path):
    rows = [["1001", f"Person {i}", f"not-an-email-{i}", "kontaktperson"] for i in range(1003)]
    path = write(tmp_path / "r.csv", ["customer", "name", "email", "role"], rows)
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path))
    assert r.code == 3, r.stderr
    assert r.stderr.startswith(f"error: {path}: 1003 bad rows (1003 problems); nothing was imported")
    assert "... and 3 more problems (not listed)" in r.stderr
    assert f"{path}:1001: email:" in r.stderr  # the first 1,000 (rows 2..1001) are listed
    assert f"{path}:1002: email:" not in r.stderr
    assert demo.snapshot() == before
