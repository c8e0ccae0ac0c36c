"""`case list` builds its objects from store tuples with a per-hour table of local times
(``cases.common.case_objects``, ``local_times``): the same objects as ``case_object`` and
``_mask`` row by row, including hours where the desk's offset changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from helpers import db as store_db
from helpers.seed import seed_customer

from ops_cli import cases, clock, render
from ops_cli.cases.common import _mask, case_object, local_times

# UTC texts as stored, around the Swedish changes of 2026 (29 March 01:00 UTC, 25 October
# 01:00 UTC), plus texts not in the stored shape that must go the exact way.
TIMES = [
    "2026-03-29T00:59:59+00:00",
    "2026-03-29T01:00:00+00:00",
    "2026-03-29T00:30:00+00:00",
    "2026-10-25T00:59:59+00:00",
    "2026-10-25T01:00:00+00:00",
    "2026-10-25T01:30:00+00:00",
    "2026-10-24T23:15:07+00:00",
    "2026-11-20T09:00:00+00:00",
    "2026-11-20T09:00:00.250000+00:00",
    "2026-11-20T09:00:00",
    "2026-11-20T10:00:00+01:00",
    "1970-01-01T00:00:00+00:00",
]


def _exact(text, tz):
    moment = clock.from_db(text, tz)
    return moment.isoformat() if moment else None


@pytest.mark.parametrize(
    "zone", ["Europe/Stockholm", "UTC", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns"]
)
def test_local_times_match_the_exact_conversion(zone):
    tz = ZoneInfo(zone)
    local = local_times(tz)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    every = [(start + timedelta(minutes=7 * i)).isoformat(timespec="seconds") for i in range(75_000)]
    for text in [*TIMES, *every, *TIMES, None]:
        assert local(text) == _exact(text, tz), text


def test_a_bad_stored_time_still_fails_as_before():
    local = local_times(ZoneInfo("Europe/Stockholm"))
    for text in ("2026-13-01T00:00:00+00:00", "2026-01-01T00:61:00+00:00"):
        with pytest.raises(ValueError):
            local(text)


@pytest.mark.parametrize("include_classified", [False, True])
def test_case_list_objects_are_case_object_masked(env, ops, include_classified):
    seed_customer(ops, "1001", "Kund AB")
    conn = store_db.connect(env.db)
    with conn:
        conn.executemany(
            "INSERT INTO cases (number, customer, reporter, channel, topic, department, status,"
            " subject, resolution, classification, critical, next_callback_at, opened_at,"
            " last_activity_at, closed_at, occurred_at, feedback_hours)"
            " VALUES (?, ?, 'a@kund.example', 'portal', 'fault', 'radio', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    f"2026-{i + 1:05d}",
                    "1001" if i % 3 else None,
                    ("open", "answered", "closed")[i % 3],
                    f"Ämne {i}",
                    "Löst" if i % 2 else None,
                    ("normal", "sensitive", "secret")[i % 3 if i % 4 else 0],
                    i % 2,
                    TIMES[(i + 1) % len(TIMES)],
                    TIMES[i % len(TIMES)],
                    TIMES[(i + 2) % len(TIMES)],
                    TIMES[(i + 3) % len(TIMES)] if i % 3 == 2 else None,
                    TIMES[(i + 4) % len(TIMES)] if i % 2 else None,
                    1.5 if i % 5 == 0 else None,
                )
                for i in range(3 * len(TIMES))
            ],
        )
    conn.close()
    raw = ops.store.query("SELECT * FROM cases ORDER BY opened_at DESC, id DESC")
    expected = [_mask(case_object(ops, row), include_classified) for row in raw]
    got = list(cases.list_cases(ops, include_classified=include_classified))
    assert got == expected
    assert [list(g) for g in got] == [list(e) for e in expected]  # the same key order
    assert any(g["subject"] == "(classified)" for g in got) is not include_classified
    # the JSON writers' texts (one C-encoder call a batch of rows): what to_json writes a dict
    texts = list(cases.list_cases(ops, include_classified=include_classified).json())
    assert texts == [render.to_json(e, indent=None) for e in expected]


ODD_ROWS = [
    ("x\x00y]\x00[", None, True, 1.5),
    ("é ✓ \u2028", [1], {"k": "v"}, Decimal("2")),
    ("", [1, 2], 3, datetime(2026, 1, 1, tzinfo=UTC)),
    ('"]\\', "%s %(x)s", False, -0.0),
    ("a", "b", "c", {1}),
]


@pytest.mark.parametrize("batch", [1, 2, 200])
def test_flat_json_texts_are_what_to_json_writes(batch):
    """``render.iter_flat_json_texts`` (a listing's JSON rows from value tuples): byte for byte
    ``to_json`` of each row's dict, whatever the values hold (control characters, brackets,
    ``%``, non-ASCII, a nested value, which takes the per-row way)."""
    columns = ["a", "b%s", 'c"q', "d"]
    got = list(render.iter_flat_json_texts(columns, iter(ODD_ROWS), batch=batch))
    assert got == [render.to_json(dict(zip(columns, row, strict=True)), indent=None) for row in ODD_ROWS]


def test_flat_json_texts_refuse_a_row_of_another_width():
    with pytest.raises(ValueError):
        list(render.iter_flat_json_texts(["a", "b"], [("x", 1), ("y",)]))
