"""The streamed roster import across chunks: a (customer, email) listed again in a later chunk is
one entry when its data is the same, and refuses the whole file when it differs (naming the
earlier row)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ops_cli.roster.importing.stream import StreamedRosterImporter

HEADER = ["customer", "name", "email", "phone", "role", "kind"]


@pytest.fixture
def demo(env, monkeypatch):
    env.now = "2026-11-20T10:00"
    assert env.cli("init", "--demo").code == 0
    monkeypatch.setattr(StreamedRosterImporter, "chunk", 2)  # every few rows cross a chunk boundary
    return env


def write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def person(i: int, name: str = "") -> list[str]:
    return [
        "2001",
        name or f"Person {i}",
        f"p{i}@nordbygg.example",
        f"+46 70 123 45 {i:02d}",
        "contact",
        "person",
    ]


def test_the_same_row_again_in_a_later_chunk_is_one_entry(demo, tmp_path):
    path = write(tmp_path / "r.csv", [person(1), person(2), person(3), person(1), person(4)])
    r = demo.cli("roster", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 4
    again = demo.cli("roster", "import", str(path), "-f", "json")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 4)


def test_other_data_for_a_key_in_a_later_chunk_refuses_the_file(demo, tmp_path):
    path = write(tmp_path / "r.csv", [person(1), person(2), person(3), person(1, "Annan Person"), person(4)])
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path))
    assert r.code == 3
    message = f"{path}:5: email: p1@nordbygg.example is listed twice for customer 2001 with different data"
    assert f"{message} (also row 2)" in r.stderr
    assert demo.snapshot() == before


def numbered(i: int, name: str = "") -> list[str]:
    return [
        "2001",
        name or f"Person {i}",
        f"q{i}@nordbygg.example",
        f"+46 70 {i % 1000:03d} {i % 100:02d} {i % 97:02d}",
        "contact",
        "person",
    ]


def test_a_key_again_in_a_later_chunk_is_found_wherever_it_falls(demo, tmp_path, monkeypatch):
    """Chunks of hundreds of rows are staged many rows per statement: a key of an earlier chunk
    is found in any statement of a later one; the audit lists the created emails in sheet order."""
    monkeypatch.setattr(StreamedRosterImporter, "chunk", 500)
    rows = [numbered(i) for i in range(1000)]
    rows[750] = numbered(10)  # the same row again: one entry
    path = write(tmp_path / "r.csv", rows)
    r = demo.cli("roster", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 999
    audit = demo.cli("db", "log", "--format", "json").json()
    created = next(a for a in audit if a["action"] == "roster.import")["after"]["created"]
    assert created == [f"q{i}@nordbygg.example" for i in range(1000) if i != 750]

    rows[900] = numbered(20, "Annan Person")  # other data for a key of the first chunk
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(write(tmp_path / "s.csv", rows)))
    assert r.code == 3
    message = "q20@nordbygg.example is listed twice for customer 2001 with different data (also row 22)"
    assert f"{tmp_path / 's.csv'}:902: email: {message}" in r.stderr
    assert demo.snapshot() == before
