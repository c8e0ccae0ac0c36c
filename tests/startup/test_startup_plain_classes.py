"""`Ops` and `Config` are plain classes (a read command loads no ``dataclasses``, issue 16) that
keep what the dataclasses they were gave: keyword and positional construction, defaults, a
fresh default table each, ``repr``, ``==`` by value and no hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops_cli import render
from ops_cli.config import DEFAULTS, Config
from ops_cli.context import Ops


def test_config_behaves_like_the_dataclass_it_was():
    one, two = Config(path=Path("a.toml")), Config(Path("a.toml"))
    assert one == two and one.data == DEFAULTS and one.exists is False
    assert one.data is not two.data and one.data is not DEFAULTS  # a fresh copy each
    one.data["operator"] = "x"
    assert one != two and DEFAULTS["operator"] != "x"
    assert Config(Path("a.toml"), {"k": 1}, True).data == {"k": 1}
    assert repr(Config(Path("a"), {"k": 1})) == f"Config(path={Path('a')!r}, data={{'k': 1}}, exists=False)"
    assert Config(Path("a")) != "a"
    with pytest.raises(TypeError):
        hash(one)


def test_ops_behaves_like_the_dataclass_it_was():
    config = Config(path=Path("a.toml"))
    ops = Ops(config=config, db_path=Path("ops.db"))
    assert ops == Ops(config, Path("ops.db")) and ops.must_exist is False and ops._store is None
    assert ops != Ops(config, Path("ops.db"), must_exist=True)
    assert repr(ops) == f"Ops(config={config!r}, db_path={Path('ops.db')!r}, must_exist=False)"
    with pytest.raises(TypeError):
        hash(ops)


def test_a_dataclass_is_still_told_from_other_values():
    from dataclasses import dataclass

    @dataclass
    class Point:
        x: int

    assert render.is_record(Point(1)) and not render.is_record(Point)
    assert not render.is_record({"x": 1}) and not render.is_record(Config(Path("a")))
    assert render.plain(Point(1)) == {"x": 1}
