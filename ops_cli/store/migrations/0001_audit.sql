-- The audit log: who changed what, when, with the object before and after.
-- Append-only: the triggers refuse UPDATE and DELETE.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,          -- UTC ISO 8601
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,          -- e.g. roster.add, sub.change
    object  TEXT NOT NULL,          -- e.g. customer:1001, case:2026-00001
    before  TEXT,                   -- JSON
    after   TEXT                    -- JSON
);

CREATE INDEX audit_object ON audit (object);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Small facts about the store itself (e.g. which demo data sets are loaded).
CREATE TABLE meta (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
