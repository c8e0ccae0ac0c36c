"""`ops roster import|export`: sheets in English and Swedish, upsert, replace, every bad input."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ops_cli import roster

SV_HEADER = ["Kundnummer", "Kund", "Namn", "E-post", "Telefon", "Roll", "Typ"]


@pytest.fixture
def demo(env):
    from ops_cli.demo import fixture

    env.now = "2026-11-20T10:00"
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


def xlsx(path: Path, rows) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def csv_file(path: Path, rows, encoding="utf-8", delimiter=",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def entries(env, customer=None):
    args = ["roster", "list", "-f", "json"] + (["-c", customer] if customer else [])
    return {(e["customer"], e["email"]): e for e in env.cli(*args).json()}


# ------------------------------------------------------------------ reading and normalising
def test_swedish_xlsx_with_numeric_cells(demo, tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx",
        [
            SV_HEADER,
            [
                2001.0,
                "Nordbygg AB",
                " Eva Lund ",
                " Eva.Lund@Nordbygg.EXAMPLE ",
                "+46701112233",
                "Kontaktperson",
                "Person",
            ],
            [
                2001,
                None,
                "Ulf Ek",
                "ulf.ek@nordbygg.example",
                "070-111 22 33",
                "beställare, telefoniansvarlig",
                None,
            ],
            [2001, None, "Kundtjänst", "kundtjanst@nordbygg.example", None, "kontaktperson", "funktion"],
        ],
    )
    r = demo.cli("roster", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert {k: r.json()[k] for k in ("created", "updated", "unchanged", "removed")} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
    }
    got = entries(demo, "2001")
    assert got[("2001", "eva.lund@nordbygg.example")] == {
        "customer": "2001",
        "name": "Eva Lund",
        "email": "eva.lund@nordbygg.example",
        "phone": "+46701112233",
        "roles": ["contact"],
        "kind": "person",
    }
    assert got[("2001", "ulf.ek@nordbygg.example")]["roles"] == ["orderer", "telephony"]
    assert got[("2001", "kundtjanst@nordbygg.example")]["kind"] == "function"


@pytest.mark.parametrize(
    "encoding, delimiter", [("utf-8-sig", ","), ("utf-8", ";"), ("cp1252", ";"), ("cp1252", ",")]
)
def test_csv_encodings_and_delimiters(demo, tmp_path, encoding, delimiter):
    path = csv_file(
        tmp_path / "r.csv",
        [
            SV_HEADER,
            [
                "2002",
                "Café Bönan",
                "Åsa Öberg",
                "asa@bonan.example",
                "070-123 45 67",
                "kontaktperson",
                "person",
            ],
        ],
        encoding=encoding,
        delimiter=delimiter,
    )
    r = demo.cli("roster", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 1
    assert entries(demo, "2002")[("2002", "asa@bonan.example")]["name"] == "Åsa Öberg"


def test_english_headers_any_case(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            ["CUSTOMER", "Name", "EMAIL", "Role", "Notes"],
            ["1002", "Nils Berg", "nils.berg@rtj.example", "viewer", "ignored column"],
        ],
    )
    r = demo.cli("roster", "import", str(path))
    assert r.code == 0, r.stderr
    assert ("1002", "nils.berg@rtj.example") in entries(demo, "1002")


# ------------------------------------------------------------------ upsert, replace, dry run
def test_upsert_counts_created_updated_unchanged_and_audit(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            ["customer", "name", "email", "phone", "role"],
            ["2001", "Maria Sund", "maria.sund@nordbygg.example", "+46 8 555 010 01", "orderer"],  # unchanged
            ["2001", "Per Falk", "per.falk@nordbygg.example", "+46701234567", "telephony,contact"],  # updated
            ["2001", "Ny Person", "ny@nordbygg.example", "", "viewer"],  # created
        ],
    )
    audit_before = len(demo.snapshot()["audit"])
    r = demo.cli("roster", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    result = r.json()
    assert {k: result[k] for k in ("created", "updated", "unchanged", "removed")} == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "removed": 0,
    }
    assert entries(demo, "2001")[("2001", "per.falk@nordbygg.example")]["roles"] == ["contact", "telephony"]
    # other entries of 2001 (not in the file) are kept without --replace
    assert ("2001", "emma.strand@nordbygg.example") in entries(demo, "2001")
    audit = demo.snapshot()["audit"][audit_before:]
    assert len(audit) == 1
    _, _, actor, action, obj, before, after = audit[0][:7]
    assert (action, obj) == ("roster.import", "customer:2001")
    assert json.loads(after)["created"] == ["ny@nordbygg.example"]
    assert json.loads(before)["per.falk@nordbygg.example"]["roles"] == "telephony"


def test_replace_removes_entries_the_file_no_longer_lists(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            ["customer", "name", "email", "role"],
            ["2002", "Lisa Ek", "lisa.ek@bonan.example", "orderer,telephony,contact"],
        ],
    )
    r = demo.cli("roster", "import", str(path), "--replace", "--yes", "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["removed"], r.json()["updated"]) == (1, 1)
    assert r.json()["removed_entries"] == [
        {"customer": "2002", "email": "oskar.ek@bonan.example", "name": "Oskar Ek"}
    ]
    assert list(entries(demo, "2002")) == [("2002", "lisa.ek@bonan.example")]
    assert len(entries(demo, "2001")) == 5  # other customers untouched


def test_dry_run_reports_and_writes_nothing(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            ["customer", "customer_name", "name", "email", "role"],
            ["2002", "", "Lisa Ek", "lisa.ek@bonan.example", "orderer,contact"],
            ["5001", "Ny Kund AB", "Kim", "kim@ny.example", "orderer"],
        ],
    )
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path), "--replace", "--yes", "--dry-run", "-f", "json")
    assert r.code == 0, r.stderr
    data = r.json()
    assert (data["created"], data["updated"], data["removed"], data["dry_run"]) == (1, 1, 1, True)
    assert data["customers_created"] == ["5001"]
    assert {(row["action"], row["email"]) for row in data["rows"]} == {
        ("create", "kim@ny.example"),
        ("update", "lisa.ek@bonan.example"),
        ("remove", "oskar.ek@bonan.example"),
    }
    assert demo.snapshot() == before
    r = demo.cli("roster", "import", str(path), "--dry-run")
    assert "dry run: nothing was written" in r.stderr


def test_unknown_customer_created_when_named(demo, tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx",
        [SV_HEADER, [5001, "Ny Kund AB", "Kim", "kim@ny.example", None, "beställare", None]],
    )
    r = demo.cli("roster", "import", str(path))
    assert r.code == 0, r.stderr
    assert "created customer 5001" in r.stderr
    assert demo.cli("roster", "customer", "show", "5001", "-f", "json").json()["name"] == "Ny Kund AB"


def test_unknown_customer_without_name_exit_4(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            ["customer", "name", "email", "role"],
            ["2001", "A", "a@nordbygg.example", "viewer"],
            ["7001", "B", "b@x.example", "viewer"],
            ["7002", "C", "c@x.example", "viewer"],
        ],
    )
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path))
    assert r.code == 4
    assert "unknown customers 7001, 7002" in r.stderr
    assert f"{path}:3: customer: customer 7001 not found" in r.stderr
    assert demo.snapshot() == before


# ------------------------------------------------------------------ permissions
def test_import_by_an_orderer(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [["customer", "name", "email", "role"], ["2001", "A", "a@nordbygg.example", "viewer"]],
    )
    r = demo.cli("roster", "import", str(path), "--by", "maria.sund@nordbygg.example")
    assert r.code == 0, r.stderr
    assert demo.snapshot()["audit"][-1][2] == "maria.sund@nordbygg.example"


def test_import_by_a_non_orderer_is_refused(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            ["customer", "name", "email", "role"],
            ["2001", "A", "a@nordbygg.example", "viewer"],
            ["2002", "B", "b@bonan.example", "viewer"],
        ],
    )
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path), "--by", "maria.sund@nordbygg.example")  # not orderer of 2002
    assert r.code == 5
    assert "maria.sund@nordbygg.example is not in the roster of customer 2002" in r.stderr
    assert demo.snapshot() == before


# ------------------------------------------------------------------ bad rows
def test_every_bad_row_reported_nothing_written(demo, tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx",
        [
            SV_HEADER,
            [2001, None, "Ok Person", "ok@nordbygg.example", None, "kontaktperson", None],
            [2001, None, "Bad Mail", "not-an-email", None, "kontaktperson", None],
            [None, None, None, None, None, None, None],
            ["20x1", None, "", "x@nordbygg.example", "phone?", "chef, beställare", "robot"],
            [
                2001,
                None,
                "Ok Person",
                "ok@nordbygg.example",
                None,
                "kontaktperson",
                None,
            ],  # same data twice: fine
            [2001, None, "Other Name", "OK@nordbygg.example", None, "kontaktperson", None],  # different data
        ],
    )
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path))
    assert r.code == 3
    assert f"error: {path}: 3 bad rows (7 problems); nothing was imported" in r.stderr
    for line in [
        f"{path}:3: email: 'not-an-email' is not a valid email address",
        f"{path}:5: customer: customer number '20x1' must be digits only",
        f"{path}:5: name: name is missing",
        f"{path}:5: phone: 'phone?' is not a phone number",
        f"{path}:5: role: unknown role 'chef'; roles are orderer, contact, telephony, viewer",
        f"{path}:5: kind: kind 'robot' must be person or function",
        f"{path}:7: email: ok@nordbygg.example is listed twice for customer 2001 with different data"
        " (also row 2)",
    ]:
        assert line in r.stderr
    assert demo.snapshot() == before


def test_skip_invalid_writes_valid_rows_and_rejected_file(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            ["customer", "name", "email", "role"],
            ["2001", "Good", "good@nordbygg.example", "viewer"],
            ["2001", "Bad", "bad-at-example", "viewer"],
            ["8001", "Nobody", "n@x.example", "viewer"],
        ],
    )
    r = demo.cli("roster", "import", str(path), "--skip-invalid", "-f", "json")
    assert r.code == 0, r.stderr
    data = r.json()
    assert (data["created"], data["rejected"]) == (1, 2)
    rejected = Path(f"{path}.rejected.csv")
    assert data["rejected_file"] == str(rejected)
    assert f"2 rejected row(s) written to {rejected}" in r.stderr
    rows = list(csv.DictReader(rejected.read_text(encoding="utf-8-sig").splitlines()))
    assert [(row["row"], row["email"]) for row in rows] == [("3", "bad-at-example"), ("4", "n@x.example")]
    assert "is not a valid email address" in rows[0]["reason"]
    assert "customer 8001 not found" in rows[1]["reason"]
    assert ("2001", "good@nordbygg.example") in entries(demo, "2001")


def test_skip_invalid_dry_run_writes_no_file(demo, tmp_path):
    path = csv_file(
        tmp_path / "r.csv", [["customer", "name", "email", "role"], ["2001", "Bad", "bad", "viewer"]]
    )
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path), "--skip-invalid", "--dry-run", "-f", "json")
    assert r.code == 0 and r.json()["rejected"] == 1
    assert not Path(f"{path}.rejected.csv").exists()
    assert demo.snapshot() == before


# ------------------------------------------------------------------ bad files
def _ten_mb_xlsx(tmp_path):
    small = xlsx(
        tmp_path / "small.xlsx",
        [SV_HEADER, [2001, None, "A", "a@nordbygg.example", "PLACEHOLDER", "viewer", None]],
    )
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"PLACEHOLDER", b"7" * 10_000_000)
            dst.writestr(item, data)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.xlsx", "missing.xlsx: no such file"),
        (lambda d: (d / "r.xlsx").write_text("customer,name\n") and d / "r.xlsx", "not a spreadsheet"),
        (
            lambda d: (d / "r.csv").write_bytes(b"\x00\x01\x02garbage\xff\xfe" * 100) and d / "r.csv",
            "not a spreadsheet",
        ),
        (lambda d: (d / "r.csv").write_bytes(b"") or d / "r.csv", "the file is empty"),
        (lambda d: xlsx(d / "r.xlsx", []), "the file is empty"),
        (lambda d: (d / "r.ods").write_text("x") and d / "r.ods", "unknown file type '.ods'"),
        (
            lambda d: csv_file(d / "r.csv", [["Kundnummer", "Telefon"], ["2001", "1"]]),
            "missing required column(s): name (or namn / full_name), email (or e-post",
        ),
        (
            lambda d: csv_file(
                d / "r.csv",
                [["customer", "name", "email", "role", "Roll"], ["2001", "a", "a@b.example", "x", "y"]],
            ),
            "duplicate header: 'Roll' and 'role' both mean 'role'",
        ),
        (
            lambda d: (
                (d / "r.csv").write_text(
                    "customer,name,email,role\n2001,A,a@nordbygg.example," + "x" * 10_000_000 + "\n"
                )
                and d / "r.csv"
            ),
            "r.csv:2: role: cell is over 1 MB",
        ),
        (_ten_mb_xlsx, "big.xlsx:2: Telefon: cell is over 1 MB"),
    ],
    ids=[
        "missing",
        "xlsx-is-text",
        "binary-csv",
        "empty-csv",
        "empty-xlsx",
        "unknown-ext",
        "missing-columns",
        "duplicate-header",
        "10mb-csv-cell",
        "10mb-xlsx-cell",
    ],
)
def test_bad_files_exit_3_and_change_nothing(demo, tmp_path, make, message):
    path = make(tmp_path)
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path))
    assert r.code == 3, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert demo.snapshot() == before


# ------------------------------------------------------------------ export
def test_export_xlsx_string_cells_and_round_trip(demo, tmp_path):
    demo.cli(
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "evil@nordbygg.example",
        "--name",
        '=HYPERLINK("x")',
        "-r",
        "viewer",
    )
    demo.cli(
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "dash@nordbygg.example",
        "--name",
        "-Dash",
        "-r",
        "viewer",
        "--phone",
        "+46 70 000 00 00",
    )
    out = tmp_path / "out.xlsx"
    r = demo.cli("roster", "export", str(out), "-f", "json")
    assert r.code == 0 and r.json()["rows"] == 17
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == ["customer", "customer_name", "name", "email", "phone", "role", "kind"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold and ws.auto_filter.ref == "A1:G18"
    assert all(c.data_type == "s" for row in ws.iter_rows(min_row=2) for c in row if c.value is not None)
    assert ws["A2"].value == "1001"
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(out), "--replace", "--yes", "-f", "json")
    assert r.code == 0, r.stderr
    assert {k: r.json()[k] for k in ("created", "updated", "unchanged", "removed")} == {
        "created": 0,
        "updated": 0,
        "unchanged": 17,
        "removed": 0,
    }
    assert demo.snapshot() == before


def test_export_csv_bom_owasp_and_round_trip(demo, tmp_path):
    demo.cli("roster", "add", "-c", "2002", "-e", "evil@bonan.example", "--name", "@SUM(1+1)", "-r", "viewer")
    out = tmp_path / "out.csv"
    r = demo.cli("roster", "export", str(out), "--customer", "2002")
    assert r.code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'@SUM(1+1)" in text and "+46709876543" in text and "'+46" not in text
    rows = list(csv.DictReader(text.splitlines()))
    assert {r["customer"] for r in rows} == {"2002"} and len(rows) == 3
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(out), "--replace", "--yes", "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["unchanged"], r.json()["created"], r.json()["updated"]) == (3, 0, 0)
    assert demo.snapshot() == before


def test_export_errors(demo, tmp_path):
    r = demo.cli("roster", "export", str(tmp_path / "x.json"))
    assert r.code == 3 and "export to .xlsx or .csv" in r.stderr
    r = demo.cli("roster", "export", str(tmp_path / "x.csv"), "-c", "9999")
    assert r.code == 4
    assert not (tmp_path / "x.csv").exists()


# ------------------------------------------------------------------ core, progress, end to end
def test_core_import_reports_progress(ops, tmp_path):
    roster.load_demo(ops)
    rows = [["customer", "name", "email", "role"]]
    rows += [["2001", f"P{i}", f"p{i}@nordbygg.example", "viewer"] for i in range(2100)]
    path = csv_file(tmp_path / "r.csv", rows)
    seen: list[int] = []
    result = roster.import_roster(ops, path, progress=seen.append)
    assert result["created"] == 2100
    assert sum(seen) == 2100


def test_import_end_to_end_subprocess(demo, tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx",
        [SV_HEADER, [1001, None, "Ny Polis", "ny@polisen.example", None, "Beställare", None]],
    )
    r = demo.run("roster", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert json.loads(r.stdout)["created"] == 1
    r = demo.run("roster", "import", str(tmp_path / "nope.csv"))
    assert r.code == 3 and r.stderr.startswith("error: ") and "no such file" in r.stderr


def test_same_row_twice_with_the_same_data_is_one_entry(demo, tmp_path):
    row = ["2001", "Dup Licate", "dup@nordbygg.example", "viewer"]
    path = csv_file(tmp_path / "r.csv", [["customer", "name", "email", "role"], row, row])
    r = demo.cli("roster", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["rejected"]) == (1, 0)
