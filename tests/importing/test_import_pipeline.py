"""The pipeline's own guarantees, shown with a small importer built on its public API:
plan inside the write transaction, --dry-run writes nothing, --skip-invalid writes the
rejected rows before the commit and leaves no rejected-rows file when the write fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops_cli.errors import Conflict
from ops_cli.importing import Importer, Options, run_import
from ops_cli.sheets import Column


class NoteImporter(Importer):
    """Writes one audit record per good row (column ``note``; a note 'bad' is invalid)."""

    columns = (Column("note"),)
    fail_on_write = False

    def validate(self, source, problems):
        good = []
        for r in source.rows:
            if r.values["note"] == "bad":
                problems.reject(r.row, r.values, [("note", "bad note")])
            else:
                good.append(r.values["note"])
        return good

    def plan(self, store, batch, problems):
        self.planned_in_transaction = store.in_transaction
        return batch

    def write(self, st, plan):
        for note in plan:
            st.audit("test", "note.import", f"note:{note}", None, {"note": note})
        if self.fail_on_write:
            raise Conflict("the write failed")

    def result(self, plan, outcome):
        return {"written": len(plan), **outcome.fields(), "rejected_file": outcome.rejected_file}


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.csv"
    path.write_text("note\nfirst\nbad\nsecond\n", encoding="utf-8")
    return path


def test_plan_runs_inside_the_write_transaction(ops, notes):
    importer = NoteImporter(ops, Options(skip_invalid=True))
    result = run_import(importer, notes)
    assert importer.planned_in_transaction is True
    assert result["written"] == 2
    assert Path(result["rejected_file"]).read_text(encoding="utf-8-sig").splitlines()[1].startswith("3,bad,")


def test_dry_run_plans_outside_and_writes_nothing(ops, env, notes):
    _ = ops.store
    before = env.snapshot()
    importer = NoteImporter(ops, Options(dry_run=True, skip_invalid=True))
    result = run_import(importer, notes)
    assert (result["dry_run"], result["rejected_file"]) == (True, None)
    assert not Path(f"{notes}.rejected.csv").exists()
    assert env.snapshot() == before


def test_a_failed_write_commits_nothing_and_leaves_no_rejected_file(ops, env, notes):
    _ = ops.store
    before = env.snapshot()
    importer = NoteImporter(ops, Options(skip_invalid=True))
    importer.fail_on_write = True
    with pytest.raises(Conflict):
        run_import(importer, notes)
    assert not Path(f"{notes}.rejected.csv").exists()
    assert env.snapshot() == before


def test_without_skip_invalid_every_problem_is_listed(ops, notes):
    from ops_cli.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        run_import(NoteImporter(ops, Options()), notes)
    assert str(exc.value) == f"{notes}: 1 bad row (1 problem); nothing was imported"
    assert [str(p) for p in exc.value.problems] == [f"{notes}:3: note: bad note"]
