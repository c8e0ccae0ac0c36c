"""The quarterly report's ``-o FILE.json`` (issue 16): each listed case's JSON text is made with
its dict (``faults._case_lines``) and written as is. The file must be the very text the encoder writes
for the report's dicts: around DST changes, over holidays, for classified, open and critical
cases, odd texts and stored times of another form."""

from __future__ import annotations

import json

import pytest
from test_report_quarterly import LISA, _at, add_customers, english

from ops_cli import cases as case_core
from ops_cli.render import _COMPACT
from ops_cli.reports import jsontext
from ops_cli.reports.faults import case_figures
from ops_cli.reports.output import quarterly_report
from ops_cli.reports.quarter import parse_quarter

ODD = 'Fel "RAKEL" \\ på\nnatten\u2028 {x}, [y] 無線 %s %d'


def open_case(ops, customer: str, at: str, **kw):
    kw.setdefault("topic", "fault")
    kw.setdefault("subject", "Radio dead in zone")
    kw.setdefault("channel", "phone")
    reporter = LISA if customer == "2002" else "per.falk@nordbygg.example"
    return case_core.open_case(ops, customer=customer, reporter=reporter, at=_at(at), **kw)


@pytest.fixture
def world(env, ops):
    add_customers(ops)
    english(env)
    made = []
    for customer in ("2001", "2002"):
        # Friday evening over the DST night (29 March) to Monday; Epiphany (6 January) a holiday
        made.append(open_case(ops, customer, "2026-03-27T19:30"))
        case_core.close(ops, made[-1]["number"], "fixed", at=_at("2026-03-30T09:15"))
        made.append(open_case(ops, customer, "2026-01-05T19:00", subject="Helgdag"))
        case_core.close(ops, made[-1]["number"], "fixed", at=_at("2026-01-07T08:45"))
        critical = open_case(ops, customer, "2026-02-03T10:00", critical=True, channel="sla")
        case_core.record_callback(ops, critical["number"], at=_at("2026-02-03T11:30"))
        case_core.record_callback(ops, critical["number"], at=_at("2026-02-03T16:10"))
        case_core.close(ops, critical["number"], "card replaced", at=_at("2026-02-03T16:30"))
        open_case(ops, customer, "2026-02-10T08:00", subject="Känslig", classification="sensitive")
        open_case(ops, customer, "2026-02-11T08:00", subject="Hemlig", classification="secret")
        open_case(ops, customer, "2026-03-02T08:00", topic="disruption")  # still open
        open_case(ops, customer, "2026-03-31T23:59:59")  # the quarter's last second
    with ops.store.write() as st:  # stored times of other forms (no offset; microseconds), odd texts
        for case in made[::2]:
            st.execute("UPDATE cases SET subject = ? WHERE number = ?", (ODD, case["number"]))
        for case in made[1::2]:
            st.execute(
                "UPDATE cases SET opened_at = ? WHERE number = ?", ("2026-01-05T18:00:00", case["number"])
            )
        for case in made[::2]:
            st.execute(
                "UPDATE cases SET closed_at = ? WHERE number = ?",
                ("2026-03-30T07:15:00.250000+00:00", case["number"]),
            )
    return ops


@pytest.mark.parametrize("customer", ["2001", "2002"])
@pytest.mark.parametrize("classified", [False, True])
def test_the_case_texts_are_what_the_encoder_writes_for_the_dicts(world, customer, classified):
    q = parse_quarter("2026Q1", world.now().date())
    lines: list[str] = []
    tier = "gold" if customer == "2001" else "bronze"
    figures = case_figures(world, customer, tier, q.start(world.tz), q.end(world.tz), classified, lines)
    listed = figures["list"]
    assert len(listed) == (7 if classified else 6)
    assert lines == [_COMPACT(case) for case in listed]
    assert [json.loads(line) for line in lines] == listed
    assert any(case["repair_hours"] is None for case in listed)  # an open case: null
    assert any(case["callbacks"] for case in listed)


@pytest.mark.parametrize("customer", ["2001", "2002"])
def test_the_json_file_is_the_reports_text(env, world, customer, monkeypatch):
    from ops_cli.reports import quarterly

    lent = []
    real = quarterly.record_lines
    monkeypatch.setattr(
        quarterly, "record_lines", lambda records, lines: lent.append(len(lines)) or real(records, lines)
    )
    out = env.tmp / f"q{customer}.json"
    ordered = {"ordered_by": LISA} if customer == "2002" else {}  # bronze: on order
    made = quarterly_report(world, customer, "2026Q1", output=out, force=True, **ordered)
    report = made["report"]
    assert len(report["cases"]["list"]) == 6 and lent == [6]  # the texts made with the cases were used
    assert out.read_text(encoding="utf-8") == jsontext.to_json(report) + "\n"
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(report))


def test_record_lines_are_used_for_that_list_only_and_only_while_lent():
    records = [{"n": 1}, {"n": 2}]
    report = {"list": records, "other": [{"n": 1}, {"n": 2}]}
    marked = ['{"n": "one"}', '{"n": "two"}']
    plain = jsontext.to_json(report)
    with jsontext.record_lines(records, marked):
        lent = jsontext.to_json(report)
        with jsontext.record_lines(records, marked[:1]):  # another count: not used
            assert jsontext.to_json(report) == plain
    # the first list (that one) is written as lent, the other as the encoder writes it
    assert lent == plain.replace('{"n": 1},\n    {"n": 2}', '{"n": "one"},\n    {"n": "two"}', 1)
    assert lent.count('{"n": 1},\n    {"n": 2}') == 1
    assert jsontext.to_json(report) == plain
