"""Set-up and store administration: init, config access, backup, check, audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ops_cli import config as config_mod
from ops_cli.cases import MASK
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput
from ops_cli.store import check_file
from ops_cli.store.backend import is_url, label, mask_url, store_exists


def init(ops: Ops, demo: bool = False, *, force: bool = False) -> dict[str, Any]:
    """Create the config (commented template, only if missing) and the store; load the demo.

    The demo is refused (exit 6) on a store holding changes that are not demo data, unless
    ``force``.
    """
    config_created = config_mod.write_template(ops.config.path)
    existed = store_exists(ops.db_path)
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
    """The effective configuration as shown to a user: a password in ``db`` reads ``***``."""
    data = dict(ops.config.data)
    if isinstance(data.get("db"), str) and is_url(data["db"]):
        data["db"] = mask_url(data["db"])
    return data


def config_value(ops: Ops, key: str) -> Any:
    """One value of the effective configuration, as shown (``db`` with its password masked)."""
    value = ops.config.get(key)
    return mask_url(value) if key == "db" and isinstance(value, str) and is_url(value) else value


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


def check_store(path: Path | str) -> dict[str, Any]:
    """Integrity and foreign-key check of a store, without migrating or changing it."""
    if is_url(path):
        return _check_pg(path)
    if not path.exists():
        return {"db": str(path), "ok": False, "problems": [f"{path} does not exist"]}
    problems, version = check_file(path)
    if version is None:
        return {"db": str(path), "ok": False, "problems": problems}
    return {"db": str(path), "ok": not problems, "schema_version": version, "problems": problems}


def _check_pg(url: str) -> dict[str, Any]:
    from ops_cli.store.pg import PG  # psycopg: only for a URL

    shown = label(url)
    conn = PG.connect(url, 5.0)
    try:
        if "schema_migrations" not in PG.tables(conn):
            missing = f"the store {shown} does not exist (no ops store there)"
            return {"db": shown, "ok": False, "problems": [missing]}
        problems, version = PG.problems(conn), PG.user_version(conn)
    finally:
        conn.close()
    return {"db": shown, "ok": not problems, "schema_version": version, "problems": problems}


def backup(ops: Ops, target: Path, *, force: bool = False) -> dict[str, Any]:
    """A consistent copy of the store, written through the one file writer (``--force`` replaces).

    On PostgreSQL the copy is an SQLite file (a portable snapshot: ``ops --db FILE`` opens it).
    Never onto the store itself or its journal files, not even with ``--force``."""
    if is_url(ops.db_path):
        from ops_cli import files
        from ops_cli.store.copy import copy_store

        files.check_target(target, force=force)  # a file like any other: an existing one needs --force
        copy_store(ops.store, target, force=force, busy_timeout=ops.config["busy_timeout"])
        return {"db": label(ops.db_path), "backup": str(target), "bytes": Path(target).stat().st_size}
    if _is_store_file(Path(target), ops.db_path):
        raise InvalidInput(
            f"cannot back up the store {ops.db_path} onto {target}: that is the store's own file;"
            " choose another path"
        )
    ops.store.backup(target, force=force)
    return {"db": str(ops.db_path), "backup": str(target), "bytes": target.stat().st_size}


def copy(ops: Ops, target: str | Path, *, force: bool = False, dry_run: bool = False) -> dict[str, Any]:
    """Copy the whole store to ``target`` (an SQLite file or a ``postgresql://`` URL), row counts
    checked per table; a target holding data is refused (exit 6) unless ``force``."""
    from ops_cli.store.backend import location
    from ops_cli.store.copy import copy_store

    where = location(target)
    if not is_url(where) and not is_url(ops.db_path) and _is_store_file(Path(where), Path(ops.db_path)):
        raise InvalidInput(f"cannot copy the store {ops.db_path} onto {where}: that is the store's own file")
    return copy_store(ops.store, where, force=force, dry_run=dry_run, busy_timeout=ops.config["busy_timeout"])


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
