-- Reports made on order (tiers without a scheduled quarterly report, e.g. bronze): who
-- ordered the report of which quarter, the day it is dated and sent, and the fee to bill.
-- One order per customer and quarter: printing the ordered report again bills nothing more.
CREATE TABLE report_orders (
    id          INTEGER PRIMARY KEY,
    customer    TEXT NOT NULL REFERENCES customers (number),
    quarter     TEXT NOT NULL,                  -- e.g. 2026Q3
    ordered_by  TEXT NOT NULL,                  -- the customer's telephony responsible or orderer
    send_to     TEXT NOT NULL,                  -- where the report is sent (default: ordered_by)
    ordered_at  TEXT NOT NULL,                  -- UTC ISO
    report_date TEXT NOT NULL,                  -- YYYY-MM-DD, in the send window (days 5-20)
    fee         REAL NOT NULL CHECK (fee >= 0),
    currency    TEXT NOT NULL,
    recorded_by TEXT NOT NULL,                  -- the desk's operator who took the order
    UNIQUE (customer, quarter)
);
CREATE INDEX report_orders_quarter ON report_orders (quarter, report_date);
