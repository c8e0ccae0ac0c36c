-- ISSIs given up in an ISSI change are never reused (issue 13.14), and change
-- orders are delivered later instead of applied at once (issue 13.16).
--
-- retired_issis: one row per ISSI a subscription gave up. Backfilled from the
-- change orders already in the store: until now every order was applied when
-- it was placed, so each item with a new ISSI gave up its old one then.
CREATE TABLE retired_issis (
    issi        BIGINT PRIMARY KEY CHECK (issi BETWEEN 1 AND 16777214),
    customer    TEXT COLLATE "C" NOT NULL REFERENCES customers (number),
    replaced_by BIGINT,                                        -- the ISSI it became
    order_id    BIGINT REFERENCES change_orders (id),          -- NULL when recorded another way
    retired_at  TEXT COLLATE "C" NOT NULL                                   -- UTC
);

INSERT INTO retired_issis (issi, customer, replaced_by, order_id, retired_at)
SELECT i.issi, o.customer, i.new_issi, o.id, o.received_at
FROM change_order_items i JOIN change_orders o ON o.id = i.order_id
WHERE i.new_issi IS NOT NULL
ORDER BY o.received_at, o.id
ON CONFLICT (issi) DO NOTHING;

-- applied_at: when the order's changes were made to the subscriptions (UTC);
-- NULL while the order waits for `ops sub deliver`. Orders placed before this
-- migration were applied when received.
ALTER TABLE change_orders ADD COLUMN applied_at TEXT COLLATE "C";
UPDATE change_orders SET applied_at = received_at;
