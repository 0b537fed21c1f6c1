-- Orders of Sales Orders: store receipts (pos-transactions, port transactions) and web and app
-- orders (online-orders, port orders) in one table. It runs as the product's own role, so it
-- reads both upstream tables only once sales-orders has been granted access to both ports.
-- Voided receipts and cancelled web orders are no orders; returns at the till are orders with a
-- negative total. Store sales are anonymous: the loyalty card number is not a customer id.
SELECT
  'POS-' || t.transaction_id AS order_id,
  NULL::varchar(36) AS customer_id,
  'store' AS channel,
  t.store_id,
  t.transacted_at AS ordered_at,
  t.total_amount
FROM pos_transactions.transactions AS t
WHERE t.transaction_type <> 'void'
UNION ALL
SELECT
  w.order_number AS order_id,
  w.customer_id,
  w.sales_channel AS channel,
  NULL::varchar(8) AS store_id,
  w.placed_at AS ordered_at,
  w.total_amount
FROM online_orders.web_orders AS w
WHERE w.order_status <> 'cancelled'
