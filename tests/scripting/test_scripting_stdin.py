"""`-` as standard input for every import, and message bodies from stdin or a file."""

from __future__ import annotations

import subprocess

import pytest
from conftest import OPS_BIN
from helpers.sheets import write_xlsx

ROSTER_CSV = "customer,customer_name,name,email,role\n9001,Nio AB,Nina Nio,nina@nio.example,orderer\n"


def run_bytes(env, args, data: bytes):
    proc = subprocess.run(
        [str(OPS_BIN), *args], input=data, capture_output=True, env=env.environ(), timeout=120
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_roster_import_from_stdin_csv(env):
    run = env.run("roster", "import", "-", "-f", "json", input=ROSTER_CSV)
    assert run.code == 0, run.stderr
    assert run.json()["created"] == 1
    listed = env.run("roster", "list", "-c", "9001", "-f", "json").json()
    assert [e["email"] for e in listed] == ["nina@nio.example"]


def test_roster_import_from_stdin_xlsx_is_sniffed(env, tmp_path):
    book = write_xlsx(
        tmp_path / "r.xlsx", ["customer", "customer_name", "name", "email", "role"],
        [[9002, "Tvåan AB", "Tove Två", "tove@tva.example", "contact"]],
    )  # fmt: skip
    code, out, err = run_bytes(env, ["roster", "import", "-", "-f", "json"], book.read_bytes())
    assert code == 0, err
    code, out, err = run_bytes(env, ["roster", "list", "-c", "9002", "-f", "csv"], b"")
    assert "tove@tva.example" in out


def test_format_in_overrides_the_sniff(env, tmp_path):
    book = write_xlsx(
        tmp_path / "r.xlsx", ["customer", "name", "email", "role"], [[9003, "X", "x@x.example", "viewer"]]
    )
    assert env.run("init").code == 0
    before = env.snapshot()
    code, out, err = run_bytes(env, ["roster", "import", "-", "--format-in", "csv"], book.read_bytes())
    assert code == 3 and err.startswith("error: ") and "<stdin>" in err
    assert env.snapshot() == before


def test_stdin_errors_name_stdin_with_the_row(env):
    assert env.run("init").code == 0
    before = env.snapshot()
    bad = ROSTER_CSV + "9001,Nio AB,Bad Row,not-an-email,orderer\n"
    run = env.run("roster", "import", "-", input=bad)
    assert run.code == 3
    lines = run.stderr.strip().splitlines()
    assert lines[0] == "error: <stdin>: 1 bad row (1 problem); nothing was imported"
    assert lines[1].strip().startswith("<stdin>:3: email:")
    assert "ops-stdin" not in run.stderr and "/tmp" not in run.stderr
    assert env.snapshot() == before


def test_empty_stdin_is_refused(env):
    assert env.run("init").code == 0
    before = env.snapshot()
    run = env.run("roster", "import", "-", input="")
    assert run.code == 3 and run.stderr.startswith("error: standard input is empty")
    assert env.snapshot() == before


def test_customer_and_sub_and_kpi_imports_from_stdin(env):
    customers = "number,name,agreement\n9101,Stdin Kund,rakel\n"
    assert env.run("roster", "customer", "import", "-", input=customers).code == 0
    subs = "customer,issi,tei,kind,status\n9101,2090001,,standard,inactive\n"
    run = env.run("sub", "import", "-", "-f", "json", input=subs)
    assert run.code == 0 and run.json()["created"] == 1, run.stderr
    kpi = "customer,zone,date,attempts,setups_ok,established,terminated_ok\n9101,Syd,2026-09,10,9,9,9\n"
    run = env.run("sla", "kpi", "import", "-", input=kpi)
    assert run.code == 0, run.stderr
    assert len(env.run("sla", "kpi", "list", "-c", "9101", "-f", "json").json()) == 1


def test_swap_add_file_from_stdin(env):
    assert env.run("init", "--demo").code == 0
    units = "customer,model,serial\n2001,Galaxy XCover7,R58W19999\n"
    run = env.run("swap", "add", "--file", "-", "-f", "json", input=units)
    assert run.code == 0, run.stderr
    assert [u["serial"] for u in run.json()["units"]] == ["R58W19999"]


# ------------------------------------------------------------------ message bodies
@pytest.fixture
def case_env(env):
    env.now = "2026-11-20T10:00"
    assert env.run("init", "--demo").code == 0
    return env


def _texts(env, number):
    shown = env.run("case", "show", number, "-f", "json", "--include-classified").json()
    return [m.get("text") or m.get("body") or "" for m in shown.get("thread", shown.get("messages", []))]


def test_note_body_from_stdin_and_file(case_env, tmp_path):
    env = case_env
    body = "Rad ett\nRad två: åäö\n"
    assert env.run("case", "note", "2026-00009", "-m", "-", input=body).code == 0
    path = tmp_path / "body.txt"
    path.write_text("Från fil\n", encoding="utf-8")
    assert env.run("case", "reply", "2026-00009", "--body-file", str(path)).code == 0
    texts = " | ".join(_texts(env, "2026-00009"))
    assert "Rad två: åäö" in texts and "Från fil" in texts


def test_close_resolution_from_stdin(case_env):
    env = case_env
    run = env.run(
        "case", "close", "2026-00009", "--resolution", "-", "-f", "json", input="Masten omstartad.\n"
    )
    assert run.code == 0, run.stderr
    assert run.json()["status"] == "closed"


def test_body_missing_or_twice_changes_nothing(case_env, tmp_path):
    env = case_env
    before = env.snapshot()
    missing = env.run("case", "note", "2026-00009")
    assert missing.code == 2 and missing.stderr.startswith("error: give the text with -m TEXT")
    path = tmp_path / "b.txt"
    path.write_text("x", encoding="utf-8")
    both = env.run("case", "note", "2026-00009", "-m", "hej", "--body-file", str(path))
    assert both.code == 3 and both.stderr == "error: give either -m or --body-file, not both\n"
    gone = env.run("case", "note", "2026-00009", "--body-file", str(tmp_path / "nope.txt"))
    assert gone.code == 3 and gone.stderr.startswith("error: ") and "nope.txt" in gone.stderr
    assert len(gone.stderr.strip().splitlines()) == 1
    assert env.snapshot() == before


def test_skip_invalid_needs_a_real_file(env):
    assert env.run("init").code == 0
    before = env.snapshot()
    run = env.run("roster", "import", "-", "--skip-invalid", input=ROSTER_CSV)
    assert run.code == 3
    assert (
        run.stderr
        == "error: --skip-invalid needs a FILE (its rejected rows go to FILE.rejected.csv), not `-`\n"
    )
    assert env.snapshot() == before
