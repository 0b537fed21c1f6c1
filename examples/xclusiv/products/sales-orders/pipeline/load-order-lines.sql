-- Order lines of Sales Orders, from the receipt lines of pos-transactions and the items of
-- online-orders, for the orders load-orders.sql keeps. unit_price is what the customer paid per
-- unit (shelf price less the per-unit discount), so an order's lines add up to its total.
SELECT
  'POS-' || l.transaction_id AS order_id,
  l.line_number::integer AS line_number,
  l.sku,
  l.quantity,
  l.unit_price - l.discount_amount / l.quantity AS unit_price
FROM pos_transactions.transaction_lines AS l
JOIN pos_transactions.transactions AS t ON t.transaction_id = l.transaction_id
WHERE t.transaction_type <> 'void'
UNION ALL
SELECT
  i.order_number AS order_id,
  i.item_number::integer AS line_number,
  i.sku,
  i.quantity,
  i.unit_price - i.discount_amount / i.quantity AS unit_price
FROM online_orders.web_order_items AS i
JOIN online_orders.web_orders AS w ON w.order_number = i.order_number
WHERE w.order_status <> 'cancelled'
