-- Daily revenue of Revenue Reporting, from the orders of sales-orders (port orders); it runs as
-- the product's own role, so it needs access to that port. Revenue is recognised on the order
-- date in Italian time, for web and app orders too (sales-orders carries no shipment date yet).
-- Prices include VAT, taken here at the Italian standard rate of 22% for every country.
WITH orders AS (
  SELECT
    (ordered_at AT TIME ZONE 'Europe/Rome')::date AS revenue_date,
    channel,
    coalesce(store_id, upper(channel)) AS store_id,
    total_amount
  FROM sales_orders.orders
),
daily AS (
  SELECT
    revenue_date,
    channel,
    store_id,
    sum(CASE WHEN total_amount > 0 THEN total_amount ELSE 0 END) AS gross_revenue,
    sum(CASE WHEN total_amount < 0 THEN -total_amount ELSE 0 END) AS returns_amount,
    count(*) AS order_count
  FROM orders
  GROUP BY revenue_date, channel, store_id
)
SELECT
  revenue_date,
  channel,
  store_id,
  gross_revenue::numeric(14, 2) AS gross_revenue,
  returns_amount::numeric(14, 2) AS returns_amount,
  round((gross_revenue - returns_amount) * 22 / 122, 2)::numeric(14, 2) AS vat_amount,
  (gross_revenue - returns_amount - round((gross_revenue - returns_amount) * 22 / 122, 2))::numeric(14, 2) AS net_revenue,
  order_count::integer AS order_count
FROM daily
