"""Text renderings of the quarterly report: plain text, Markdown, CSV and JSON.

Every function takes the dict of :func:`ops_cli.reports.quarterly.quarterly`
and returns a string; nothing here prints. The words come from the language's
catalogue through :mod:`.wording` (``lang`` None = English; its names are
importable from here too); CSV and JSON are machine formats and stay
language-neutral.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ops_cli import render

from .language import Lang
from .wording import (
    CASE_KEYS,
    KPI_KEYS,
    _l,
    callbacks_note,
    case_facts,
    case_headers,
    case_rows,
    generated_line,
    hours,
    kpi_headers,
    kpi_rows,
    money,
    note_text,
    num,
    order_text,
    pct,
    penalty_text,
    period_text,
    rates_note,
    repair_hours_text,
    result_text,
    secret_note,
    subtitle,
    summary_rows,
    title,
)

__all__ = [
    # the renderers of this module
    "CSV_COLUMNS",
    "csv_rows",
    "simple_table",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_text",
    # the words (ops_cli.reports.wording), importable from here as before
    "CASE_KEYS",
    "KPI_KEYS",
    "callbacks_note",
    "case_facts",
    "case_headers",
    "case_rows",
    "generated_line",
    "hours",
    "kpi_headers",
    "kpi_rows",
    "money",
    "note_text",
    "num",
    "order_text",
    "pct",
    "penalty_text",
    "period_text",
    "rates_note",
    "repair_hours_text",
    "result_text",
    "secret_note",
    "subtitle",
    "summary_rows",
    "title",
]


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
