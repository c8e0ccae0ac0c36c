"""The tuple fast paths of a listing (``render.Rows``) write the same bytes as the dict path.

``ops sub list`` hands the emitter store tuples; CSV, compact JSON and plain tables skip the
per-row dict and (CSV) the per-value conversion when a chunk holds no field that
:func:`render.csv_value` would change. These compare both paths on awkward values.
"""

from __future__ import annotations

from itertools import islice

import pytest

from ops_cli import render

COLUMNS = ["a", "b", "c"]

AWKWARD = [
    "=1+2",
    "+46 70-123 45 67",
    "+1 ",
    "-",
    "-5",
    "-1.5",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "x,=y",
    'say "=x"',
    "line\n=two",
    "=a\nb",
    "+٣٤",  # Unicode digits: a number to the regex in both paths
    "+46\n70",
    "(08) 123",
    "",
    "plain",
    None,
    7,
    -3,
    2.5,
    -1e-05,
]


def _rows(n: int) -> list[tuple]:
    values = AWKWARD
    return [tuple(values[(i * 7 + j * 3) % len(values)] for j in range(3)) for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, 5, 999, 1000, 1001, 2500])
def test_csv_of_tuples_is_the_csv_of_dicts(n):
    rows = _rows(n)
    dicts = [dict(zip(COLUMNS, r, strict=True)) for r in rows]
    expected = "".join(render.iter_csv(dicts, COLUMNS))
    assert "".join(render.iter_csv_tuples(rows, COLUMNS)) == expected


@pytest.mark.parametrize("value", AWKWARD)
def test_one_awkward_value_anywhere_in_a_clean_chunk(value):
    """A chunk of harmless rows with one awkward value, first, middle or last field."""
    clean = [(1000 + i, "standard", "+46701234567") for i in range(50)]
    for row in (0, 25, 49):
        for col in range(3):
            rows = list(clean)
            line = list(rows[row])
            line[col] = value
            rows[row] = tuple(line)
            dicts = [dict(zip(COLUMNS, r, strict=True)) for r in rows]
            assert "".join(render.iter_csv_tuples(rows, COLUMNS, batch=20)) == "".join(
                render.iter_csv(dicts, COLUMNS)
            )


@pytest.mark.parametrize("n", [0, 1, 1500])
def test_plain_table_of_tuples_is_the_plain_table_of_dicts(n):
    rows = _rows(n)
    dicts = [dict(zip(COLUMNS, r, strict=True)) for r in rows]
    expected = "".join(render.iter_plain(dicts, COLUMNS))
    assert "".join(render.iter_plain_lines(render.tuple_cells(rows), COLUMNS)) == expected


def test_rows_iterate_as_dicts_and_stream():
    def endless():
        i = 0
        while True:
            yield (i, "x", None)
            i += 1

    rows = render.Rows(COLUMNS, endless())
    assert list(islice(rows, 2)) == [{"a": 0, "b": "x", "c": None}, {"a": 1, "b": "x", "c": None}]


def test_sub_list_same_bytes_in_every_format_as_the_dict_path(env, ops):
    """The command's output (tuple path) equals its rows rendered through the dict path,
    with values that need the CSV formula guard (written straight into the store)."""
    import json

    from helpers import db as store_db
    from helpers.seed import seed_customer

    seed_customer(ops, "1001", "Kund AB")
    conn = store_db.connect(env.db)
    with conn:
        conn.executemany(
            "INSERT INTO subscriptions (issi, customer, tei, msisdn, kind, status, created_at, updated_at)"
            " VALUES (?, '1001', ?, ?, 'standard', 'active', '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00')",
            [
                (2010001, "0123456789ABCDE", "+46701234567"),
                (2010002, None, "=cmd"),
                (2010003, None, "-1 "),
                (2010004, None, 'a "q" \\ \n\t\x01\x1f\x7f é \u2028 \U0001f600'),
            ],
        )
        raw = conn.execute("SELECT issi, tei, customer, kind, status, msisdn FROM subscriptions").fetchall()
    conn.close()
    columns = ["issi", "tei", "customer", "kind", "status", "msisdn"]
    dicts = [dict(zip(columns, r, strict=True)) for r in raw]
    got = env.run("sub", "list", "-f", "json").stdout
    assert json.loads(got) == dicts
    assert env.run("sub", "list", "-f", "json", "--status", "terminated").stdout == "[]\n"
    assert env.run("sub", "list", "-f", "csv").stdout == render.to_csv(dicts, columns)
    assert "'=cmd" in env.run("sub", "list", "-f", "csv").stdout
    assert env.run("sub", "list").stdout == render.to_plain(dicts, columns)
    assert got == "".join(render.iter_json(dicts))
    assert env.run("sub", "list", "-f", "jsonl").stdout == "".join(render.iter_jsonl(dicts))
