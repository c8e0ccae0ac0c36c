-- Changesets: one row per write transaction that changed something (a command run), with the
-- exact before/after image of every row it inserted, updated or deleted, so `ops undo` can
-- revert it. The row images are written by per-connection TEMP triggers that ops-cli creates
-- from `PRAGMA table_info` (ops_cli/store/changes.py), so tables added later are covered too.
CREATE TABLE changesets (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,      -- real time (UTC ISO 8601) the transaction began
    business_at TEXT,               -- business time (OPS_NOW, --at) when it differs
    actor       TEXT,               -- who acted (the first audit record's actor)
    command     TEXT,               -- the command line, shell-quoted
    origin      TEXT,               -- 'demo' while the demo loader runs
    undoes      INTEGER REFERENCES changesets (id)  -- the changeset this one reverted
);

CREATE TABLE row_changes (
    id           INTEGER PRIMARY KEY,
    changeset_id INTEGER NOT NULL REFERENCES changesets (id),
    tbl          TEXT NOT NULL,
    op           TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    rid          INTEGER NOT NULL,  -- the row's rowid after the change (before it, for delete)
    old_rid      INTEGER,           -- update only: the rowid before, when the change moved it
    before       TEXT,              -- JSON object of every column (NULL for insert)
    after        TEXT               -- JSON object of every column (NULL for delete)
);

CREATE INDEX row_changes_changeset ON row_changes (changeset_id);

ALTER TABLE audit ADD COLUMN changeset_id INTEGER;

CREATE INDEX audit_changeset ON audit (changeset_id);

-- The audit stays append-only; the one change allowed is giving a record written by a bulk
-- statement (INSERT ... SELECT) its changeset, once, every other column unchanged.
DROP TRIGGER audit_no_update;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN NOT (
    OLD.changeset_id IS NULL AND NEW.changeset_id IS NOT NULL
    AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.business_at IS OLD.business_at
    AND NEW.origin IS OLD.origin AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action
    AND NEW.object IS OLD.object AND NEW.before IS OLD.before AND NEW.after IS OLD.after
)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
