-- Indexes for the listings (issue 16): every list query uses an index, or is a deliberate
-- full scan (tests/output/test_query_plans.py shows each plan).
--
-- The next due callback of open cases: `case callbacks`, `case list --overdue`. Partial, so
-- it holds only the open cases with a due time (closed cases are most of a big store).
-- The query repeats the index's condition word for word, which lets SQLite use it.
CREATE INDEX cases_due_open ON cases (next_callback_at)
    WHERE status <> 'closed' AND next_callback_at IS NOT NULL;

-- The last activity of open cases: `case stale`.
CREATE INDEX cases_active_open ON cases (last_activity_at) WHERE status <> 'closed';

-- `roster list` in its order (customer as a number, then its text, then email), so the
-- listing streams from the index without a sort of the whole roster.
CREATE INDEX roster_entries_listing ON roster_entries (CAST(customer AS BIGINT), customer, email);
