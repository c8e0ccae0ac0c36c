-- The audit's `at` is the real time of the write; `business_at` is the business time
-- (OPS_NOW, --at) when it differs from the real time. `origin` marks records written by the
-- demo loader ('demo'), so `ops init --demo` can tell demo data from the user's changes.
ALTER TABLE audit ADD COLUMN business_at TEXT COLLATE "C";
ALTER TABLE audit ADD COLUMN origin TEXT COLLATE "C";
