-- KPI raw counts per customer, SLA zone and period, as delivered by the network.
-- Rates (CSSR, CTSR) are always computed as a ratio of sums of these counts.
CREATE TABLE kpi (
    customer        TEXT COLLATE "C" NOT NULL REFERENCES customers (number),
    zone            TEXT COLLATE "C" NOT NULL,
    period          TEXT COLLATE "C" NOT NULL,      -- 'YYYY-MM-DD' (a day) or 'YYYY-MM' (a whole month)
    attempts        BIGINT NOT NULL CHECK (attempts >= 0),
    setups_ok       BIGINT NOT NULL CHECK (setups_ok >= 0 AND setups_ok <= attempts),
    established     BIGINT NOT NULL CHECK (established >= 0 AND established <= setups_ok),
    terminated_ok   BIGINT NOT NULL CHECK (terminated_ok >= 0 AND terminated_ok <= established),
    imported_at     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (customer, zone, period)
);
CREATE INDEX kpi_customer_period ON kpi (customer, period);
