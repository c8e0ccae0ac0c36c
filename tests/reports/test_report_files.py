"""Every `-o` file of `ops report` goes through the one writer: existing files need --force
(exit 6), symlinks are refused (exit 3), files are created 0600, no partial file is left."""

from __future__ import annotations

import os
import stat

import pytest
from test_report_quarterly import add_customers, english, import_rows, mean_passes_ratio_fails

COMMANDS = {
    "quarterly.xlsx": ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3"),
    "quarterly.html": ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3"),
    "quarterly.md": ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3"),
    "quarterly.pdf": ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3"),
    "quality.csv": ("report", "quality", "-c", "2001", "--from", "2026-07-01", "--to", "2026-09-30"),
    "delivery.json": ("report", "delivery", "--from", "2026-07-01", "--to", "2026-09-30"),
    "due.md": ("report", "due", "--quarter", "2026Q3"),
}


@pytest.fixture
def world(env, ops):
    add_customers(ops)
    import_rows(ops, env.tmp, mean_passes_ratio_fails())
    env.now = "2026-10-08T09:00"
    english(env)
    return ops


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_new_file_is_0600_and_an_existing_one_needs_force(env, world, name):
    out = env.tmp / name
    run = env.cli(*COMMANDS[name], "-o", str(out))
    assert run.code == 0, run.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    first = out.read_bytes()
    out.write_bytes(b"old")
    before = env.snapshot()
    refused = env.cli(*COMMANDS[name], "-o", str(out))
    assert refused.code == 6
    assert f"error: {out} already exists; use --force to replace it" in refused.stderr
    assert out.read_bytes() == b"old" and env.snapshot() == before
    forced = env.cli(*COMMANDS[name], "-o", str(out), "--force")
    assert forced.code == 0, forced.stderr
    assert out.read_bytes() == first
    assert sorted(p.name for p in env.tmp.iterdir() if p.name.startswith(".")) == []  # no temp file left


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_symlink_target_is_refused_even_with_force(env, world, name):
    victim = env.tmp / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = env.tmp / name
    os.symlink(victim, link)
    before = env.snapshot()
    for extra in ((), ("--force",)):
        run = env.cli(*COMMANDS[name], "-o", str(link), *extra)
        assert run.code == 3
        assert f"error: cannot write {link}: it is a symbolic link (not followed)" in run.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n" and link.is_symlink()
    assert env.snapshot() == before


def test_a_missing_folder_is_one_error_line(env, world):
    before = env.snapshot()
    run = env.cli(*COMMANDS["due.md"], "-o", str(env.tmp / "nowhere" / "due.md"))
    assert run.code == 3
    assert run.stderr.count("error:") == 1 and "the folder" in run.stderr and "does not exist" in run.stderr
    assert env.snapshot() == before


def test_an_unknown_extension_is_refused_before_anything(env, world):
    before = env.snapshot()
    run = env.cli(*COMMANDS["due.md"], "-o", str(env.tmp / "due.docx"))
    assert run.code == 3
    assert "unknown report file type '.docx'; use one of .md, .csv, .json, .xlsx, .html, .pdf" in run.stderr
    assert not (env.tmp / "due.docx").exists() and env.snapshot() == before
