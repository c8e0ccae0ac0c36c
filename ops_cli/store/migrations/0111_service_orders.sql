-- Orders by a customer's orderer other than ISSI/TEI changes (issue 13.17):
-- new subscriptions (`ops sub order`) and add-on services (`ops sub addon`).
-- Each has its order case (topic `order`) and a promised date; `ops sub
-- deliver CASE` delivers it. Kept apart from change_orders, which the
-- delivery report reads. Times UTC ISO text, dates desk-local YYYY-MM-DD.
CREATE TABLE service_orders (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL UNIQUE REFERENCES cases (id),
    customer        TEXT NOT NULL REFERENCES customers (number),
    kind            TEXT NOT NULL CHECK (kind IN ('new', 'addon-add', 'addon-remove')),
    quantity        INTEGER NOT NULL CHECK (quantity >= 1),     -- subscriptions ordered or changed
    detail          TEXT NOT NULL,                              -- JSON: kind/rows or service/issis
    received_at     TEXT NOT NULL,
    receipt_day     TEXT NOT NULL,
    due_date        TEXT NOT NULL,
    delivered_at    TEXT,
    delivered_on    TEXT,
    delivered_by    TEXT,
    created_by      TEXT NOT NULL
);
CREATE INDEX service_orders_customer ON service_orders (customer, received_at);
