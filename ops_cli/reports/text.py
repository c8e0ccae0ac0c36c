"""Text renderings of the quarterly report: plain text, Markdown, CSV and JSON.

Every function takes the dict of :func:`ops_cli.reports.quarterly.quarterly`
and returns a string; nothing here prints.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ops_cli import render

RESULT = {True: "pass", False: "FAIL"}
RATES_NOTE = "Rates are ratios of the summed raw counts (never means of percentages)."


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def num(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def money(value: float, currency: str) -> str:
    return f"{num(value)} {currency}"


def period_text(report: dict[str, Any]) -> str:
    a, b = date.fromisoformat(report["from"]), date.fromisoformat(report["to"])
    return f"{a.day} {a:%b} – {b.day} {b:%b} {b.year}"


def title(report: dict[str, Any]) -> str:
    return f"SLA report {report['quarter']} · {report['customer_name']} ({report['customer']})"


def subtitle(report: dict[str, Any]) -> str:
    kind = "guaranteed" if report["guaranteed"] else "target"
    return (
        f"{period_text(report)} · tier {report['tier']} · {kind} {report['target']:.2f} % for CSSR and CTSR"
    )


def kpi_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The main table: each zone's months, then the zone's quarter line."""
    q = report["quarter"][-2:]
    rows = []
    for zone in report["zones"]:
        data = {m["month"]: m for m in zone["months"]}
        for i, name in enumerate(report["months"]):
            month = data.get(name)
            rows.append(
                {
                    "zone": zone["zone"] if i == 0 else "",
                    "period": name,
                    "attempts": num(month["attempts"]) if month else "—",
                    "cssr": pct(month["cssr"]) if month else "—",
                    "ctsr": pct(month["ctsr"]) if month else "—",
                    "result": RESULT[month["pass"]] if month else "no data",
                    "total": False,
                }
            )
        rows.append(
            {
                "zone": "",
                "period": f"{q} total",
                "attempts": num(zone["attempts"]),
                "cssr": pct(zone["cssr"]),
                "ctsr": pct(zone["ctsr"]),
                "result": RESULT[zone["pass"]].upper(),
                "total": True,
            }
        )
    return rows


KPI_HEADERS = {
    "zone": "Zone",
    "period": "Period",
    "attempts": "Attempts",
    "cssr": "CSSR %",
    "ctsr": "CTSR %",
    "result": "Result",
}


def case_facts(report: dict[str, Any]) -> list[tuple[str, str]]:
    c = report["cases"]
    return [
        ("Fault cases", f"{c['count']} ({c['critical']} critical, {c['closed']} closed, {c['open']} open)"),
        ("First callback on time", _pct_of(c["first_callback_on_time_pct"])),
        (
            "All callbacks on time",
            _pct_of(c["all_callbacks_on_time_pct"])
            + (f" ({c['callbacks_on_time']} of {c['callbacks']})" if c["callbacks"] else ""),
        ),
        ("Repair time, median", hours(c["repair_hours_median"])),
        ("Repair time, 90th percentile", hours(c["repair_hours_p90"])),
    ]


def _pct_of(value: float | None) -> str:
    return "no callbacks due" if value is None else f"{value:.2f} %"


def penalty_text(report: dict[str, Any]) -> str:
    cur = report["currency"]
    missed = report["zones_missed"]
    if not report["guaranteed"]:
        if missed:
            return f"Zones below target: {', '.join(missed)} (tier {report['tier']} carries no penalty)."
        return f"Every zone met the target (tier {report['tier']} carries no penalty)."
    if not missed:
        return f"Penalty: {money(0, cur)} — every zone met the guaranteed level."
    zones = "zone" if len(missed) == 1 else "zones"
    return (
        f"Penalty: {money(report['penalty'], cur)} — {len(missed)} {zones} missed the guaranteed level "
        f"({', '.join(missed)}) × {money(report['penalty_per_zone'], cur)}."
    )


CASE_HEADERS = {
    "number": "Case",
    "opened": "Opened",
    "crit": "Crit",
    "status": "Status",
    "repair": "Repair",
    "callbacks": "Callbacks",
    "subject": "Subject",
}


def case_rows(report: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "number": c["number"],
            "opened": c["opened_at"][:16].replace("T", " "),
            "crit": "yes" if c["critical"] else "",
            "status": c["status"],
            "repair": hours(c["repair_hours"]) if c["repair_hours"] is not None else "open",
            "callbacks": f"{c['callbacks_on_time']}/{c['callbacks']} on time" if c["callbacks"] else "",
            "subject": c["subject"],
        }
        for c in report["cases"]["list"]
    ]


def secret_note(report: dict[str, Any]) -> str | None:
    n = report["cases"]["secret_not_listed"]
    if not n:
        return None
    cases = "case" if n == 1 else "cases"
    return f"{n} secret {cases} counted above but not listed (--include-classified lists them)."


def generated_line(report: dict[str, Any]) -> str:
    return f"Generated {report['generated_at']} by ops-cli"


def to_text(report: dict[str, Any]) -> str:
    """Plain aligned text (pipes, files, cron mail); fits 80 columns."""
    from tabulate import tabulate

    out = [title(report), subtitle(report), ""]
    if report["note"]:
        out += [f"Note: {report['note']}.", ""]
    else:
        rows = kpi_rows(report)
        cols = list(KPI_HEADERS)
        table = tabulate(
            [[r[c] for c in cols] for r in rows],
            headers=[KPI_HEADERS[c] for c in cols],
            tablefmt="simple",
            colalign=("left", "left", "right", "right", "right", "left"),
            disable_numparse=True,
        )
        out += [table, RATES_NOTE, ""]
    out.append("Fault cases opened in the quarter")
    width = max(len(k) for k, _ in case_facts(report))
    out += [f"  {k.ljust(width)}  {v}" for k, v in case_facts(report)]
    out.append(f"  (repair times in {report['cases']['hours']})")
    cases = case_rows(report)
    if cases:
        cols = ["number", "opened", "crit", "repair", "subject"]
        lines = [[r[c] if c != "subject" else _clip(r[c], 30) for c in cols] for r in cases]
        out += [
            "",
            tabulate(
                lines, headers=[CASE_HEADERS[c] for c in cols], tablefmt="simple", disable_numparse=True
            ),
        ]
    note = secret_note(report)
    if note:
        out.append(note)
    out += ["", penalty_text(report), "", generated_line(report)]
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


def to_markdown(report: dict[str, Any]) -> str:
    out = [f"# {_md(title(report))}", "", _md(subtitle(report)), ""]
    if report["note"]:
        out += [f"> **Note:** {_md(report['note'])}.", ""]
    else:
        cols = list(KPI_HEADERS)
        rows = []
        for r in kpi_rows(report):
            line = [r[c] for c in cols]
            if r["total"]:
                line = [f"**{v}**" if v else v for v in line]
            rows.append(line)
        out += ["## KPI per zone and month", ""]
        out += _md_table([KPI_HEADERS[c] for c in cols], rows, right={2, 3, 4})
        out += ["", RATES_NOTE, ""]
    out += ["## Fault cases opened in the quarter", ""]
    out += _md_table(["Figure", "Value"], [[k, v] for k, v in case_facts(report)], right={1})
    out += ["", f"Repair times in {report['cases']['hours']}.", ""]
    cases = case_rows(report)
    if cases:
        cols = list(CASE_HEADERS)
        out += _md_table([CASE_HEADERS[c] for c in cols], [[r[c] for c in cols] for r in cases])
        out.append("")
    note = secret_note(report)
    if note:
        out += [_md(note), ""]
    out += ["## Penalty", "", _md(penalty_text(report)), "", f"_{generated_line(report)}_"]
    return "\n".join(out) + "\n"


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


def to_csv(report: dict[str, Any]) -> str:
    """The KPI table as CSV (cells through ``render.safe_cell``)."""
    return render.to_csv(csv_rows(report), CSV_COLUMNS)


def to_json(report: dict[str, Any]) -> str:
    return render.to_json(report) + "\n"
