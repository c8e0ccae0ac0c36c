"""Set-based row capture (``store.changes.bulk``): what a bulk import records instead of the
per-row triggers, the same rows in the same form; the triggers stand aside only inside its block."""

from __future__ import annotations

import json

import pytest

from ops_cli.store import changes
from ops_cli.store import roster as q

AT = "2026-01-01T00:00:00+00:00"
ONE = "FROM customers r WHERE r.number = '5001'"


def captured(store) -> list[tuple]:
    """Every row change as ``ops undo`` reads it (a bulk write's after image filled in by the
    reader), oldest first."""
    found = []
    for (number,) in store.query("SELECT DISTINCT changeset_id FROM row_changes ORDER BY changeset_id"):
        for row in changes.row_changes(store, number):
            found.append((row["op"], json.loads(row["before"] or "null"), changes.after_image(store, row)))
    return found


def name_of(image):
    return image and image["name"]


def test_bulk_records_the_rows_as_the_triggers_do_and_only_inside_its_block(ops):
    st = ops.store
    with st.write() as w:
        q.insert_customers(w, [("5001", "Kund AB")], AT)  # per-row trigger
        with changes.bulk(w, "customers") as rows:
            assert rows.update("UPDATE customers SET name = 'Bulk AB' WHERE number = '5001'", (), ONE) == 1
            rows.update("UPDATE customers SET name = 'Bulk AB' WHERE number = '5001'", (), ONE)  # no change
            inserted = rows.insert(
                "INSERT INTO customers (number, name, created_at, updated_at) VALUES ('5002', 'Ny AB', ?, ?)",
                (AT, AT),
                "FROM customers r WHERE r.number = '5002'",
            )
            assert inserted == 1
        w.execute("UPDATE customers SET name = 'Efter AB' WHERE number = '5001'")  # the trigger again
        w.execute("UPDATE customers SET name = 'Sist AB' WHERE number = '5002'")
    found = captured(st)
    assert [(op, name_of(before), name_of(after)) for op, before, after in found] == [
        ("insert", None, "Kund AB"),
        ("update", "Kund AB", "Bulk AB"),  # one row change; the statement that changed nothing: none
        ("insert", None, "Ny AB"),  # as the insert left it, not as the store holds it now
        ("update", "Bulk AB", "Efter AB"),
        ("update", "Ny AB", "Sist AB"),
    ]
    # The images are the triggers' own: what one wrote as "after" the next reads as "before".
    assert found[1][1] == found[0][2] and found[3][1] == found[1][2] and found[4][1] == found[2][2]
    assert len({row[0] for row in st.query("SELECT changeset_id FROM row_changes")}) == 1


def test_a_failed_bulk_block_leaves_the_triggers_on(ops):
    st = ops.store
    with st.write() as w:
        q.insert_customers(w, [("5001", "Kund AB")], AT)
    with pytest.raises(RuntimeError), st.write() as w, changes.bulk(w, "customers"):
        w.execute("UPDATE customers SET name = 'Borta AB' WHERE number = '5001'")
        raise RuntimeError("the import failed")
    with st.write() as w:
        w.execute("UPDATE customers SET name = 'Ny AB' WHERE number = '5001'")
    assert [(op, name_of(b), name_of(a)) for op, b, a in captured(st)] == [
        ("insert", None, "Kund AB"),
        ("update", "Kund AB", "Ny AB"),
    ]


def test_without_recording_the_bulk_statements_just_run(ops):
    st = ops.store
    st.record_changes = False
    with st.write() as w, changes.bulk(w, "customers") as rows:
        rows.insert(
            "INSERT INTO customers (number, name, created_at, updated_at) VALUES ('5003', 'Tyst AB', ?, ?)",
            (AT, AT),
            "FROM customers r WHERE r.number = '5003'",
        )
    assert st.query("SELECT count(*) FROM row_changes")[0][0] == 0
    assert st.one("SELECT name FROM customers WHERE number = '5003'")[0] == "Tyst AB"
