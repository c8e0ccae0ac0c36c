-- Customers, their rosters, subscriptions and cases: the tables every group uses.
-- Times are UTC ISO 8601 text; dates are YYYY-MM-DD text.

CREATE TABLE customers (
    number          TEXT PRIMARY KEY,               -- digits, the key used everywhere
    name            TEXT NOT NULL,
    department      TEXT,                           -- account department: all its cases route there
    kam             INTEGER NOT NULL DEFAULT 0,     -- key-account managed
    agreement       TEXT,                           -- free text; config lists the SLA-eligible ones
    binding_until   TEXT,                           -- date
    sla_tier        TEXT NOT NULL DEFAULT 'none',   -- none or a tier of config sla.tiers
    service_level   TEXT NOT NULL DEFAULT 'none' CHECK (service_level IN ('none', 'bas', 'prof')),
    fleet           INTEGER NOT NULL DEFAULT 0 CHECK (fleet >= 0),
    swap_policy     TEXT NOT NULL DEFAULT 'loan' CHECK (swap_policy IN ('loan', 'exchange')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- People whose address is on one of these domains are the customer's users.
CREATE TABLE customer_domains (
    domain      TEXT PRIMARY KEY,                   -- lower case, e.g. polisen.example
    customer    TEXT NOT NULL REFERENCES customers (number)
);
CREATE INDEX customer_domains_customer ON customer_domains (customer);

-- A person or a function (a group sharing one address) with one or more roles.
CREATE TABLE roster_entries (
    customer    TEXT NOT NULL REFERENCES customers (number),
    email       TEXT NOT NULL,                      -- lower case
    name        TEXT NOT NULL,
    phone       TEXT,                               -- text as given: +46..., 070-...
    kind        TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'function')),
    roles       TEXT NOT NULL,                      -- sorted, comma-separated: contact,orderer
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (customer, email)
);
CREATE INDEX roster_entries_email ON roster_entries (email);

CREATE TABLE subscriptions (
    issi            INTEGER PRIMARY KEY CHECK (issi BETWEEN 1 AND 16777214),
    customer        TEXT NOT NULL REFERENCES customers (number),
    tei             TEXT CHECK (tei IS NULL OR length(tei) = 15),   -- 15 upper-case hex digits
    msisdn          TEXT,
    kind            TEXT NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'standby')),
    status          TEXT NOT NULL DEFAULT 'inactive' CHECK (status IN ('active', 'inactive', 'terminated')),
    addons          TEXT NOT NULL DEFAULT '',       -- comma-separated add-on services
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX subscriptions_customer ON subscriptions (customer);
-- A TEI is bound to at most one subscription that is not terminated.
CREATE UNIQUE INDEX subscriptions_live_tei ON subscriptions (tei) WHERE tei IS NOT NULL AND status <> 'terminated';

-- Case numbers are year plus a per-year sequence, allocated inside the
-- opening transaction so concurrent writers never share or reuse one.
CREATE TABLE case_sequences (
    year    INTEGER PRIMARY KEY,
    last    INTEGER NOT NULL
);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    number              TEXT NOT NULL UNIQUE,       -- e.g. 2026-00042
    customer            TEXT REFERENCES customers (number),   -- NULL for a not yet known customer
    reporter            TEXT NOT NULL,
    channel             TEXT NOT NULL CHECK (channel IN ('portal', 'email', 'phone', 'radio', 'sla')),
    topic               TEXT NOT NULL,
    area                TEXT,                       -- business area
    facility            TEXT,
    occurred_at         TEXT,
    department          TEXT NOT NULL,
    agent               TEXT,
    priority            TEXT NOT NULL DEFAULT 'normal',
    critical            INTEGER NOT NULL DEFAULT 0,
    classification      TEXT NOT NULL DEFAULT 'normal' CHECK (classification IN ('normal', 'sensitive', 'secret')),
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    subject             TEXT NOT NULL,
    resolution          TEXT,
    sla_tier            TEXT,                       -- tier whose hours run this case's callbacks
    feedback_hours      REAL,                       -- agreed interval on this case (overrides the topic)
    next_callback_at    TEXT,
    opened_at           TEXT NOT NULL,
    last_activity_at    TEXT NOT NULL,
    closed_at           TEXT
);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_customer ON cases (customer, opened_at);
CREATE INDEX cases_department ON cases (department, status);
CREATE INDEX cases_opened ON cases (opened_at);

-- The thread: customer messages, agent replies and internal notes.
CREATE TABLE case_entries (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    kind        TEXT NOT NULL CHECK (kind IN ('message', 'reply', 'note')),
    author      TEXT NOT NULL,
    body        TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX case_entries_case ON case_entries (case_id);

-- Everything that happened to a case (opened, routed, assigned, closed...).
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    event       TEXT NOT NULL,
    detail      TEXT                                -- JSON
);
CREATE INDEX case_events_case ON case_events (case_id);

-- Named third parties the desk may exchange information with on a case.
CREATE TABLE case_grants (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    name        TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  TEXT NOT NULL
);
CREATE INDEX case_grants_case ON case_grants (case_id);

-- Feedback callbacks made (and which due time each one answered).
CREATE TABLE case_callbacks (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    due_at      TEXT,
    made_at     TEXT NOT NULL,
    made_by     TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX case_callbacks_case ON case_callbacks (case_id);
