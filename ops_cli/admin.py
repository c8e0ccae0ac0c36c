"""Set-up and store administration: init, config access, backup, check, audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ops_cli import config as config_mod
from ops_cli.cases import MASK
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput
from ops_cli.store import check_file


def init(ops: Ops, demo: bool = False, *, force: bool = False) -> dict[str, Any]:
    """Create the config (commented template, only if missing) and the store; load the demo.

    The demo is refused (exit 6) on a store holding changes that are not demo data, unless
    ``force``.
    """
    config_created = config_mod.write_template(ops.config.path)
    existed = ops.db_path.exists()
    store = ops.store
    result: dict[str, Any] = {
        "config": str(ops.config.path),
        "config_created": config_created,
        "db": str(store.path),
        "db_created": not existed,
        "schema_version": store.user_version(),
    }
    if demo:
        from ops_cli.demo import load_demo  # every domain package: only for --demo

        result["demo"] = load_demo(ops, force=force)
    return result


def effective_config(ops: Ops) -> dict[str, Any]:
    return ops.config.data


def flatten(data: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """Nested config as `key`/`value` rows (dotted keys)."""
    rows: list[dict[str, Any]] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(flatten(value, dotted + "."))
        else:
            rows.append({"key": dotted, "value": value})
    return rows


def check_store(path: Path) -> dict[str, Any]:
    """Integrity and foreign-key check of a store file, without migrating or changing it."""
    if not path.exists():
        return {"db": str(path), "ok": False, "problems": [f"{path} does not exist"]}
    problems, version = check_file(path)
    if version is None:
        return {"db": str(path), "ok": False, "problems": problems}
    return {"db": str(path), "ok": not problems, "schema_version": version, "problems": problems}


def backup(ops: Ops, target: Path, *, force: bool = False) -> dict[str, Any]:
    """A consistent copy of the store, written through the one file writer (``--force`` replaces).

    Never onto the store itself or its journal files, not even with ``--force``."""
    if _is_store_file(Path(target), ops.db_path):
        raise InvalidInput(
            f"cannot back up the store {ops.db_path} onto {target}: that is the store's own file;"
            " choose another path"
        )
    ops.store.backup(target, force=force)
    return {"db": str(ops.db_path), "backup": str(target), "bytes": target.stat().st_size}


def _real(path: Path) -> Path:
    """The path with its folder resolved (the file itself may be missing or a link)."""
    return path.parent.resolve() / path.name


def _is_store_file(target: Path, db: Path) -> bool:
    """``target`` is the store or one of its journal files (by name, through links, or a hard link)."""
    real = _real(db)
    own = {real, *(real.with_name(real.name + end) for end in ("-wal", "-shm", "-journal"))}
    if _real(target) in own | {f.resolve() for f in own}:
        return True
    try:
        return any(f.exists() and target.samefile(f) for f in own)
    except OSError:
        return False


def audit_log(ops: Ops, limit: int = 50, *, include_classified: bool = False) -> list[dict[str, Any]]:
    """The newest audit records. Those of a sensitive or secret case show no text (their
    before and after read ``(classified)``) unless ``include_classified``, like every other
    output of cases."""
    out = []
    for row in ops.store.audit_log(limit):
        if row.pop("classified") and not include_classified:
            for key in ("before", "after"):
                row[key] = None if row[key] is None else MASK
        out.append(row)
    return out
