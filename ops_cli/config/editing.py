"""Writing the config: the commented template (``ops init``) and one key (``ops config set``).

Both go through :mod:`ops_cli.files`: a temp file beside the config, fsync'ed and renamed,
so a full disk or a kill leaves the old file whole.
"""

from __future__ import annotations

import copy
import os
import stat
from pathlib import Path
from typing import Any

from ops_cli import files
from ops_cli.config.defaults import DEFAULTS, HOURS_TABLES, OPEN_MAPS, OPEN_TABLES, TEMPLATE, WEEKDAYS, Hours
from ops_cli.config.schema import validate
from ops_cli.errors import ConfigError, Conflict


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise files.write_failed(path.parent, exc) from None


def write_template(path: Path) -> bool:
    """Write the commented template unless a file is already there. True if written."""
    if path.exists() or path.is_symlink():
        return False
    _make_folder(path)
    try:
        files.write_text(path, TEMPLATE)
    except Conflict:
        return False
    return True


def parse_cli_value(text: str) -> Any:
    """A value typed on the command line: TOML if it parses (5, true, [..]), else text."""
    import tomllib

    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _read_document(path: Path):
    import tomlkit

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the config file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {files.os_cause(exc)}") from None
    try:
        return tomlkit.parse(text)
    except Exception as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def set_value(path: Path, dotted: str, text: str, *, dry_run: bool = False) -> Any:
    """Set one key in the file, keeping its comments and layout; returns the stored value.

    The whole file is validated with the new value before anything is written; the file is
    replaced atomically (the old one stays whole if the write fails). ``dry_run`` validates
    and returns the value without writing.
    """
    import tomlkit

    document = _read_document(path)
    parts = dotted.split(".")
    value = parse_cli_value(text)
    # Coerce to the default's type so `set busy_timeout 10` stays a float and
    # `set operator 123` stays text.
    try:
        proto = _proto_for(parts)
    except KeyError:
        raise ConfigError(f"unknown config key {dotted}") from None
    if isinstance(proto, float) and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(proto, str) and not isinstance(value, str):
        value = text
    node = document
    for depth, part in enumerate(parts[:-1], start=1):
        if part not in node:
            prefix = ".".join(parts[:depth])
            # Hours tables are replaced whole by the file, so a new one starts
            # from the current defaults: setting `desk.hours.sat` must not
            # close Monday to Friday.
            node[part] = _defaults_at(prefix) if prefix in HOURS_TABLES else tomlkit.table()
        node = node[part]
    node[parts[-1]] = value
    validate(document.unwrap(), str(path))
    if dry_run:
        return value
    mode = _writable_mode(path)
    _make_folder(path)
    files.write_text(path, tomlkit.dumps(document), force=True)
    if mode is not None:  # the replacement keeps the mode the user gave the file (e.g. 0640)
        try:
            os.chmod(path, mode)
        except OSError as exc:
            cause = files.os_cause(exc)
            raise ConfigError(f"{path}: written, but its mode could not be kept: {cause}") from None
    return value


def _writable_mode(path: Path) -> int | None:
    """The mode of the existing file (None if there is none); a read-only file is refused:
    replacing it by a rename would get past the protection its owner gave it."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & stat.S_IWUSR:
        raise ConfigError(f"cannot write {path}: it is read-only; allow writing it (chmod u+w) first")
    return mode


def _proto_for(parts: list[str]) -> Any:
    node: Any = DEFAULTS
    i = 0
    while i < len(parts):
        joined = ".".join(parts[:i])
        if joined in OPEN_TABLES and i < len(parts):
            proto = OPEN_TABLES[joined]
            # parts[i] is the entry's name, parts[i+1:] its field
            rest = parts[i + 1 :]
            if not rest:
                raise KeyError(".".join(parts))
            value = proto[rest[0]]
            if value is Hours:
                if len(rest) == 2 and rest[1] in WEEKDAYS:
                    return ""
                raise KeyError(".".join(parts))
            if len(rest) != 1:
                raise KeyError(".".join(parts))
            return value
        if joined in OPEN_MAPS and i < len(parts):
            if len(parts) != i + 1:
                raise KeyError(".".join(parts))
            return OPEN_MAPS[joined]
        if ".".join(parts[: i + 1]) in HOURS_TABLES:
            if len(parts) == i + 2 and parts[i + 1] in WEEKDAYS:
                return ""
            raise KeyError(".".join(parts))
        node = node[parts[i]]
        i += 1
    if isinstance(node, dict):
        raise KeyError(".".join(parts))
    return node


def _defaults_at(dotted: str) -> dict[str, Any]:
    node: Any = DEFAULTS
    for part in dotted.split("."):
        node = node[part]
    return copy.deepcopy(node)
