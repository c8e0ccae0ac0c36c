-- SLA support codes: one per customer, stored only as a salted KDF hash
-- (never the code itself), and every try to verify one (for the lock-out).
CREATE TABLE sla_codes (
    customer    TEXT PRIMARY KEY REFERENCES customers (number),
    kdf         TEXT NOT NULL,      -- e.g. 'scrypt:n=16384,r=8,p=1'
    salt        TEXT NOT NULL,      -- hex, random per code
    hash        TEXT NOT NULL,      -- hex
    set_at      TEXT NOT NULL,      -- UTC ISO 8601
    set_by      TEXT NOT NULL
);

-- Tries to verify a code: 'fail' counts towards the lock-out, 'ok' and 'set'
-- start the count again, 'refused' is a try made while locked out.
CREATE TABLE sla_code_tries (
    id          INTEGER PRIMARY KEY,
    customer    TEXT NOT NULL REFERENCES customers (number),
    at          TEXT NOT NULL,      -- UTC ISO 8601
    outcome     TEXT NOT NULL CHECK (outcome IN ('fail', 'ok', 'set', 'refused'))
);
CREATE INDEX sla_code_tries_customer ON sla_code_tries (customer, at);
