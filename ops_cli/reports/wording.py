"""The words of the quarterly report in its language, shared by every renderer.

Every function takes the dict of :func:`ops_cli.reports.quarterly.quarterly` (and a
:class:`~.language.Lang`, None = English) and returns text or rows of text: titles, the KPI
and case tables' cells, the case facts, the penalty, the notes. The renderers (``text``,
``terminal``, ``html``, ``xlsx``, ``pdf``) lay them out; nothing here prints.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .language import Lang, language

KPI_KEYS = ("zone", "period", "attempts", "cssr", "ctsr", "result")
CASE_KEYS = ("number", "opened", "crit", "status", "repair", "callbacks", "subject")
_CASE_WORDS = {"number": "case"}


def _l(lang: Lang | None) -> Lang:
    return lang or language("en")


def pct(value: float | None, lang: Lang | None = None) -> str:
    return _l(lang).pct(value)


def num(value: int | float | None, lang: Lang | None = None) -> str:
    return _l(lang).num(value)


def hours(value: float | None, lang: Lang | None = None) -> str:
    return _l(lang).hours(value)


def money(value: float, currency: str, lang: Lang | None = None) -> str:
    return _l(lang).money(value, currency)


def result_text(passed: bool, total: bool = False, lang: Lang | None = None) -> str:
    text = _l(lang).t("pass" if passed else "fail")
    return text.upper() if total else text


def kpi_headers(lang: Lang | None = None) -> dict[str, str]:
    return {k: _l(lang).t(k) for k in KPI_KEYS}


def case_headers(lang: Lang | None = None) -> dict[str, str]:
    return {k: _l(lang).t(_CASE_WORDS.get(k, k)) for k in CASE_KEYS}


def rates_note(lang: Lang | None = None) -> str:
    return _l(lang).t("rates_note")


def callbacks_note(lang: Lang | None = None) -> str:
    return _l(lang).t("callbacks_note")


def note_text(report: dict[str, Any], lang: Lang | None = None) -> str | None:
    if not report["note"]:
        return None
    return _l(lang).t("no_kpi", number=report["customer"], quarter=report["quarter"])


def repair_hours_text(report: dict[str, Any], lang: Lang | None = None) -> str:
    return _l(lang).t("repair_hours", tier=report["tier"])


def period_text(report: dict[str, Any], lang: Lang | None = None) -> str:
    return _l(lang).period(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]))


def title(report: dict[str, Any], lang: Lang | None = None) -> str:
    return _l(lang).t(
        "title", quarter=report["quarter"], name=report["customer_name"], number=report["customer"]
    )


def subtitle(report: dict[str, Any], lang: Lang | None = None) -> str:
    lg = _l(lang)
    return lg.t(
        "subtitle",
        period=period_text(report, lg),
        tier=report["tier"],
        kind=lg.t("kind_guaranteed" if report["guaranteed"] else "kind_target"),
        target=lg.percent(report["target"]),
    )


def _kpi_line(label: str, period: str, item: dict[str, Any] | None, lg: Lang, total: bool) -> dict[str, Any]:
    return {
        "zone": label,
        "period": period,
        "attempts": lg.num(item["attempts"]) if item else "—",
        "cssr": lg.pct(item["cssr"]) if item else "—",
        "ctsr": lg.pct(item["ctsr"]) if item else "—",
        "result": result_text(item["pass"], total, lg) if item else lg.t("no_data"),
        "total": total,
    }


def kpi_rows(report: dict[str, Any], lang: Lang | None = None) -> list[dict[str, Any]]:
    """The main table: each zone's months, then the zone's quarter line."""
    lg = _l(lang)
    total = lg.t("quarter_total", q=report["quarter"][-2:])
    rows = []
    for zone in report["zones"]:
        data = {m["month"]: m for m in zone["months"]}
        for i, name in enumerate(report["months"]):
            rows.append(_kpi_line(zone["zone"] if i == 0 else "", lg.month(name), data.get(name), lg, False))
        rows.append(_kpi_line("", total, zone, lg, True))
    return rows


def case_facts(report: dict[str, Any], lang: Lang | None = None) -> list[tuple[str, str]]:
    lg = _l(lang)
    c = report["cases"]
    due = c["callbacks_due"]
    kept = lg.t(
        "kept",
        on_time=c["callbacks_on_time"],
        due=due,
        late=c["callbacks_late"],
        missed=c["callbacks_missed"],
    )
    counts = {k: c[k] for k in ("count", "critical", "closed", "open")}
    return [
        (lg.t("fault_cases"), lg.t("fault_cases_value", **counts)),
        (lg.t("first_on_time"), _pct_of(c["first_callback_on_time_pct"], lg)),
        (lg.t("all_on_time"), _pct_of(c["all_callbacks_on_time_pct"], lg) + (f" {kept}" if due else "")),
        (lg.t("repair_median"), lg.hours(c["repair_hours_median"])),
        (lg.t("repair_p90"), lg.hours(c["repair_hours_p90"])),
    ]


def _pct_of(value: float | None, lg: Lang) -> str:
    return lg.t("no_callbacks_due") if value is None else lg.percent(value)


def order_text(report: dict[str, Any], lang: Lang | None = None) -> str | None:
    """For a report made on order: who ordered it, where it goes, its date and fee."""
    o = report.get("order")
    if not o:
        return None
    lg = _l(lang)
    fee = lg.money(o["fee"], o["currency"])
    on = o["ordered_at"][:10]
    return lg.t("order", by=o["ordered_by"], on=on, to=o["send_to"], dated=o["report_date"], fee=fee)


def penalty_text(report: dict[str, Any], lang: Lang | None = None) -> str:
    lg = _l(lang)
    cur = report["currency"]
    missed = report["zones_missed"]
    if not report["zones"]:  # nothing to assess: never "every zone met the target"
        if report["guaranteed"]:
            return lg.t("penalty_no_data", money=lg.money(report["penalty"], cur))
        return lg.t("penalty_no_data_free", tier=report["tier"])
    if not report["guaranteed"]:
        if missed:
            return lg.t("penalty_missed_free", zones=", ".join(missed), tier=report["tier"])
        return lg.t("penalty_none_missed_free", tier=report["tier"])
    if not missed:
        return lg.t("penalty_zero", money=lg.money(0, cur))
    return lg.t(
        "penalty_one" if len(missed) == 1 else "penalty_many",
        money=lg.money(report["penalty"], cur),
        count=len(missed),
        zones=", ".join(missed),
        per_zone=lg.money(report["penalty_per_zone"], cur),
    )


def summary_rows(report: dict[str, Any], lg: Lang) -> list[tuple[str, str, bool]]:
    """The summary: (label, value, bad) — target, zones passing, fault cases, the penalty."""
    zones, missed, c = report["zones"], report["zones_missed"], report["cases"]
    counts = {k: c[k] for k in ("count", "critical", "closed", "open")}
    return [
        (lg.t("target"), lg.percent(report["target"]), False),
        (
            lg.t("zones_passing"),
            lg.t("zones_passing_value", ok=len(zones) - len(missed), all=len(zones)),
            bool(missed),
        ),
        (lg.t("fault_cases"), lg.t("fault_cases_value", **counts), False),
        (
            lg.t("penalty_heading"),
            _unprefixed(penalty_text(report, lg), lg.t("penalty_heading")),
            bool(report["penalty"]),
        ),
    ]


def _unprefixed(text: str, label: str) -> str:
    """'Penalty: 10,000 SEK — …' under the label 'Penalty' reads '10,000 SEK — …'."""
    return text[len(label) + 1 :].lstrip() if text.startswith(label + ":") else text


def case_rows(report: dict[str, Any], lang: Lang | None = None) -> list[dict[str, str]]:
    lg = _l(lang)
    yes, still_open, hours = lg.t("yes"), lg.t("open"), lg.hours
    statuses: dict[str, str] = {}  # each status's word looked up once (100,000 cases)
    rows = []
    for c in report["cases"]["list"]:
        status = statuses.get(c["status"])
        if status is None:
            status = statuses[c["status"]] = _status(c["status"], lg)
        repair = c["repair_hours"]
        rows.append(
            {
                "number": c["number"],
                "opened": c["opened_at"][:16].replace("T", " "),
                "crit": yes if c["critical"] else "",
                "status": status,
                "repair": hours(repair) if repair is not None else still_open,
                "callbacks": _kept(c, lg) if c["callbacks_due"] else "",
                "subject": c["subject"],
            }
        )
    return rows


def _status(status: str, lg: Lang) -> str:
    """A case status (open, answered, closed) in the report's language; an unknown one as is."""
    key = f"status_{status}"
    return lg.t(key) if key in lg.words else status


def _kept(case: dict[str, Any], lg: Lang) -> str:
    if not case["callbacks_due"]:
        return ""
    return lg.t("callbacks_kept", on_time=case["callbacks_on_time"], due=case["callbacks_due"])


def secret_note(report: dict[str, Any], lang: Lang | None = None) -> str | None:
    n = report["cases"]["secret_not_listed"]
    if not n:
        return None
    return _l(lang).t("secret_one" if n == 1 else "secret_many", count=n)


def generated_line(report: dict[str, Any], lang: Lang | None = None) -> str:
    return _l(lang).t("generated", at=report["generated_at"])
