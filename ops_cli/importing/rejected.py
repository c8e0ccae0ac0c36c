"""The rejected-rows file of ``--skip-invalid``: written through ``ops_cli.files`` before the commit."""

from __future__ import annotations

import csv
from collections.abc import Sequence

from ops_cli import files
from ops_cli.importing.problems import Rejected
from ops_cli.render import safe_cell


def rejected_path(file: str) -> str:
    """``roster.xlsx`` -> ``roster.xlsx.rejected.csv`` (beside the input)."""
    return f"{file}.rejected.csv"


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def write_rejected(path: str, rejected: Sequence[Rejected], columns: Sequence[str], *, force: bool) -> str:
    """Write the rejected rows (sheet row, the wanted columns, reason) as CSV; returns the path.

    Any failure raises (``InvalidInput`` exit 3 for an OS error, ``Conflict`` exit 6 for an
    existing file without ``force``); the pipeline calls this inside the write transaction,
    so a failure commits nothing.
    """
    header = ["row", *columns, "reason"]
    with files.open_output(path, "w", force=force, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        for r in sorted(rejected, key=lambda x: x.row):
            cells = [safe_cell(_text(r.values.get(c))) for c in columns]
            writer.writerow([r.row, *cells, safe_cell(r.reason)])
    return path
