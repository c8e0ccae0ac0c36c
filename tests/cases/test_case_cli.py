"""`ops case ...` end to end through the CLI: lifecycle, masking, grants, callbacks, SLA line, lists."""

from __future__ import annotations

import csv
import json

import pytest
from test_case_helpers import desk  # noqa: F401 (shared pytest fixtures)


def open_case(env, *args: str) -> dict:
    run = env.cli("case", "open", *args, "-f", "json")
    assert run.code == 0, run.stderr
    return run.json()


def test_full_lifecycle_with_thread_and_history(desk):
    case = open_case(
        desk,
        "--topic",
        "fault",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Ingen täckning",
        "--message",
        "Ystad hamn saknar täckning",
    )
    number = case["number"]
    assert (case["customer"], case["department"], case["status"]) == ("1001", "operations", "open")
    for key in (
        "number",
        "customer",
        "topic",
        "department",
        "status",
        "critical",
        "classification",
        "opened_at",
        "next_callback_at",
        "subject",
    ):
        assert key in case

    desk.now = "2026-11-16T11:00"
    replied = desk.cli(
        "case", "reply", number, "-m", "Vi felsöker", "--by", "tove@desk.example", "-f", "json"
    )
    assert replied.json()["status"] == "answered"
    desk.now = "2026-11-16T12:00"
    assert (
        desk.cli("case", "message", number, "-m", "Fortfarande nere", "-f", "json").json()["status"] == "open"
    )
    assert desk.cli("case", "note", number, "-m", "Ring NOC", "--by", "tove@desk.example").code == 0
    moved = desk.cli(
        "case", "assign", number, "--department", "local-south", "--agent", "Sara@desk.example", "-f", "json"
    ).json()
    assert (moved["department"], moved["agent"]) == ("local-south", "sara@desk.example")
    desk.now = "2026-11-17T09:00"
    closed = desk.cli("case", "close", number, "--resolution", "Basstation bytt", "-f", "json").json()
    assert (closed["status"], closed["resolution"], closed["next_callback_at"]) == (
        "closed",
        "Basstation bytt",
        None,
    )

    before = desk.snapshot()
    again = desk.cli("case", "close", number, "--resolution", "igen")
    assert again.code == 6 and "already closed" in again.stderr
    late = desk.cli("case", "reply", number, "-m", "hej")
    assert late.code == 6 and "is closed; reopen it first" in late.stderr
    assert desk.snapshot() == before

    reopened = desk.cli("case", "reopen", number, "-f", "json").json()
    assert reopened["status"] == "open"
    assert reopened["next_callback_at"] == "2026-11-18T09:00:00+01:00"  # 24 hours from the reopening
    assert desk.cli("case", "reopen", number).code == 6

    shown = desk.cli("case", "show", number, "-f", "json").json()
    assert [(e["kind"], e["internal"]) for e in shown["thread"]] == [
        ("message", False),
        ("reply", False),
        ("message", False),
        ("note", True),
    ]
    assert shown["thread"][1]["author"] == "tove@desk.example"
    assert [e["event"] for e in shown["history"]] == [
        "opened",
        "replied",
        "customer-message",
        "noted",
        "assigned",
        "closed",
        "reopened",
    ]
    assigned = shown["history"][4]
    assert assigned["detail"]["from_department"] == "operations"
    assert assigned["detail"]["to_department"] == "local-south"
    assert shown["history"][1]["actor"] == "tove@desk.example"
    assert shown["history"][0]["at"] == "2026-11-16T10:00:00+01:00"
    text = desk.cli("case", "show", number).stdout
    assert "thread:" in text and "history:" in text and "Ring NOC" in text
    audit = desk.cli("db", "log", "-f", "json").json()
    assert {"case.open", "case.replied", "case.closed", "case.reopened"} <= {a["action"] for a in audit}


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["--topic", "weather"], 3, "unknown topic 'weather'"),
        (["--customer", "9999"], 4, "customer 9999 not found"),
        (["--classification", "topsecret"], 3, "unknown classification 'topsecret'"),
        (["--subject", ""], 3, "subject is empty"),
        (["--channel", "fax"], 3, "unknown channel 'fax'"),
        (["--occurred-at", "yesterday"], 3, "--occurred-at: 'yesterday' is not an ISO 8601 time"),
    ],
)
def test_open_bad_input_exit_code_message_store_unchanged(desk, args, code, text):
    open_case(desk, "--topic", "fault", "--reporter", "anna.berg@polisen.example", "--subject", "ok")
    before = desk.snapshot()
    base = {
        "--topic": "fault",
        "--customer": "1001",
        "--reporter": "anna.berg@polisen.example",
        "--subject": "x",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    run = desk.cli("case", "open", *[p for kv in base.items() for p in kv])
    assert run.code == code
    assert text in run.stderr
    assert run.stderr.startswith("error: ")
    assert desk.snapshot() == before


def test_new_customer_missing_fields_named(desk):
    before = desk.snapshot()
    run = desk.cli(
        "case",
        "open",
        "--topic",
        "fault",
        "--reporter",
        "drift@larmbolaget.example",
        "--subject",
        "Larmet tyst",
        "--facility",
        "Lager 7",
    )
    assert run.code == 3
    assert "needs --organisation, --reporter-name, --reporter-phone, --area, --occurred-at" in run.stderr
    assert desk.snapshot() == before
    made = open_case(
        desk,
        "--topic",
        "fault",
        "--reporter",
        "drift@larmbolaget.example",
        "--organisation",
        "Larmbolaget Syd AB",
        "--reporter-name",
        "Sara Nyström",
        "--reporter-phone",
        "+46 40-612 34 50",
        "--subject",
        "Larmet tyst",
        "--facility",
        "Lager 7",
        "--area",
        "intrusion-alarm",
        "--occurred-at",
        "2026-11-15T22:40",
    )
    assert (made["customer"], made["department"]) == (None, "intrusion-alarm")
    assert (made["organisation"], made["reporter_name"], made["reporter_phone"]) == (
        "Larmbolaget Syd AB",
        "Sara Nyström",
        "+46406123450",
    )
    assert made["occurred_at"] == "2026-11-15T22:40:00+01:00"


def test_unknown_case_is_exit_4(desk):
    for args in (["show", "2026-99999"], ["reply", "2026-99999", "-m", "x"], ["callback", "nope"]):
        run = desk.cli("case", *args)
        assert run.code == 4, args
        assert "no case" in run.stderr


def test_terminal_fault_advice_on_stderr_and_in_json(desk):
    run = desk.cli(
        "case",
        "open",
        "--topic",
        "terminal-fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Svart skärm",
        "-f",
        "json",
    )
    assert run.code == 0
    assert "equipment supplier" in run.json()["advice"]
    assert "advice for the reporter: Terminal faults are reported to your equipment supplier" in run.stderr


def _classified(desk):
    normal = open_case(
        desk,
        "--topic",
        "question",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Vanlig fråga",
        "--message",
        "Hur?",
    )
    sensitive = open_case(
        desk,
        "--topic",
        "coverage",
        "--customer",
        "1002",
        "--reporter",
        "karin.lind@rtj.example",
        "--subject",
        "Skyddsrum Central",
        "--message",
        "Rökdykare tappar samband",
        "--classification",
        "sensitive",
    )
    secret = open_case(
        desk,
        "--topic",
        "planned-event",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Statsbesök",
        "--message",
        "Kortege 4 dec",
        "--classification",
        "secret",
    )
    return normal, sensitive, secret


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_list_masks_classified_text_in_every_format(desk, fmt):
    _classified(desk)
    masked = desk.cli("case", "list", "-f", fmt).stdout
    assert "Vanlig fråga" in masked
    assert "Skyddsrum" not in masked and "Statsbesök" not in masked
    assert "(classified)" in masked
    shown = desk.cli("case", "list", "-f", fmt, "--include-classified").stdout
    assert "Skyddsrum Central" in shown and "Statsbesök" in shown


def test_show_masks_unless_asked(desk):
    # cases-qa: `show` masks in every format, like every other output (issue 12).
    _, sensitive, _ = _classified(desk)
    number = sensitive["number"]
    full = desk.cli("case", "show", number, "-f", "json", "--include-classified").json()
    assert full["subject"] == "Skyddsrum Central"
    assert full["thread"][0]["text"] == "Rökdykare tappar samband"
    for fmt in ("table", "json", "csv", "md"):
        out = desk.cli("case", "show", number, "-f", fmt).stdout
        assert "Skyddsrum" not in out and "Rökdykare" not in out, fmt
        assert (
            "Skyddsrum Central" in desk.cli("case", "show", number, "-f", fmt, "--include-classified").stdout
        )


def test_export_csv_and_xlsx_mask_sensitive_and_leave_out_secret(desk):
    import openpyxl

    _classified(desk)
    out = desk.tmp / "cases.csv"
    run = desk.cli("case", "export", str(out), "-f", "json")
    assert run.code == 0, run.stderr
    assert run.json() == {"file": str(out), "cases": 2, "secret_left_out": 1}
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["subject"] for r in rows] == ["(classified)", "Vanlig fråga"]
    assert rows[0]["message"] == "(classified)" and rows[1]["message"] == "Hur?"
    text = out.read_text(encoding="utf-8-sig")
    assert "Statsbesök" not in text and "Skyddsrum" not in text and "Rökdykare" not in text

    book = desk.tmp / "cases.xlsx"
    assert desk.cli("case", "export", str(book), "--include-classified").code == 0
    sheet = openpyxl.load_workbook(book).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[0]
    subjects = [row[header.index("subject")] for row in values[1:]]
    assert subjects == ["Statsbesök", "Skyddsrum Central", "Vanlig fråga"]


def test_notes_never_exported(desk):
    case = open_case(
        desk,
        "--topic",
        "question",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Fråga",
        "--message",
        "Kundens text",
    )
    desk.cli("case", "note", case["number"], "-m", "INTERNT hemligt")
    out = desk.tmp / "cases.csv"
    assert desk.cli("case", "export", str(out)).code == 0
    assert "INTERNT" not in out.read_text(encoding="utf-8-sig")


def test_grant_by_orderer_or_contact_else_exit_5(desk):
    case = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Fel",
    )
    number = case["number"]
    before = desk.snapshot()
    denied = desk.cli("case", "grant", number, "--name", "Partner AB", "--by", "olle.ek@polisen.example")
    assert denied.code == 5
    assert "olle.ek@polisen.example is viewer of customer 1001" in denied.stderr
    stranger = desk.cli("case", "grant", number, "--name", "Partner AB", "--by", "x@elsewhere.example")
    assert stranger.code == 5 and "not in the roster" in stranger.stderr
    assert desk.snapshot() == before
    ok = desk.cli(
        "case",
        "grant",
        number,
        "--name",
        "Partner AB (Jan)",
        "--by",
        "ledningscentral@polisen.example",
        "-f",
        "json",
    )
    assert ok.code == 0
    assert ok.json()["grants"][0]["name"] == "Partner AB (Jan)"
    assert (
        desk.cli("case", "grant", number, "--name", "Elfirma", "--by", "anna.berg@polisen.example").code == 0
    )
    shown = desk.cli("case", "show", number, "-f", "json").json()
    assert [(g["name"], g["granted_by"]) for g in shown["grants"]] == [
        ("Partner AB (Jan)", "ledningscentral@polisen.example"),
        ("Elfirma", "anna.berg@polisen.example"),
    ]


def test_fault_callbacks_24h_list_record_and_override(desk):
    case = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Nere",
    )  # Monday 10:00
    number = case["number"]
    assert case["next_callback_at"] == "2026-11-17T10:00:00+01:00"
    assert desk.cli("case", "callbacks", "--at", "2026-11-17T09:59", "-f", "json").json() == []
    due = desk.cli("case", "callbacks", "--at", "2026-11-17T10:00", "-f", "json").json()
    assert [(d["number"], d["due_at"]) for d in due] == [(number, "2026-11-17T10:00:00+01:00")]
    assert due[0]["call"] == ["Anna Berg +46702000001", "Ledningscentral +46102000000"]  # not the viewer

    made = desk.cli(
        "case", "callback", number, "--note", "Felsökning pågår", "--at", "2026-11-17T10:05", "-f", "json"
    )
    assert made.code == 0
    assert made.json()["next_callback_at"] == "2026-11-18T10:05:00+01:00"
    assert made.json()["callbacks_made"] == 1
    assert "next callback of" in made.stderr

    agreed = desk.cli("case", "set-callback", number, "--every", "48", "-f", "json").json()
    assert agreed["feedback_hours"] == 48
    assert agreed["next_callback_at"] == "2026-11-19T10:05:00+01:00"  # 48 h after the last callback
    before = desk.snapshot()
    bad = desk.cli("case", "set-callback", number, "--every", "0")
    assert bad.code == 3 and "--every must be from 0.25 to 8760 hours, not '0'" in bad.stderr
    assert desk.snapshot() == before
    shown = desk.cli("case", "show", number, "-f", "json").json()
    assert shown["callbacks"][0]["due_at"] == "2026-11-17T10:00:00+01:00"
    assert shown["callbacks"][0]["note"] == "Felsökning pågår"


def test_sla_critical_bronze_callbacks_follow_support_hours(desk):
    desk.now = "2026-11-20T19:30"  # Friday
    case = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "2002",
        "--reporter",
        "lisa.ek@bonan.example",
        "--channel",
        "sla",
        "--critical",
        "--subject",
        "Växeln nere",
    )
    number = case["number"]
    assert case["sla_tier"] == "bronze"
    assert case["next_callback_at"] == "2026-11-21T09:30:00+01:00"  # Saturday 09:30
    due = desk.cli("case", "callbacks", "--at", "2026-11-21T09:30", "-f", "json").json()
    assert due[0]["call"] == ["Lisa Ek +46705000001"]  # the telephony entry
    desk.now = "2026-11-21T09:40"
    first = desk.cli("case", "callback", number, "-f", "json").json()
    assert first["next_callback_at"] == "2026-11-21T13:30:00+01:00"  # 4 support hours after the due time
    desk.now = "2026-11-21T13:30"
    second = desk.cli("case", "callback", number, "-f", "json").json()
    # 2.5 h left of Saturday (to 16:00), Sunday closed, 1.5 h on Monday from 08:00
    assert second["next_callback_at"] == "2026-11-23T09:30:00+01:00"


def test_sla_line_rules(desk):
    before = desk.snapshot()
    nope = desk.cli(
        "case",
        "open",
        "--topic",
        "fault",
        "--customer",
        "2001",
        "--channel",
        "sla",
        "--reporter",
        "maria.sund@nordbygg.example",
        "--subject",
        "Nere",
    )
    assert nope.code == 5
    assert "report-sla needs the role telephony" in nope.stderr
    desk.now = "2026-11-22T10:00"  # Sunday: customer service closed
    closed = desk.cli(
        "case",
        "open",
        "--topic",
        "fault",
        "--customer",
        "2001",
        "--channel",
        "sla",
        "--reporter",
        "per.falk@nordbygg.example",
        "--subject",
        "Nere",
    )
    assert closed.code == 6
    assert "only critical faults outside customer-service hours" in closed.stderr
    assert desk.snapshot() == before
    crit = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "2001",
        "--channel",
        "sla",
        "--critical",
        "--reporter",
        "per.falk@nordbygg.example",
        "--subject",
        "Nere",
    )
    assert (crit["sla_tier"], crit["next_callback_at"]) == ("gold", "2026-11-22T12:00:00+01:00")
    assert crit["department"] == "kam"  # KAM customer without an account department
    desk.now = "2026-11-23T10:00"  # Monday: open
    ok = open_case(
        desk,
        "--topic",
        "question",
        "--customer",
        "2001",
        "--channel",
        "sla",
        "--reporter",
        "per.falk@nordbygg.example",
        "--subject",
        "Fråga",
    )
    assert ok["channel"] == "sla"


def test_list_filters_and_order(desk):
    a = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "A",
    )
    desk.now = "2026-11-17T10:00"
    b = open_case(
        desk,
        "--topic",
        "invoice",
        "--customer",
        "1002",
        "--reporter",
        "karin.lind@rtj.example",
        "--subject",
        "B",
    )
    desk.now = "2026-11-18T10:00"
    c = open_case(
        desk,
        "--topic",
        "order",
        "--customer",
        "2001",
        "--reporter",
        "maria.sund@nordbygg.example",
        "--subject",
        "C",
    )
    desk.cli("case", "assign", c["number"], "--agent", "oskar@desk.example")
    desk.cli("case", "close", b["number"], "--resolution", "Krediterad")

    def numbers(*args):
        run = desk.cli("case", "list", "-f", "json", *args)
        assert run.code == 0, run.stderr
        return [r["number"] for r in run.json()]

    assert numbers() == [c["number"], b["number"], a["number"]]
    assert numbers("--limit", "2") == [c["number"], b["number"]]
    assert numbers("--status", "closed") == [b["number"]]
    assert numbers("--customer", "1001") == [a["number"]]
    assert numbers("--department", "operations") == [a["number"]]
    assert numbers("--topic", "order") == [c["number"]]
    assert numbers("--agent", "oskar@desk.example") == [c["number"]]
    assert numbers("--since", "2026-11-17") == [c["number"], b["number"]]
    assert numbers("--until", "2026-11-17") == [b["number"], a["number"]]
    assert numbers("--since", "2026-11-17T10:00", "--until", "2026-11-17T10:00") == []
    assert numbers("--overdue") == [a["number"]]  # due 2026-11-17T10:00, now the 18th
    assert numbers("--overdue", "--at", "2026-11-17T09:00") == []
    bad = desk.cli("case", "list", "--status", "pending")
    assert bad.code == 3 and "unknown status 'pending'" in bad.stderr
    assert desk.cli("case", "list", "--department", "nowhere").code == 3


def test_stale_per_department_with_responsible(desk):
    a = open_case(
        desk,
        "--topic",
        "question",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Gammal",
    )
    desk.now = "2026-11-19T12:00"
    b = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Ny",
    )
    desk.now = "2026-11-20T10:00"
    rows = desk.cli("case", "stale", "-f", "json").json()  # default 3 days
    assert [(r["number"], r["department"], r["responsible"], r["idle_days"]) for r in rows] == [
        (a["number"], "support", "support-lead@desk.example", 4)
    ]
    both = desk.cli("case", "stale", "--days", "0", "-f", "json").json()
    assert [r["number"] for r in both] == [b["number"], a["number"]]  # operations before support
    desk.cli("case", "reply", a["number"], "-m", "Svar")
    assert desk.cli("case", "stale", "-f", "json").json() == []


def test_departments(desk):
    rows = desk.cli("case", "departments", "-f", "json").json()
    by_name = {r["name"]: r for r in rows}
    assert {"name", "level", "area", "responsible"} <= set(rows[0])
    assert by_name["fire-alarm"]["level"] == "national" and by_name["fire-alarm"]["area"] == "fire-alarm"
    assert by_name["local-north"]["level"] == "local"
    assert "fault" in by_name["operations"]["topics"]


def test_config_changes_routing_and_feedback(desk):
    desk.config.write_text(
        '[topics.fault]\ndepartment = "support"\nfeedback_hours = 12\nfault = true\nadvice = ""\n'
        '[departments.support]\nlevel = "national"\narea = ""\nresponsible = "boss@desk.example"\n',
        encoding="utf-8",
    )
    case = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "x",
    )
    assert case["department"] == "support"
    assert case["next_callback_at"] == "2026-11-16T22:00:00+01:00"


def test_json_is_one_document(desk):
    open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "x",
    )
    out = desk.cli("case", "list", "-f", "json").stdout
    assert isinstance(json.loads(out), list)


def test_more_bad_input_leaves_the_store_unchanged(desk):
    case = open_case(
        desk,
        "--topic",
        "fault",
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Fel",
    )
    new = open_case(
        desk,
        "--topic",
        "fault",
        "--reporter",
        "x@larmbolaget.example",
        "--organisation",
        "Larmbolaget Syd AB",
        "--reporter-name",
        "X",
        "--reporter-phone",
        "+46 40 123 45 67",
        "--subject",
        "Larm",
        "--area",
        "fire-alarm",
        "--facility",
        "Skola",
        "--occurred-at",
        "2026-11-16T08:00",
    )
    number = case["number"]
    before = desk.snapshot()
    checks = [
        (["assign", number, "--department", "nowhere"], 3, "unknown department 'nowhere'"),
        (["assign", number], 3, "--department D and/or --agent A"),
        (["close", number, "--resolution", "  "], 3, "--resolution is empty"),
        (["reply", number, "-m", ""], 3, "--message is empty"),
        (
            ["grant", new["number"], "--name", "X", "--by", "x@larmbolaget.example"],
            5,
            "has no known customer",
        ),
        (["grant", number, "--name", " ", "--by", "anna.berg@polisen.example"], 3, "--name is empty"),
    ]
    for args, code, text in checks:
        run = desk.cli("case", *args)
        assert run.code == code, (args, run.stderr)
        assert text in run.stderr, args
    assert desk.snapshot() == before
    desk.cli("case", "close", number, "--resolution", "Klart")
    before = desk.snapshot()
    for args in (
        ["callback", number],
        ["set-callback", number, "--every", "12"],
        ["assign", number, "--agent", "a"],
    ):
        run = desk.cli("case", *args)
        assert run.code == 6 and "is closed; reopen it first" in run.stderr, args
    assert desk.snapshot() == before
    assert (
        desk.cli("case", "note", number, "-m", "Efterkontroll gjord").code == 0
    )  # notes are fine on closed cases
