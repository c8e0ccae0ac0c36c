"""The shared helpers seed through the core and write real sheets."""

from __future__ import annotations

from helpers import seed_world, write_csv, write_xlsx


def test_seed_world_goes_through_the_core(ops, tmp_path):
    seed_world(ops, tmp_path)
    store = ops.store
    assert [r[0] for r in store.query("SELECT number FROM customers ORDER BY number")] == ["1001", "1002"]
    actions = {r[0] for r in store.query("SELECT action FROM audit")}
    assert {"customer.add", "roster.add", "sub.create"} <= actions
    assert store.one("SELECT count(*) FROM subscriptions")[0] == 4


def test_sheet_writers(tmp_path):
    from python_calamine import CalamineWorkbook

    xlsx = write_xlsx(
        tmp_path / "a.xlsx", ["a", "b"], [[1, "x"]], extra_sheets={"S2": [["z"]]}, hidden=["S2"]
    )
    sheet = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("Sheet1").to_python()
    assert sheet == [["a", "b"], [1.0, "x"]]
    csv_path = write_csv(tmp_path / "a.csv", ["a", "b"], [["Dahl, Johan", None]], delimiter=";", bom=True)
    assert csv_path.read_bytes() == b"\xef\xbb\xbfa;b\nDahl, Johan;\n"
