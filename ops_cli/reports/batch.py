"""Every customer's quarterly report in one run: ``ops report quarterly --all [--tier silver,gold]
--quarter last -o 'out/{customer}-{quarter}.pdf'``.

The ``-o`` path is a template (``{customer}`` required; ``{quarter}`` and ``{tier}`` may be
used); its extension picks the format as for one customer. Customers of every tier (or the
``--tier`` list) are taken in number order. A tier whose report is made on order (bronze) is
written only when the quarter's order is on record (printing it again bills nothing);
without one the customer is skipped and listed. A customer whose report fails (e.g. its file
exists without ``--force``) is listed as failed with the error, and the others are still
written: the command then exits 1.
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ops_cli.context import Ops
from ops_cli.errors import InvalidInput, OpsError
from ops_cli.store import reports as sql

from .language import report_language
from .output import EXTENSIONS, quarterly_report
from .quarter import Quarter, parse_quarter

PLACEHOLDERS = ("customer", "quarter", "tier")
COLUMNS = ["customer", "name", "tier", "status", "file", "detail"]


def path_template(output: str | Path | None) -> str:
    """The ``-o`` template, checked: present, with ``{customer}``, known placeholders only,
    a report extension."""
    if output is None:
        raise InvalidInput(
            "--all needs -o FILE with {customer} in it, e.g. -o 'out/{customer}-{quarter}.pdf'"
        )
    text = str(output)
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise InvalidInput(f"-o {text}: not a file name template ({exc})") from None
    unknown = sorted(n for n in names if n not in PLACEHOLDERS)
    if unknown:
        raise InvalidInput(
            f"-o {text}: unknown placeholder {{{unknown[0]}}}; use {{customer}}, {{quarter}} or {{tier}}"
        )
    if "customer" not in names:
        raise InvalidInput(
            f"-o {text}: with --all the file name needs {{customer}}, e.g. 'out/{{customer}}-{{quarter}}.pdf'"
        )
    ext = Path(text).suffix.lower()
    if ext not in EXTENSIONS:
        raise InvalidInput(
            f"-o {text}: unknown report file type {ext or '(none)'!r}; use one of {', '.join(EXTENSIONS)}"
        )
    return text


def chosen_tiers(ops: Ops, option: str | None) -> list[str]:
    """``--tier silver,gold`` checked against config ``sla.tiers`` (default: every tier)."""
    tiers = ops.config["sla"]["tiers"]
    if option is None:
        return sorted(tiers)
    names = [n.strip().lower() for n in option.split(",") if n.strip()]
    if not names:
        raise InvalidInput("--tier: give one or more SLA tiers separated by commas, e.g. silver,gold")
    for name in names:
        if name not in tiers:
            raise InvalidInput(f"--tier: {name!r} is not an SLA tier; use {', '.join(sorted(tiers))}")
    return names


def _one(
    ops: Ops, customer: dict[str, Any], q: Quarter, template: str, options: dict[str, Any]
) -> dict[str, Any]:
    number, tier = customer["number"], customer["sla_tier"]
    path = template.format(customer=number, quarter=q.label, tier=tier)
    row = {"customer": number, "name": customer["name"], "tier": tier, "file": path, "bytes": 0}
    conf = ops.config["sla"]["tiers"][tier]
    if not conf.get("quarterly_report") and sql.report_order(ops.store, number, q.label) is None:
        return {**row, "status": "skipped", "file": "", "detail": "report made on order; no order on record"}
    try:
        _folder(Path(path).parent)
        done = quarterly_report(ops, number, q.label, output=path, **options)
    except OpsError as exc:
        return {**row, "status": "failed", "detail": str(exc)}
    return {**row, "status": "written", "bytes": done["written"]["bytes"], "detail": ""}


def _folder(folder: Path) -> None:
    """Create the template's folder (0700) when it is missing; an OS error is one line, exit 3."""
    if folder == Path("") or folder.is_dir():
        return
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create the folder {folder}: {exc.strerror or exc}") from None


def quarterly_all(
    ops: Ops,
    quarter: str,
    output: str | Path | None,
    *,
    tiers: str | None = None,
    force: bool = False,
    lang: str | None = None,
    include_classified: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Write the report of every tiered customer (see the module doc); one row per customer."""
    q = parse_quarter(quarter, ops.now().date())
    template = path_template(output)
    words = report_language(ops, lang)  # a bad language refuses the run before anything is written
    options = {"force": force, "lang": words.code, "include_classified": include_classified}
    customers = sql.tiered_customers(ops.store, chosen_tiers(ops, tiers))
    rows = []
    for customer in customers:
        rows.append(_one(ops, customer, q, template, options))
        if progress is not None:
            progress(1)
    count = {s: sum(1 for r in rows if r["status"] == s) for s in ("written", "skipped", "failed")}
    return {"quarter": q.label, "lang": words.code, **count, "customers": rows}


def summary_line(result: dict[str, Any]) -> str:
    skipped = [r["customer"] for r in result["customers"] if r["status"] == "skipped"]
    counts = f"{result['written']} written, {result['skipped']} skipped, {result['failed']} failed"
    line = f"{result['quarter']}: {counts}"
    if skipped:
        line += f" (skipped, made on order without an order: {', '.join(skipped)})"
    return line
