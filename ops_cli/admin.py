"""Set-up and store administration: init, config access, backup, check, audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ops_cli import config as config_mod
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput
from ops_cli.store import check_file


def init(ops: Ops, demo: bool = False) -> dict[str, Any]:
    """Create the config (commented template, only if missing) and the store; load the demo."""
    try:
        config_created = config_mod.write_template(ops.config.path)
    except OSError as exc:
        raise InvalidInput(f"cannot write the config file {ops.config.path}: {exc.strerror}") from None
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
        from ops_cli.demo import load_demo

        result["demo"] = load_demo(ops)
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


def backup(ops: Ops, target: Path) -> dict[str, Any]:
    ops.store.backup(target)
    return {"db": str(ops.db_path), "backup": str(target), "bytes": target.stat().st_size}
