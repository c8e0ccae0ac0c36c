"""The quarterly report for a terminal: rich renderables (the command prints them).

Readable at 80 columns: one table with each zone's months and quarter line,
the fault-case figures and the penalty line, in the language asked for.
"""

from __future__ import annotations

from typing import Any

from . import wording as t
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
        out.append(CaseTable([heads[c] for c in CASE_COLUMNS], [[r[c] for c in CASE_COLUMNS] for r in cases]))
    return out


CASE_COLUMNS = ("number", "opened", "crit", "repair", "subject")
#: The subject column wraps at this many cells; the other columns never wrap.
SUBJECT_WIDTH = 32


def case_table(heads: list[str], rows: list[list[str]]) -> Any:
    """The rich table of the listed cases (every cell measured and rendered by rich)."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for name, head in zip(CASE_COLUMNS, heads, strict=True):
        table.add_column(
            head,
            no_wrap=name != "subject",
            overflow="ellipsis",
            max_width=SUBJECT_WIDTH if name == "subject" else None,
        )
    for row in rows:
        table.add_row(*row)
    return table


class CaseTable:
    """:func:`case_table` printed fast (issue 16: 100,000 cases took 36 s through rich, which
    renders every cell on its own): the column widths are measured as rich measures them, a
    sample of the table (its first row and the rows that set the widths) is rendered by rich,
    and the other rows are laid out the same way as plain lines. When a cell is not plain
    one-line text that fits its column, or the table is wider than the terminal, or the
    sample does not come out exactly as laid out, rich renders the whole table.

    :meth:`fits` tells the printer that every line will fit the terminal, so rich need not
    crop them one by one (``console.print(table, crop=not table.fits(console.width))``)."""

    def __init__(self, heads: list[str], rows: list[list[str]]):
        self.heads, self.rows = heads, rows
        self._measured: tuple[list[int] | None, bool] | None = None

    def _widths(self) -> tuple[list[int] | None, bool]:
        """The columns' widths (None: rich lays the table out) and whether every cell is ASCII."""
        if self._measured is not None:
            return self._measured
        from rich.cells import cell_len

        widths: list[int] | None = []
        ascii_only = True
        for i, head in enumerate(self.heads):
            column = [row[i] for row in self.rows]
            joined = "".join(column)
            if not (head + joined).isprintable():
                widths = None  # tabs, line breaks, control characters: rich's own layout
                break
            if joined.isascii():
                width = max(map(len, column), default=0)
            else:
                ascii_only = False
                width = max(map(cell_len, column), default=0)
            if i == len(self.heads) - 1 and width > SUBJECT_WIDTH:
                widths = None  # a subject that wraps
                break
            widths.append(max(width, cell_len(head)))
        self._measured = (widths, ascii_only)
        return self._measured

    def fits(self, width: int) -> bool:
        """Whether the rows are laid out here (not by rich) on a terminal ``width`` wide."""
        widths = self._widths()[0]
        return widths is not None and sum(widths) + 3 * (len(widths) - 1) + 2 <= width

    def _liner(self, widths: list[int]) -> Any:
        """A row's line: `` cell   cell   cell `` each cell padded to its column."""
        if self._widths()[1]:  # ASCII: a character is a cell
            return (" " + "   ".join(f"{{:<{w}}}" for w in widths) + " ").format
        from rich.cells import cell_len

        def line(*row: str) -> str:
            cells = [
                cell + " " * (width - (len(cell) if cell.isascii() else cell_len(cell)))
                for cell, width in zip(row, widths, strict=True)
            ]
            return " " + "   ".join(cells) + " "

        return line

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment

        widths = self._widths()[0]
        if widths is None or not self.fits(options.max_width):
            yield case_table(self.heads, self.rows)
            return
        # the sample: the first row, then the first row that sets each column's width
        from rich.cells import cell_len

        picks = [0]
        for i, width in enumerate(widths):
            for n, row in enumerate(self.rows):
                if cell_len(row[i]) == width:
                    if n not in picks:
                        picks.append(n)
                    break
        sample = [self.rows[n] for n in picks]
        lines = console.render_lines(case_table(self.heads, sample), options, pad=False)
        texts = ["".join(seg.text for seg in line) for line in lines]
        liner = self._liner(widths)
        mine = [liner(*row) for row in sample]
        start = next((k for k, text in enumerate(texts) if text == mine[0]), None)
        if start is None or texts[start : start + len(mine)] != mine:
            yield case_table(self.heads, self.rows)
            return
        new_line = Segment.line()
        for line in lines[:start]:
            yield from line
            yield new_line
        for row in self.rows:
            yield Segment(liner(*row))
            yield new_line
        for line in lines[start + len(mine) :]:
            yield from line
            yield new_line


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
