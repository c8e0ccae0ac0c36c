-- KPI raw counts per customer, SLA zone and period, as delivered by the network.
-- Rates (CSSR, CTSR) are always computed as a ratio of sums of these counts.
CREATE TABLE kpi (
    customer        TEXT NOT NULL REFERENCES customers (number),
    zone            TEXT NOT NULL,
    period          TEXT NOT NULL,      -- 'YYYY-MM-DD' (a day) or 'YYYY-MM' (a whole month)
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    setups_ok       INTEGER NOT NULL CHECK (setups_ok >= 0 AND setups_ok <= attempts),
    established     INTEGER NOT NULL CHECK (established >= 0 AND established <= setups_ok),
    terminated_ok   INTEGER NOT NULL CHECK (terminated_ok >= 0 AND terminated_ok <= established),
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (customer, zone, period)
);
CREATE INDEX kpi_customer_period ON kpi (customer, period);
