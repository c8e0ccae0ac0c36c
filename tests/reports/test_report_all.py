"""`ops report quarterly --all [--tier ...] -o 'out/{customer}-{quarter}.pdf'` (issue 15): every
tiered customer's report in one run, bronze without an order skipped and listed, a failure
listed while the others are still written (exit 1)."""

from __future__ import annotations

import pytest
from test_report_pdf import pages_of
from test_report_quarterly import add_customers, english, import_rows, mean_passes_ratio_fails

ALL = ("report", "quarterly", "--all", "--quarter", "2026Q3")


@pytest.fixture
def seeded(env, ops):
    """2001 gold and 3001 silver (on schedule), 2002 bronze (on order, none recorded), 1001 no tier."""
    add_customers(ops)
    import_rows(ops, env.tmp, mean_passes_ratio_fails())
    env.now = "2026-10-05T09:00"
    english(env)
    return ops


def test_one_pdf_per_tiered_customer_of_the_demo_store(env):
    assert env.run("init", "--demo").code == 0
    env.now = "2026-10-08T09:00"
    template = str(env.tmp / "out" / "{customer}-{quarter}.pdf")
    run = env.run("report", "quarterly", "--all", "--quarter", "last", "-o", template)
    assert run.code == 0, run.stderr
    out = env.tmp / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "2001-2026Q3.pdf",
        "2002-2026Q3.pdf",
    ]  # gold, bronze ordered
    assert "Nordbygg AB (2001)" in pages_of(out / "2001-2026Q3.pdf")[0]
    assert "Café Bönan (2002)" in pages_of(out / "2002-2026Q3.pdf")[0]
    assert "2026Q3: 2 written, 0 skipped, 0 failed" in run.stdout
    assert "\r" not in run.stderr and "━" not in run.stderr  # no progress bar when not on a terminal


def test_bronze_without_an_order_is_skipped_and_listed(env, seeded):
    before = env.snapshot()
    run = env.cli(*ALL, "-o", str(env.tmp / "{customer}-{quarter}.md"), "-f", "json")
    assert run.code == 0, run.stderr
    result = run.json()
    status = {r["customer"]: r["status"] for r in result["customers"]}
    assert status == {"2001": "written", "2002": "skipped", "3001": "written"}
    assert (result["written"], result["skipped"], result["failed"]) == (2, 1, 0)
    assert sorted(p.name for p in env.tmp.glob("*.md")) == ["2001-2026Q3.md", "3001-2026Q3.md"]
    assert env.snapshot() == before  # no order recorded, nothing billed
    text = env.cli(*ALL, "-o", str(env.tmp / "{customer}-{quarter}.md"), "--force")
    assert "(skipped, made on order without an order: 2002)" in text.stdout


def test_tier_filter(env, seeded):
    run = env.cli(*ALL, "--tier", "silver", "-o", str(env.tmp / "{tier}-{customer}.pdf"))
    assert run.code == 0, run.stderr
    assert [p.name for p in env.tmp.glob("*.pdf")] == ["silver-3001.pdf"]


def test_a_failed_customer_exits_1_and_the_others_are_written(env, seeded):
    (env.tmp / "2001-2026Q3.pdf").write_bytes(b"old")
    run = env.cli(*ALL, "-o", str(env.tmp / "{customer}-{quarter}.pdf"), "-f", "json")
    assert run.code == 1
    rows = {r["customer"]: r for r in run.json()["customers"]}
    assert rows["2001"]["status"] == "failed"
    assert "2001-2026Q3.pdf already exists; use --force to replace it" in rows["2001"]["detail"]
    assert (env.tmp / "2001-2026Q3.pdf").read_bytes() == b"old"
    assert rows["3001"]["status"] == "written" and (env.tmp / "3001-2026Q3.pdf").read_bytes().startswith(
        b"%PDF"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "error: --all needs -o FILE with {customer} in it"),
        (("-o", "all.pdf"), "with --all the file name needs {customer}"),
        (("-o", "{name}.pdf"), "unknown placeholder {name}; use {customer}, {quarter} or {tier}"),
        (("-o", "{customer}.docx"), "unknown report file type '.docx'"),
        (("-o", "{customer}.pdf", "--tier", "platinum"), "--tier: 'platinum' is not an SLA tier"),
        (("-o", "{customer}.pdf", "-c", "2001"), "give --customer NUMBER or --all (not both)"),
        (("-o", "{customer}.pdf", "--ordered-by", "a@b.example"), "not with --all"),
        (("-o", "{customer}.pdf", "--lang", "fi"), "--lang: 'fi' is not a report language"),
    ],
)
def test_bad_all_options_exit_3_and_write_nothing(env, seeded, extra, message):
    before = env.snapshot()
    files_before = sorted(p.name for p in env.tmp.iterdir())
    run = env.cli(*ALL, *extra)
    assert run.code == 3, run.stderr
    assert message in run.stderr
    assert env.snapshot() == before and sorted(p.name for p in env.tmp.iterdir()) == files_before


def test_neither_customer_nor_all_is_refused(env, seeded):
    run = env.cli("report", "quarterly", "--quarter", "2026Q3")
    assert run.code == 3 and "error: give --customer NUMBER or --all" in run.stderr
    tier = env.cli("report", "quarterly", "--quarter", "2026Q3", "-c", "2001", "--tier", "gold")
    assert tier.code == 3 and "error: --tier: only with --all" in tier.stderr
