"""`--lang sv|da|en` for the terminal and Markdown quarterly report (issue 15, first part):
words from the catalogues, month names and numbers by Babel's locale rules."""

from __future__ import annotations

import io

import pytest
from test_report_quarterly import add_customers, import_rows, mean_passes_ratio_fails

from ops_cli.reports.language import language
from ops_cli.reports.quarterly import quarterly

NBSP = "\u00a0"  # Babel's Swedish group separator
Q3 = ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3")


@pytest.fixture
def seeded(env, ops):
    add_customers(ops)
    import_rows(ops, env.tmp, mean_passes_ratio_fails())
    env.now = "2026-10-05T09:00"
    return ops


def test_swedish_markdown(env, seeded):
    run = env.cli(*Q3, "--lang", "sv", "-f", "md")
    assert run.code == 0, run.stderr
    md = run.stdout
    assert md.startswith("# SLA-rapport 2026Q3 · Nordbygg AB (2001)\n")
    assert "1 juli – 30 sep. 2026 · nivå gold · garanterat 98,00 % för CSSR och CTSR" in md
    assert "| Zon | Period | Försök | CSSR % | CTSR % | Resultat |" in md
    assert f"|  | sep. 2026 | 10{NBSP}000 | 95,00 | 100,00 | EJ GODKÄND |" in md
    assert f"| **Q3 totalt** | **10{NBSP}200** | **95,09** | **100,00** | **EJ GODKÄND** |" in md
    assert "| Göteborg | juli 2026 | 5" in md
    assert f"Vite: 10{NBSP}000 SEK — 1 zon nådde inte den garanterade nivån (Borås) × 10{NBSP}000 SEK." in md
    assert "| Första återkoppling i tid | inga återkopplingar förfallna |" in md


def test_danish_plain_text(env, seeded):
    run = env.cli(*Q3, "--lang", "da")
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "SLA-rapport 2026Q3 · Nordbygg AB (2001)"
    assert any(
        line.split() == ["Q3", "i", "alt", "10.200", "95,09", "100,00", "IKKE", "BESTÅET"] for line in lines
    )
    penalty = "Bod: 10.000 SEK — 1 zone nåede ikke det garanterede niveau (Borås) × 10.000 SEK."
    assert penalty in " ".join(lines)  # wrapped at 80 columns
    assert max(len(line) for line in lines) <= 80


def test_the_default_follows_the_desks_country(env, seeded):
    """report.lang = "auto" (the default): calendar.country SE -> Swedish, DK -> Danish, else English."""
    swedish = env.cli(*Q3, "-f", "md")
    assert swedish.stdout == env.cli(*Q3, "-f", "md", "--lang", "sv").stdout
    assert swedish.stdout.startswith("# SLA-rapport 2026Q3")
    env.config.write_text('[calendar]\ncountry = "DK"\n', encoding="utf-8")
    assert env.cli(*Q3, "-f", "md").stdout == env.cli(*Q3, "-f", "md", "--lang", "da").stdout
    env.config.write_text('[calendar]\ncountry = "NO"\n', encoding="utf-8")
    assert env.cli(*Q3, "-f", "md").stdout.startswith("# SLA report 2026Q3")


def test_english_is_unchanged(env, seeded):
    english = env.cli(*Q3, "-f", "md", "--lang", "en")
    assert "| **Q3 total** | **10,200** | **95.09** | **100.00** | **FAIL** |" in english.stdout


def test_machine_formats_are_language_neutral(env, seeded):
    for fmt in ("json", "csv"):
        assert env.cli(*Q3, "-f", fmt, "--lang", "sv").stdout == env.cli(*Q3, "-f", fmt).stdout


def test_a_swedish_markdown_file(env, seeded):
    out = env.tmp / "rapport.md"
    run = env.cli(*Q3, "--lang", "sv", "-o", str(out))
    assert run.code == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("# SLA-rapport 2026Q3")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--lang", "fi"), "error: --lang: 'fi' is not a report language; use one of en, sv, da"),
        (("--lang", "SV-x", "-o", "r.xlsx"), "error: --lang: 'sv-x' is not a report language"),
    ],
)
def test_refused_languages_exit_3_and_write_nothing(env, seeded, extra, message):
    before = env.snapshot()
    run = env.cli(*Q3, *extra)
    assert run.code == 3
    assert message in run.stderr
    assert env.snapshot() == before
    assert not (env.tmp / "r.xlsx").exists() and not (env.tmp / "r.html").exists()


def test_rich_terminal_in_swedish_fits_80_columns(seeded):
    from rich.console import Console

    from ops_cli.reports.terminal import renderables

    console = Console(file=io.StringIO(), width=80, no_color=True, force_terminal=False)
    for item in renderables(quarterly(seeded, "2001", "2026Q3"), language("sv")):
        console.print(item)
    text = console.file.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "SLA-rapport 2026Q3" in text and "Q3 totalt" in text and "EJ GODKÄND" in text


def test_every_catalogue_has_the_same_keys():
    keys = {code: set(language(code).words) for code in ("en", "sv", "da")}
    assert keys["sv"] == keys["en"] and keys["da"] == keys["en"]


def test_the_configured_language_is_the_default(env, seeded):
    env.config.write_text('[report]\nlang = "sv"\n', encoding="utf-8")
    run = env.cli(*Q3, "-f", "md")
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("# SLA-rapport 2026Q3")
    english = env.cli(*Q3, "-f", "md", "--lang", "en")  # --lang wins
    assert english.stdout.startswith("# SLA report 2026Q3")


def test_an_unknown_configured_language_names_the_key(env, seeded):
    env.config.write_text('[report]\nlang = "fi"\n', encoding="utf-8")
    before = env.snapshot()
    run = env.cli(*Q3)
    assert run.code == 3
    assert "report.lang must be one of auto, en, sv, da, not 'fi'" in run.stderr
    assert env.snapshot() == before
