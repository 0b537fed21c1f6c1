-- Daily units and net revenue per SKU of Revenue Reporting, from the order lines of sales-orders
-- (port orders), on the same order date (Italian time) and at the same VAT rate (22%) as
-- load-daily-revenue.sql, so a day's SKUs add up to its revenue per channel.
SELECT
  (o.ordered_at AT TIME ZONE 'Europe/Rome')::date AS revenue_date,
  o.channel,
  l.sku,
  sum(l.quantity)::integer AS units_sold,
  round(sum(l.quantity * l.unit_price) * 100 / 122, 2)::numeric(14, 2) AS net_revenue
FROM sales_orders.order_lines AS l
JOIN sales_orders.orders AS o ON o.order_id = l.order_id
GROUP BY 1, 2, 3
