-- Items of Online Orders: a deterministic synthetic load standing in for the e-commerce orders
-- API. Order n (1..250) has 1 + n % 4 items; every value is arithmetic on n and the item number,
-- so each run writes exactly the same rows. load-web-orders.sql, the next step, totals them.
WITH items AS (
  SELECT
    n,
    'WEB-2026-' || lpad((81000 + n)::text, 7, '0') AS order_number,
    generate_series(1, 1 + n % 4) AS item_number
  FROM generate_series(1, 250) AS n
),
priced AS (
  SELECT
    order_number,
    item_number,
    'XV-' || lpad((1 + (n * 23 + item_number * 41) % 120)::text, 5, '0') AS sku,
    1 + (n * item_number) % 3 / 2 AS quantity,
    14.95 + (n * 7 + item_number * 11) % 40 * 5 AS unit_price,
    -- A 15% voucher on every seventh order, per unit, so that items add up exactly.
    CASE WHEN n % 7 = 0 THEN 0.15 ELSE 0 END AS discount_rate
  FROM items
)
SELECT
  order_number,
  item_number::smallint AS item_number,
  sku,
  quantity,
  unit_price::numeric(10, 2) AS unit_price,
  (quantity * round(unit_price * discount_rate, 2))::numeric(10, 2) AS discount_amount
FROM priced
