"""Text renderings of the quarterly report: plain text, Markdown, CSV and JSON.

Every function takes the dict of :func:`ops_cli.reports.quarterly.quarterly`
and returns a string; nothing here prints. The words come from the language's
catalogue (:mod:`.language`, ``lang`` None = English); CSV and JSON are
machine formats and stay language-neutral.
"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any

from ops_cli import render

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


def _kpi_table(report: dict[str, Any], lg: Lang) -> str:
    from tabulate import tabulate

    heads = kpi_headers(lg)
    return tabulate(
        [[r[c] for c in KPI_KEYS] for r in kpi_rows(report, lg)],
        headers=[heads[c] for c in KPI_KEYS],
        tablefmt="simple",
        colalign=("left", "left", "right", "right", "right", "left"),
        disable_numparse=True,
    )


def _case_table(report: dict[str, Any], lg: Lang) -> list[str]:
    cases = case_rows(report, lg)
    if not cases:
        return []
    cols = ["number", "opened", "crit", "repair", "subject"]
    heads = case_headers(lg)
    lines = [[r[c] if c != "subject" else _clip(r[c], 30) for c in cols] for r in cases]
    return ["", simple_table(lines, [heads[c] for c in cols])]


def simple_table(rows: list[list[str]], headers: list[str]) -> str:
    """``tabulate(rows, headers, tablefmt="simple", disable_numparse=True)``, laid out in one
    pass for a big table (issue 16: tabulate took seconds for 100,000 cases).

    The layout (a column as wide as its widest cell or its header and 2, cells left-aligned,
    2 spaces between columns, each line's end trimmed) is checked against tabulate itself on a
    sample (the first row and the rows that set the widths); tabulate lays out the whole table
    when the sample differs or a cell is not plain one-line text."""
    import tabulate as module

    def tabulate(table: list[list[str]]) -> str:
        return module.tabulate(table, headers=headers, tablefmt="simple", disable_numparse=True)

    def slow() -> str:
        return tabulate(rows)

    if getattr(module, "WIDE_CHARS_MODE", True):
        return slow()  # wcwidth installed: tabulate measures display width
    widths, picks = [], [0]
    for i, head in enumerate(headers):
        column = [row[i] for row in rows]
        if not ("".join(column) + head).isprintable() or any(c[:1] == " " or c[-1:] == " " for c in column):
            return slow()  # tabs, line breaks, controls, edge spaces: tabulate's own rules
        longest = max(map(len, column), default=0)
        widths.append(max(longest, len(head) + 2))
        pick = next((n for n, c in enumerate(column) if len(c) == longest), 0)
        if pick not in picks:
            picks.append(pick)
    layout = "  ".join(f"{{:<{w}}}" for w in widths)

    def lay(sample: list[list[str]]) -> list[str]:
        return [
            layout.format(*headers).rstrip(),
            "  ".join("-" * w for w in widths),
            *(layout.format(*row).rstrip() for row in sample),
        ]

    sample = [rows[n] for n in picks]
    if "\n".join(lay(sample)) != tabulate(sample):
        return slow()
    return "\n".join(lay(rows))


def to_text(report: dict[str, Any], lang: Lang | None = None) -> str:
    """Plain aligned text (pipes, files, cron mail); fits 80 columns."""
    lg = _l(lang)
    out = [title(report, lg), subtitle(report, lg)]
    if order_text(report, lg):
        out += textwrap.wrap(order_text(report, lg), 80)
    out.append("")
    if report["note"]:
        out += [lg.t("note", note=note_text(report, lg)), ""]
    else:
        out += [_kpi_table(report, lg), *textwrap.wrap(rates_note(lg), 80), ""]
    out.append(lg.t("cases_heading"))
    facts = case_facts(report, lg)
    width = max(len(k) for k, _ in facts)
    out += [f"  {k.ljust(width)}  {v}" for k, v in facts]
    out.append("  " + lg.t("repair_note", hours=repair_hours_text(report, lg)))
    out += textwrap.wrap(callbacks_note(lg), 78, initial_indent="  ", subsequent_indent="  ")
    out += _case_table(report, lg)
    note = secret_note(report, lg)
    if note:
        out += textwrap.wrap(note, 80)
    out += ["", *textwrap.wrap(penalty_text(report, lg), 80), "", generated_line(report, lg)]
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _md(text: Any) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    lines = [
        "| " + " | ".join(_md(h) for h in headers) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def _md_kpi(report: dict[str, Any], lg: Lang) -> list[str]:
    rows = []
    for r in kpi_rows(report, lg):
        line = [r[c] for c in KPI_KEYS]
        if r["total"]:
            line = [f"**{v}**" if v else v for v in line]
        rows.append(line)
    heads = kpi_headers(lg)
    out = [f"## {lg.t('kpi_heading')}", ""]
    out += _md_table([heads[c] for c in KPI_KEYS], rows, right={2, 3, 4})
    return out + ["", rates_note(lg), ""]


def _md_cases(report: dict[str, Any], lg: Lang) -> list[str]:
    out = [f"## {lg.t('cases_heading')}", ""]
    out += _md_table([lg.t("figure"), lg.t("value")], [[k, v] for k, v in case_facts(report, lg)], right={1})
    repair = lg.t("repair_note_md", hours=repair_hours_text(report, lg))
    out += ["", f"{repair} {callbacks_note(lg)}", ""]
    cases = case_rows(report, lg)
    if cases:
        heads = case_headers(lg)
        out += _md_table([heads[c] for c in CASE_KEYS], [[r[c] for c in CASE_KEYS] for r in cases])
        out.append("")
    note = secret_note(report, lg)
    if note:
        out += [_md(note), ""]
    return out


def to_markdown(report: dict[str, Any], lang: Lang | None = None) -> str:
    lg = _l(lang)
    out = [f"# {_md(title(report, lg))}", "", _md(subtitle(report, lg)), ""]
    if order_text(report, lg):
        out += [_md(order_text(report, lg)), ""]
    if report["note"]:
        out += [f"> {_md(lg.t('note', note=note_text(report, lg)))}", ""]
    else:
        out += _md_kpi(report, lg)
    out += _md_cases(report, lg)
    out += [f"## {lg.t('penalty_heading')}", "", _md(penalty_text(report, lg)), ""]
    return "\n".join(out + [f"_{generated_line(report, lg)}_"]) + "\n"


CSV_COLUMNS = [
    "customer",
    "quarter",
    "tier",
    "target",
    "zone",
    "period",
    "attempts",
    "setups_ok",
    "established",
    "terminated_ok",
    "cssr",
    "ctsr",
    "pass",
]


def csv_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per zone and month plus one per zone for the whole quarter (period = the quarter)."""
    base = {
        "customer": report["customer"],
        "quarter": report["quarter"],
        "tier": report["tier"],
        "target": report["target"],
    }
    rows = []
    for zone in report["zones"]:
        for m in zone["months"]:
            rows.append({**base, "zone": zone["zone"], "period": m["month"], **_csv_vals(m)})
        rows.append({**base, "zone": zone["zone"], "period": report["quarter"], **_csv_vals(zone)})
    return rows


def _csv_vals(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in ("attempts", "setups_ok", "established", "terminated_ok", "cssr", "ctsr")} | {
        "pass": "yes" if item["pass"] else "no"
    }


def to_csv(report: dict[str, Any], lang: Lang | None = None) -> str:
    """The KPI table as CSV (cells through ``render.safe_cell``); language-neutral."""
    return render.to_csv(csv_rows(report), CSV_COLUMNS)


def to_json(report: dict[str, Any], lang: Lang | None = None) -> str:
    from .jsontext import to_json as fast_json  # the C encoder: every case listed, still fast

    return fast_json(report) + "\n"
