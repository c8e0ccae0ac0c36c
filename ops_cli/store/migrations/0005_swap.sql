-- Swap (spare-phone) stock: units the customer owns and the desk keeps,
-- shipments of a unit on a case, repairs, per-model targets and freight billing marks.
-- Times are UTC ISO 8601 text; dates are YYYY-MM-DD text (desk-local days).

CREATE TABLE swap_units (
    serial          TEXT PRIMARY KEY,               -- serial number or IMEI, upper case, unique store-wide
    customer        TEXT NOT NULL REFERENCES customers (number),
    model           TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'in_stock'
                    CHECK (state IN ('in_stock', 'on_loan', 'swapped_out', 'in_repair', 'retired')),
    origin          TEXT NOT NULL DEFAULT 'stock' CHECK (origin IN ('stock', 'user')),  -- user: a user's broken phone
    added_at        TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX swap_units_customer ON swap_units (customer, state, model);

-- One spare sent to a user on a case. The quality report reads this table.
CREATE TABLE swap_shipments (
    id              INTEGER PRIMARY KEY,
    customer        TEXT NOT NULL REFERENCES customers (number),
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    case_number     TEXT NOT NULL,
    serial          TEXT NOT NULL REFERENCES swap_units (serial),
    model           TEXT NOT NULL,
    policy          TEXT NOT NULL CHECK (policy IN ('loan', 'exchange')),
    registered_at   TEXT NOT NULL,                  -- when the request was registered (UTC)
    ship_date       TEXT NOT NULL,                  -- the working day it counts as registered and is sent
    delivery_date   TEXT NOT NULL,                  -- promised delivery: the working day after ship_date
    delivered_at    TEXT,                           -- when delivery was confirmed (UTC), NULL until then
    returned_at     TEXT,                           -- when the loan or the broken phone came back (UTC)
    out_of_warranty INTEGER NOT NULL DEFAULT 0,     -- billed to the customer directly
    created_by      TEXT NOT NULL
);
CREATE INDEX swap_shipments_customer ON swap_shipments (customer, ship_date);
CREATE INDEX swap_shipments_case ON swap_shipments (case_id);
CREATE INDEX swap_shipments_serial ON swap_shipments (serial);

-- A unit sent to the service workshop.
CREATE TABLE swap_repairs (
    id              INTEGER PRIMARY KEY,
    serial          TEXT NOT NULL REFERENCES swap_units (serial),
    customer        TEXT NOT NULL REFERENCES customers (number),
    shipment_id     INTEGER REFERENCES swap_shipments (id),
    sent_at         TEXT NOT NULL,
    done_at         TEXT,
    out_of_warranty INTEGER NOT NULL DEFAULT 0      -- billed to the customer directly
);
CREATE INDEX swap_repairs_serial ON swap_repairs (serial);
CREATE INDEX swap_repairs_customer ON swap_repairs (customer, sent_at);

-- Per-model stock targets (otherwise the customer's target is spread by stock share).
CREATE TABLE swap_model_targets (
    customer        TEXT NOT NULL REFERENCES customers (number),
    model           TEXT NOT NULL,
    target          INTEGER NOT NULL CHECK (target >= 0),
    PRIMARY KEY (customer, model)
);

-- Freight billing: one mark per customer and billed month, so a month is not billed twice.
CREATE TABLE swap_freight_bills (
    month           TEXT NOT NULL,                  -- YYYY-MM
    customer        TEXT NOT NULL REFERENCES customers (number),
    shipments       INTEGER NOT NULL,
    packaging       TEXT NOT NULL,                  -- decimal amount as text
    freight         TEXT NOT NULL,
    total           TEXT NOT NULL,
    currency        TEXT NOT NULL,
    out_of_warranty INTEGER NOT NULL,
    billed_at       TEXT NOT NULL,
    billed_by       TEXT NOT NULL,
    PRIMARY KEY (month, customer)
);
