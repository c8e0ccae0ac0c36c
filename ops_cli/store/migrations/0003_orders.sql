-- ISSI/TEI change orders (`ops sub change`) and the changes each one holds.
-- Times are UTC ISO 8601 text; dates are desk-local YYYY-MM-DD text.
-- `ops report delivery` reads change_orders: an order is on time when
-- delivered_on <= due_date.

CREATE TABLE change_orders (
    id              INTEGER PRIMARY KEY,                        -- the order id
    case_id         INTEGER NOT NULL UNIQUE REFERENCES cases (id),  -- its order case (topic `order`)
    customer        TEXT NOT NULL REFERENCES customers (number),
    received_at     TEXT NOT NULL,                              -- when the order came in (UTC)
    receipt_day     TEXT NOT NULL,                              -- working day it counts as received on
    due_date        TEXT NOT NULL,                              -- promised delivery date
    urgent          INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    change_count    INTEGER NOT NULL CHECK (change_count >= 1),
    delivered_at    TEXT,                                       -- NULL until delivered (UTC)
    delivered_on    TEXT,                                       -- desk-local date of delivered_at
    delivered_by    TEXT,
    created_by      TEXT NOT NULL                               -- the orderer who asked
);
CREATE INDEX change_orders_customer ON change_orders (customer, received_at);
CREATE INDEX change_orders_received ON change_orders (received_at);
CREATE INDEX change_orders_delivered ON change_orders (delivered_at);

-- One row per subscription changed: the ISSI it had, and the TEI/ISSI before and after.
CREATE TABLE change_order_items (
    order_id    INTEGER NOT NULL REFERENCES change_orders (id),
    row         INTEGER NOT NULL,                               -- the order sheet's own row number
    issi        INTEGER NOT NULL,                               -- ISSI when the order came in
    new_issi    INTEGER,                                        -- NULL: ISSI kept
    old_tei     TEXT,
    new_tei     TEXT,                                           -- NULL: TEI kept
    PRIMARY KEY (order_id, row)
);
CREATE INDEX change_order_items_issi ON change_order_items (issi);
