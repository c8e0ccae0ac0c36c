"""The one import pipeline for every sheet import (see :mod:`ops_cli.importing.pipeline`).

    class RosterImporter(Importer): columns, validate, plan, write, result
    run_import(RosterImporter(ops, Options(dry_run=..., skip_invalid=..., by=..., sheet=...)), path)

Problems are collected as ``Problem(message, file, row, column)`` in :class:`Problems`;
``--skip-invalid`` rows go to ``FILE.rejected.csv`` (:mod:`.rejected`) before the commit.
"""

from __future__ import annotations

from ops_cli.importing.pipeline import Importer, Outcome, StreamImporter, run_import, run_stream
from ops_cli.importing.problems import Problems, Rejected
from ops_cli.importing.rejected import rejected_path, write_rejected
from ops_cli.importing.source import (
    Options,
    Progress,
    has_column,
    read_by_column,
    read_chunks,
    read_rows,
    sheet_name,
)

__all__ = [
    "Importer",
    "Options",
    "Outcome",
    "Problems",
    "Progress",
    "Rejected",
    "StreamImporter",
    "has_column",
    "read_by_column",
    "read_chunks",
    "read_rows",
    "rejected_path",
    "run_import",
    "run_stream",
    "sheet_name",
    "write_rejected",
]
