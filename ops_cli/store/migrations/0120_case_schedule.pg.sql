-- Cases (issue 13.5, 13.19): the feedback schedule restarts from a reopening,
-- and a case of a not yet known customer records the organisation ("Kommun/
-- Företag") and the reporter's name and phone.
--
-- schedule_from: when the current open period began (the opening, or the last
-- reopening); callbacks made before it do not count. Backfilled from the
-- opening, or the last reopening recorded in the history.
ALTER TABLE cases ADD COLUMN schedule_from TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN organisation TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN reporter_name TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN reporter_phone TEXT COLLATE "C";

UPDATE cases SET schedule_from = COALESCE(
    (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id AND e.event = 'reopened'),
    opened_at
);
