"""The quarterly report for a terminal: rich renderables (the command prints them).

Readable at 80 columns: one table with each zone's months and quarter line,
the fault-case figures and the penalty line.
"""

from __future__ import annotations

from typing import Any

from . import text as t


def renderables(report: dict[str, Any]) -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = [
        Text(t.title(report), style="bold"),
        Text(t.subtitle(report), style="dim"),
        Text(""),
    ]
    if report["note"]:
        out += [Text(f"Note: {report['note']}.", style="yellow"), Text("")]
    else:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, title_justify="left")
        for key, head in t.KPI_HEADERS.items():
            table.add_column(
                head, justify="right" if key in ("attempts", "cssr", "ctsr") else "left", no_wrap=True
            )
        rows = t.kpi_rows(report)
        for i, r in enumerate(rows):
            res = r["result"]
            style = "green" if res.lower() == "pass" else "dim" if res == "no data" else "bold red"
            table.add_row(
                r["zone"],
                r["period"],
                r["attempts"],
                r["cssr"],
                r["ctsr"],
                Text(res, style=style),
                style="bold" if r["total"] else None,
                end_section=r["total"] and i < len(rows) - 1,
            )
        out += [table, Text(t.RATES_NOTE, style="dim"), Text("")]
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    for k, v in t.case_facts(report):
        facts.add_row(k, v)
    out += [
        Text("Fault cases opened in the quarter", style="bold"),
        facts,
        Text(f"(repair times in {report['cases']['hours']})", style="dim"),
    ]
    cases = t.case_rows(report)
    if cases:
        ct = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        cols = ["number", "opened", "crit", "repair", "subject"]
        for c in cols:
            ct.add_column(
                t.CASE_HEADERS[c],
                no_wrap=c != "subject",
                overflow="ellipsis",
                max_width=32 if c == "subject" else None,
            )
        for r in cases:
            ct.add_row(*(r[c] for c in cols))
        out.append(ct)
    note = t.secret_note(report)
    if note:
        out.append(Text(note, style="dim"))
    penalty = t.penalty_text(report)
    out += [
        Text(""),
        Text(penalty, style="bold red" if report["penalty"] else "bold"),
        Text(t.generated_line(report), style="dim"),
    ]
    return out
