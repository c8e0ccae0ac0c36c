"""`ops_cli.changes.preview`: the per-row diff of a core write, nothing kept."""

from __future__ import annotations

from ops_cli import changes, roster
from ops_cli.store import changes as sql

OLLE = "olle.ek@example.test"


def test_preview_shows_the_rows_and_keeps_nothing(ops, env):
    roster.add_customer(ops, "1001", name="Polisregion Syd")
    roster.add_entry(ops, "1001", "anna@example.test", "Anna Berg", ["orderer", "contact"])
    roster.add_entry(ops, "1001", OLLE, "Olle Ek", ["viewer"])
    before = env.snapshot()
    result, rows = changes.preview(ops, lambda: roster.set_entry(ops, "1001", OLLE, roles=["contact"]))
    assert result["roles"] in (["contact"], "contact")
    assert [(r["object"], r["change"]) for r in rows] == [(f"roster 1001/{OLLE}", "changed")]
    assert rows[0]["fields"]["roles"] == {"before": "viewer", "after": "contact"}
    assert env.snapshot() == before
    assert sql.running(ops.store) is None  # outside a transaction: nothing running


def test_preview_of_a_remove_and_of_nothing(ops, env):
    roster.add_customer(ops, "1001", name="Polisregion Syd")
    roster.add_entry(ops, "1001", "anna@example.test", "Anna Berg", ["orderer", "contact"])
    roster.add_entry(ops, "1001", OLLE, "Olle Ek", ["viewer"])
    before = env.snapshot()
    _, rows = changes.preview(ops, lambda: roster.remove_entry(ops, "1001", OLLE))
    assert [(r["object"], r["change"]) for r in rows] == [(f"roster 1001/{OLLE}", "removed")]
    assert rows[0]["fields"]["name"] == {"before": "Olle Ek", "after": None}
    result, rows = changes.preview(ops, lambda: list(roster.list_entries(ops, "1001")))
    assert rows == [] and len(result) == 2
    assert env.snapshot() == before


def test_two_connections_keep_their_changesets_apart(ops, env):
    from ops_cli.context import Ops

    roster.add_customer(ops, "1001", name="Polisregion Syd")
    other = Ops.open(config_path=env.config, db_path=env.db)
    try:
        roster.add_entry(ops, "1001", "anna@example.test", "Anna Berg", ["orderer", "contact"])
        roster.add_entry(other, "1001", OLLE, "Olle Ek", ["viewer"])
        roster.set_entry(ops, "1001", "anna@example.test", name="Anna Berg-Ek")
    finally:
        other.close()
    rows = ops.store.query(
        "SELECT c.id, r.tbl, r.op, json_extract(coalesce(r.after, r.before), '$.email') AS email"
        " FROM changesets c JOIN row_changes r ON r.changeset_id = c.id ORDER BY r.id"
    )
    found = [(r["id"], r["op"], r["email"]) for r in rows if r["tbl"] == "roster_entries"]
    assert found == [
        (2, "insert", "anna@example.test"),
        (3, "insert", OLLE),
        (4, "update", "anna@example.test"),
    ]
    audit = ops.store.query("SELECT changeset_id FROM audit ORDER BY id")
    assert [a[0] for a in audit] == [1, 2, 3, 4]
