"""The quarterly report for a terminal: rich renderables (the command prints them).

Readable at 80 columns: one table with each zone's months and quarter line,
the fault-case figures and the penalty line, in the language asked for.
"""

from __future__ import annotations

from typing import Any

from . import text as t
from .language import Lang, language


def _kpi_table(report: dict[str, Any], lg: Lang) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, title_justify="left")
    for key, head in t.kpi_headers(lg).items():
        right = key in ("attempts", "cssr", "ctsr")
        table.add_column(head, justify="right" if right else "left", no_wrap=True)
    rows = t.kpi_rows(report, lg)
    passed, no_data = t.result_text(True, lang=lg), lg.t("no_data")
    for i, r in enumerate(rows):
        res = r["result"]
        style = "green" if res.lower() == passed else "dim" if res == no_data else "bold red"
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
    return table


def _cases(report: dict[str, Any], lg: Lang) -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    for k, v in t.case_facts(report, lg):
        facts.add_row(k, v)
    out: list[Any] = [
        Text(lg.t("cases_heading"), style="bold"),
        facts,
        Text(lg.t("repair_note", hours=t.repair_hours_text(report, lg)), style="dim"),
        Text(t.callbacks_note(lg), style="dim"),
    ]
    cases = t.case_rows(report, lg)
    if cases:
        heads = t.case_headers(lg)
        ct = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        cols = ["number", "opened", "crit", "repair", "subject"]
        for c in cols:
            ct.add_column(
                heads[c],
                no_wrap=c != "subject",
                overflow="ellipsis",
                max_width=32 if c == "subject" else None,
            )
        for r in cases:
            ct.add_row(*(r[c] for c in cols))
        out.append(ct)
    return out


def renderables(report: dict[str, Any], lang: Lang | None = None) -> list[Any]:
    from rich.text import Text

    lg = lang or language("en")
    out: list[Any] = [Text(t.title(report, lg), style="bold"), Text(t.subtitle(report, lg), style="dim")]
    if t.order_text(report, lg):
        out.append(Text(t.order_text(report, lg)))
    out.append(Text(""))
    if report["note"]:
        out += [Text(lg.t("note", note=t.note_text(report, lg)), style="yellow"), Text("")]
    else:
        out += [_kpi_table(report, lg), Text(t.rates_note(lg), style="dim"), Text("")]
    out += _cases(report, lg)
    note = t.secret_note(report, lg)
    if note:
        out.append(Text(note, style="dim"))
    out += [
        Text(""),
        Text(t.penalty_text(report, lg), style="bold red" if report["penalty"] else "bold"),
        Text(t.generated_line(report, lg), style="dim"),
    ]
    return out
