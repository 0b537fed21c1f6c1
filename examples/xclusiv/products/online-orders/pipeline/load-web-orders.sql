-- Web and app orders of Online Orders: one order per n (1..250), deterministic, about 30 a day
-- from 2026-03-02 on. Every fourth order is a guest checkout (no customer id); the customer id is
-- a UUID made from an md5 of the customer number, the same for every run. Shipping is free, so
-- an order's total is the sum of its items, which the step before (load-web-order-items) wrote to
-- the product's own web_order_items table.
WITH orders AS (
  SELECT
    n,
    'WEB-2026-' || lpad((81000 + n)::text, 7, '0') AS order_number,
    1 + n * 37 % 97 AS customer_number
  FROM generate_series(1, 250) AS n
),
totals AS (
  SELECT
    order_number,
    sum(quantity * unit_price - discount_amount) AS total_amount
  FROM online_orders.web_order_items
  GROUP BY order_number
)
SELECT
  o.order_number,
  CASE
    WHEN o.n % 4 <> 0 THEN md5('xclusiv-customer-' || o.customer_number)::uuid::text
  END AS customer_id,
  CASE
    WHEN o.n % 4 = 0 THEN 'guest' || o.n || '@mail.example'
    ELSE 'customer' || o.customer_number || '@mail.example'
  END AS customer_email,
  CASE WHEN o.n % 3 = 0 THEN 'app' ELSE 'web' END AS sales_channel,
  '2026-03-02 06:00:00+00'::timestamptz
    + (o.n / 30) * INTERVAL '1 day'
    + (o.n * 53 % 960) * INTERVAL '1 minute' AS placed_at,
  CASE o.n % 20
    WHEN 0 THEN 'cancelled'
    WHEN 1 THEN 'returned'
    WHEN 2 THEN 'placed'
    WHEN 3 THEN 'paid'
    WHEN 4 THEN 'shipped'
    WHEN 5 THEN 'shipped'
    ELSE 'delivered'
  END AS order_status,
  split_part('IT FR DE ES GB NL AT BE', ' ', 1 + o.n % 8) AS shipping_country,
  t.total_amount::numeric(12, 2) AS total_amount
FROM orders AS o
JOIN totals AS t ON t.order_number = o.order_number
