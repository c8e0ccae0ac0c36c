"""Changesets and undo: every write transaction is one changeset with the exact before/after
image of each row it changed (captured by the store, :mod:`ops_cli.store.changes`), and
`ops undo` reverts a whole changeset as a new one.

- :mod:`.undo`: :func:`undo` (with ``dry_run`` and ``force``);
- :mod:`.log`: :func:`changesets` (the recent ones), :func:`audit_log` (the filtered audit);
- :mod:`.preview`: :func:`preview`, the per-row diff of any core write, rolled back (for
  `--dry-run`);
- :mod:`.objects`: naming rows for people, the per-row diff.
"""

from __future__ import annotations

from ops_cli.changes.log import audit_log, changesets, normalise_object
from ops_cli.changes.preview import preview
from ops_cli.changes.undo import undo

__all__ = ["audit_log", "changesets", "normalise_object", "preview", "undo"]
