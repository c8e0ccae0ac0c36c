"""Edge cases found by the outside test of every `case` command (cases-qa):
free text with control characters, hidden characters or beyond what an export
can hold; a fault that "occurred" after it was reported; a third party granted
twice; `--limit` beyond SQLite. Each refusal: one `error:` line, its exit code,
nothing written."""

from __future__ import annotations

import pytest
from helpers import refused
from test_case_helpers import desk, number  # noqa: F401 (shared pytest fixtures)

ORDERER = "anna.berg@polisen.example"  # customer 1001


def _open(*extra: str) -> tuple[str, ...]:
    return ("case", "open", "--topic", "fault", "--reporter", ORDERER, *extra)


@pytest.mark.parametrize(
    "args, text",
    [
        (_open("--subject", "two\nlines"), "--subject contains the control character U+000A"),
        (_open("--subject", "bell\x07"), "--subject contains the control character U+0007"),
        (_open("--subject", "\u202eevil"), "U+202E RIGHT-TO-LEFT OVERRIDE"),
        (_open("--subject", "x" * 201), "--subject is 201 characters long; at most 200"),
        (
            _open("--subject", "ok", "--message", "nul\x00here"),
            "--message contains the control character U+0000",
        ),
        (
            _open("--subject", "ok", "--facility", "Mast\x1b[31m"),
            "--facility contains the control character U+001B",
        ),
    ],
    ids=["newline", "bell", "bidi", "long-subject", "nul-message", "escape-facility"],
)
def test_open_refuses_bad_text(desk, args, text):
    refused(desk, 3, text, *args)


@pytest.mark.parametrize(
    "verb, args, text",
    [
        ("reply", ("-m", "esc\x1b[2J"), "--message contains the control character U+001B"),
        ("note", ("-m", "x" * 32768), "--message is 32768 characters long; at most 32767"),
        ("message", ("-m", "nul\x00", "--by", ORDERER), "--message contains the control character U+0000"),
        ("close", ("--resolution", "del\x7f"), "--resolution contains the control character U+007F"),
        ("assign", ("--agent", "tove\nadmin"), "--agent contains the control character U+000A"),
        ("grant", ("--name", "Partner\u200b AB", "--by", ORDERER), "U+200B ZERO WIDTH SPACE"),
        ("callback", ("--note", "bell\x07"), "--note contains the control character U+0007"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isalpha() else None,
)
def test_thread_commands_refuse_bad_text(desk, number, verb, args, text):
    refused(desk, 3, text, "case", verb, number, *args)


def test_multiline_messages_and_tabs_are_kept(desk, number):
    run = desk.cli("case", "reply", number, "-m", "Hej!\n\nVi felsöker.\tMvh", "-f", "json")
    assert run.code == 0, run.stderr
    shown = desk.cli("case", "show", number, "-f", "json").json()
    assert shown["thread"][-1]["text"] == "Hej!\n\nVi felsöker.\tMvh"


def test_text_is_stored_nfc(desk):
    run = desk.cli(*_open("--subject", "Go\u0308teborg nere", "-f", "json"))
    assert run.code == 0, run.stderr
    assert run.json()["subject"] == "G\u00f6teborg nere"


def test_fault_cannot_occur_after_it_was_reported(desk):
    # Reported 2026-11-16 10:00 (OPS_NOW); occurred 10:01 the same day is in the future.
    refused(
        desk,
        3,
        "--occurred-at 2026-11-16T10:01:00+01:00 is after the report (2026-11-16T10:00:00+01:00)",
        *_open("--subject", "Nere", "--occurred-at", "2026-11-16T10:01"),
    )
    run = desk.cli(*_open("--subject", "Nere", "--occurred-at", "2026-11-16T10:00", "-f", "json"))
    assert run.code == 0, run.stderr
    assert run.json()["occurred_at"] == "2026-11-16T10:00:00+01:00"


def test_granting_the_same_third_party_twice_is_a_conflict(desk, number):
    run = desk.cli("case", "grant", number, "--name", "Partner AB", "--by", ORDERER)
    assert run.code == 0, run.stderr
    refused(
        desk,
        6,
        f"Partner AB already has third-party access to case {number}",
        "case",
        "grant",
        number,
        "--name",
        "partner ab",
        "--by",
        ORDERER,
    )


def test_list_limit_beyond_sqlite_is_exit_3_with_the_range(desk, number):
    refused(desk, 3, "--limit", "case", "list", "-n", "99999999999999999999")
    run = desk.cli("case", "list", "-n", "99999999999999999999")
    assert "Python" not in run.stderr and "SQLite INTEGER" not in run.stderr


# Every case command's --help ends with an example that pastes cleanly into a shell
# on the demo store: one line within 80 columns, no continuation, exit 0.
EXAMPLE_ORDER = [
    "open", "list", "show", "reply", "message", "note", "assign", "grant", "set-callback",
    "callbacks", "callback", "stale", "departments", "export", "close", "reopen",
]  # fmt: skip


def test_every_case_help_has_an_example_that_pastes_cleanly(env, monkeypatch):
    import shlex

    monkeypatch.chdir(env.tmp)
    assert env.cli("init", "--demo").code == 0
    listing = env.cli("case", "--help", COLUMNS="80").stdout
    for verb in EXAMPLE_ORDER:
        assert f" {verb} " in listing, verb
        text = env.cli("case", verb, "--help", COLUMNS="80").stdout
        lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith(f"ops case {verb} ")]
        assert len(lines) == 1, (verb, text)
        assert not lines[0].endswith("\\"), lines[0]
        args = shlex.split(lines[0])
        assert args[:3] == ["ops", "case", verb]
        run = env.cli(*args[1:])
        assert run.code == 0, (lines[0], run.stderr)


SECRET_TEXTS = ("Skyddsrum B", "Rökdykare", "Brandkåren Väst", "Antennen bytt", "Ring Karin")


@pytest.fixture
def sensitive(desk) -> str:
    karin = "karin.lind@rtj.example"
    run = desk.cli(
        "case", "open", "--topic", "coverage", "--customer", "1002", "--reporter", karin,
        "--subject", "Skyddsrum B", "--message", "Rökdykare tappar samband",
        "--classification", "sensitive", "-f", "json",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    number = run.json()["number"]
    for args in (
        ("note", number, "-m", "Ring Karin"),
        ("callback", number, "--note", "Rökdykare informerade"),
        ("grant", number, "--name", "Brandkåren Väst", "--by", karin),
        ("close", number, "--resolution", "Antennen bytt"),
        ("reopen", number, "--by", karin),
    ):
        assert desk.cli("case", *args).code == 0, args
    return number


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_show_masks_every_text_of_a_classified_case_unless_asked(desk, sensitive, fmt):
    out = desk.cli("case", "show", sensitive, "-f", fmt).stdout
    assert "(classified)" in out
    leaked = [t for t in SECRET_TEXTS if t in out]
    assert leaked == [], (fmt, leaked)
    full = desk.cli("case", "show", sensitive, "-f", fmt, "--include-classified").stdout
    assert "Skyddsrum B" in full


def test_show_include_classified_keeps_history_and_grants(desk, sensitive):
    full = desk.cli("case", "show", sensitive, "-f", "json", "--include-classified").json()
    assert full["grants"][0]["name"] == "Brandkåren Väst"
    closed = [h for h in full["history"] if h["event"] == "closed"][0]
    assert closed["detail"] == {"resolution": "Antennen bytt"}
    masked = desk.cli("case", "show", sensitive, "-f", "json").json()
    assert masked["number"] == sensitive and masked["classification"] == "sensitive"
    assert [h["event"] for h in masked["history"]] == [h["event"] for h in full["history"]]
    closed = [h for h in masked["history"] if h["event"] == "closed"][0]
    assert closed["detail"] == {"resolution": "(classified)"}
    assert masked["grants"][0]["name"] == "(classified)"


@pytest.mark.parametrize("name", ["", "   "])
def test_export_to_a_blank_name_asks_for_a_file(desk, number, name, monkeypatch):
    monkeypatch.chdir(desk.tmp)
    refused(desk, 3, "give the file to write: a name ending in .xlsx or .csv", "case", "export", name)


# Opened 2026-11-16 10:00 (OPS_NOW of the `desk` fixture).
@pytest.mark.parametrize(
    "verb, args",
    [
        ("reply", ("-m", "Hej")),
        ("note", ("-m", "Hej")),
        ("message", ("-m", "Hej", "--by", ORDERER)),
        ("assign", ("--agent", "tove@desk.example")),
        ("set-callback", ("--every", "4")),
        ("callback", ()),
        ("close", ("--resolution", "Fixat")),
        ("grant", ("--name", "Radio AB", "--by", ORDERER)),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_nothing_happens_to_a_case_before_it_was_opened(desk, number, verb, args):
    refused(
        desk,
        3,
        f"--at 2026-11-16T09:59:00+01:00 is before case {number} was opened (2026-11-16T10:00:00+01:00)",
        "case", verb, number, *args, "--at", "2026-11-16T09:59",
    )  # fmt: skip


def test_a_case_is_not_reopened_before_it_was_closed(desk, number):
    assert desk.cli("case", "close", number, "--resolution", "Fixat", "--at", "2026-11-16T12:00").code == 0
    for args in (("reopen", number), ("message", number, "-m", "Nere igen", "--by", ORDERER)):
        refused(
            desk,
            3,
            f"--at 2026-11-16T11:00:00+01:00 is before case {number} was closed (2026-11-16T12:00:00+01:00)",
            "case", *args, "--at", "2026-11-16T11:00",
        )  # fmt: skip


def test_a_late_recorded_callback_keeps_the_last_activity(desk, number):
    assert desk.cli("case", "reply", number, "-m", "Hej", "--at", "2026-11-16T11:00").code == 0
    run = desk.cli("case", "callback", number, "--at", "2026-11-16T10:30", "-f", "json")
    assert run.code == 0, run.stderr
    assert run.json()["last_activity_at"] == "2026-11-16T11:00:00+01:00"


def test_a_long_first_message_is_kept_and_cut_only_in_an_xlsx_export(desk, monkeypatch):
    from python_calamine import CalamineWorkbook

    monkeypatch.chdir(desk.tmp)
    body = "Beställning rad.\n" * 3000  # 51,000 characters, e.g. a change order's lines
    run = desk.cli(*_open("--subject", "Order", "--message", body, "-f", "json"))
    assert run.code == 0, run.stderr
    shown = desk.cli("case", "show", run.json()["number"], "-f", "json").json()
    assert shown["thread"][0]["text"] == body.strip()
    assert desk.cli("case", "export", "cases.xlsx").code == 0
    rows = CalamineWorkbook.from_path(str(desk.tmp / "cases.xlsx")).get_sheet_by_index(0).to_python()
    message = rows[1][rows[0].index("message")]
    assert len(message) == 32767 and message.endswith("the whole text: `ops case show` or a .csv export)")
    assert desk.cli("case", "export", "cases.csv").code == 0
    assert body.strip() in (desk.tmp / "cases.csv").read_text(encoding="utf-8-sig")


def test_xlsx_export_of_older_texts_the_checks_now_refuse(desk, number, monkeypatch):
    from helpers import db as store_db
    from python_calamine import CalamineWorkbook

    monkeypatch.chdir(desk.tmp)
    conn = store_db.connect(desk.db)  # a store written before the text checks
    conn.execute("UPDATE cases SET subject = ? WHERE number = ?", ("Nere\x01" + "x" * 40000, number))
    conn.commit()
    conn.close()
    run = desk.cli("case", "export", "old.xlsx")
    assert run.code == 0, run.stderr
    rows = CalamineWorkbook.from_path(str(desk.tmp / "old.xlsx")).get_sheet_by_index(0).to_python()
    subject = rows[1][rows[0].index("subject")]
    assert subject.startswith("Nere\ufffdxxx") and len(subject) == 32767


@pytest.mark.parametrize("verb", ["list", "export"])
def test_since_after_until_is_refused_not_an_empty_answer(desk, number, verb, monkeypatch):
    monkeypatch.chdir(desk.tmp)
    target = ("out.csv",) if verb == "export" else ()
    refused(
        desk, 3, "--since 2026-11-17 is after --until 2026-11-15: no case could match",
        "case", verb, *target, "--since", "2026-11-17", "--until", "2026-11-15",
    )  # fmt: skip
    assert not (desk.tmp / "out.csv").exists()
    one_day = desk.cli("case", "list", "--since", "2026-11-16", "--until", "2026-11-16", "-f", "json")
    assert [c["number"] for c in one_day.json()] == [number]


@pytest.mark.parametrize(
    "every", ["0", "-1", "1e20", "inf", "nan", "infinity", "1_0", "garbage", "", "8760.5"]
)
def test_every_out_of_range_names_what_was_given(desk, number, every):
    refused(
        desk, 3, f"--every must be from 0.25 to 8760 hours, not {every!r}",
        "case", "set-callback", number, "--every", every,
    )  # fmt: skip
