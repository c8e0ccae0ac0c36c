"""The quarterly report's case figures for two cases, every number worked out by hand (issue 16
made them set-based: repair hours on the tier's windows taken once, the callbacks of all
cases read at once; the answers must stay these)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ops_cli import cases as case_core
from ops_cli import roster
from ops_cli.reports.quarterly import quarterly

TZ = ZoneInfo("Europe/Stockholm")
LISA = "lisa.ek@bonan.example"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def two_cases(env, ops):
    roster.add_customer(
        ops, "2002", name="Café Bönan", sla_tier="bronze", agreement="business", binding_until="2028-12-31"
    )
    roster.add_entry(ops, "2002", LISA, "Lisa Ek", ["orderer", "telephony", "contact"])

    def open_case(at: str, **kw):
        return case_core.open_case(
            ops, customer="2002", reporter=LISA, topic="fault", subject="Ingen täckning", at=_at(at), **kw
        )

    # A: a fault over Ascension Day (Thursday 2026-05-14, a Swedish holiday: bronze is closed).
    # Bronze hours Mon-Fri 08-20: Wed 19:00-20:00 = 1 h, Thu 0 h, Fri 08:00-09:00 = 1 h -> 2 h.
    a = open_case("2026-05-13T19:00")
    case_core.close(ops, a["number"], "fixed", at=_at("2026-05-15T09:00"))
    # B: critical on the SLA line, so the bronze SLA timers run. First callback due 2 support
    # hours after the report: Mon 19:00-20:00 and Tue 08:00-09:00 -> due Tue 09:00; made 08:30:
    # on time. The next is due 4 support hours later (Tue 13:00), after the closing at 12:00:
    # never owed. Repair: Mon 19-20 (1 h) + Tue 08-12 (4 h) = 5 h.
    b = open_case("2026-05-18T19:00", critical=True, channel="sla")
    case_core.record_callback(ops, b["number"], at=_at("2026-05-19T08:30"))
    case_core.close(ops, b["number"], "fixed", at=_at("2026-05-19T12:00"))
    return ops, a["number"], b["number"]


def test_two_cases_give_the_figures_worked_out_by_hand(two_cases):
    ops, a, b = two_cases
    cases = quarterly(ops, "2002", "2026Q2", ordered_by=LISA)["cases"]
    assert (cases["count"], cases["critical"], cases["closed"], cases["open"]) == (2, 1, 2, 0)
    assert cases["sla_critical"] == 1
    assert (cases["callbacks_due"], cases["callbacks_on_time"]) == (1, 1)
    assert (cases["callbacks_late"], cases["callbacks_missed"]) == (0, 0)
    assert cases["first_callback_cases"] == 1 and cases["first_callback_on_time_pct"] == 100.0
    assert cases["all_callbacks_on_time_pct"] == 100.0
    assert cases["repair_hours_median"] == 3.5  # of 2 and 5
    assert cases["repair_hours_p90"] == 5.0  # nearest rank: the 2nd of 2
    listed = {c["number"]: c for c in cases["list"]}
    assert [c["number"] for c in cases["list"]] == [a, b]
    assert listed[a]["repair_hours"] == 2.0 and listed[b]["repair_hours"] == 5.0
    assert listed[a]["opened_at"] == "2026-05-13T19:00+02:00"
    assert (listed[b]["callbacks_due"], listed[b]["callbacks_on_time"]) == (1, 1)
    assert (listed[a]["callbacks_due"], listed[a]["critical"], listed[b]["critical"]) == (0, False, True)
