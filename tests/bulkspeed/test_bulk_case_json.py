"""`ops case list -f json|jsonl` (issue 16): the store writes each case's JSON but the desk-local
times; byte for byte the text the C encoder writes for the listed case's dict."""

from __future__ import annotations

import pytest
from helpers.db import query

from ops_cli import render, roster
from ops_cli.cases import list_cases

STAMP = "2026-11-18T09:00:00+00:00"
SUBJECTS = [
    'Quote " and back\\slash',
    "tab\tnew\nline\rcr\x07bell\x1f",
    "Unicode åäö — ✓ \u2028 emoji 🚒",
    "",
    "{brace} [bracket], comma: colon",
]


@pytest.fixture
def cases(env, ops):
    roster.add_customer(ops, "1001", name='Kund "Ett" AB')
    rows = []
    for i, subject in enumerate(SUBJECTS * 3):
        classification = ("normal", "sensitive", "secret")[i % 3]
        rows.append(
            (
                f"2026-{i + 1:05d}",
                "1001" if i % 4 else None,
                classification,
                i % 2,
                ("open", "answered", "closed")[i % 3],
                subject,
                None if i % 3 == 0 else f"Löst {i}: {subject}",
                (None, 24.0, 0.1 + 0.2, 36.5)[i % 4],
                None if i % 2 else STAMP,
                f"2026-11-{1 + i:02d}T0{i % 10}:30:00+00:00",
                None if i % 5 else "2026-03-29T01:30:00+00:00",  # the night summer time starts
                None if i % 3 != 2 else STAMP,
            )
        )
    with ops.store.write() as st:
        st.executemany(
            "INSERT INTO cases (number, customer, reporter, channel, topic, department, classification,"
            " critical, status, subject, resolution, feedback_hours, next_callback_at, opened_at,"
            " last_activity_at, occurred_at, closed_at) VALUES (?, ?, 'r@x.example', 'portal', 'fault',"
            " 'radio', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r[:9], r[9], r[9], r[10], r[11]) for r in rows],
        )
    env.now = "2026-11-20T10:00"
    return env


@pytest.mark.parametrize("classified", [False, True])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_store_written_json_is_the_encoders_text(cases, ops, classified, fmt):
    args = ["case", "list", "-f", fmt, *(["--include-classified"] if classified else [])]
    run = cases.cli(*args)
    assert run.code == 0, run.stderr
    dicts = list(list_cases(ops, include_classified=classified))  # the dict path (tuples, C encoder)
    assert len(dicts) == len(SUBJECTS) * 3
    expected = render.iter_json(dicts) if fmt == "json" else render.iter_jsonl(dicts)
    assert run.stdout == "".join(expected)
    masked = [d for d in dicts if d["classification"] != "normal" and d["subject"]]
    assert masked and all((d["subject"] == "(classified)") != classified for d in masked)
    assert {d["feedback_hours"] for d in dicts} == {None, 24.0, 0.1 + 0.2, 36.5}


def test_filters_and_limit_apply_to_the_json_too(cases):
    run = cases.cli("case", "list", "-f", "json", "--status", "open", "--limit", "2")
    assert run.code == 0, run.stderr
    assert [c["status"] for c in run.json()] == ["open", "open"]
    assert len(query(cases.db, "SELECT 1 FROM cases WHERE status = 'open'")) > 2
