-- Till transactions of POS Transactions: one receipt per n (1..300), deterministic, one every 36
-- minutes (40 a day) up to the minute of the run, over 8 stores with 4 tills each. Times follow
-- the run, as change data capture's would, so that the contract's freshness holds after a run. A receipt's total is the sum of its
-- lines, which the step before (load-transaction-lines) wrote to the product's own
-- transaction_lines table: a step reads what earlier steps of the run wrote.
WITH receipts AS (
  SELECT
    n,
    split_part('MIL001 MIL002 ROM001 PAR002 PAR003 LON001 MUN001 MAD001', ' ', 1 + n % 8) AS store_id
  FROM generate_series(1, 300) AS n
),
totals AS (
  SELECT
    transaction_id,
    sum(quantity * unit_price - discount_amount) AS total_amount
  FROM pos_transactions.transaction_lines
  GROUP BY transaction_id
)
SELECT
  t.transaction_id,
  r.store_id,
  date_trunc('minute', now()) - (300 - r.n) * INTERVAL '36 minutes' AS transacted_at,
  CASE
    WHEN r.n % 25 = 0 THEN 'void'
    WHEN r.n % 10 = 0 THEN 'return'
    ELSE 'sale'
  END AS transaction_type,
  -- A loyalty card on every third receipt: 16 digits, XclusiV Circle prefix 6399.
  CASE
    WHEN r.n % 3 = 0 THEN '6399' || lpad((r.n * 7919 % 1000000000000)::text, 12, '0')
  END AS loyalty_card_number,
  split_part('card card cash mobile card gift_card', ' ', 1 + r.n * 7 % 6) AS payment_method,
  t.total_amount::numeric(12, 2) AS total_amount
FROM receipts AS r
JOIN totals AS t
  ON t.transaction_id = r.store_id
    || '-' || lpad((1 + r.n % 4)::text, 2, '0')
    || '-' || lpad((4000 + r.n)::text, 7, '0')
