-- Receipt lines of POS Transactions: a deterministic synthetic load standing in for the change
-- data capture of the POS database. Receipt n (1..300) has 1 + n % 3 lines; every value is
-- arithmetic on n and the line number, so each run writes exactly the same rows. Receipts with
-- n % 10 = 0 are returns (negative quantities), those with n % 25 = 0 voids, as in
-- load-transactions.sql, the next step, which totals these lines into the receipts.
WITH receipts AS (
  SELECT
    n,
    split_part('MIL001 MIL002 ROM001 PAR002 PAR003 LON001 MUN001 MAD001', ' ', 1 + n % 8)
      || '-' || lpad((1 + n % 4)::text, 2, '0')
      || '-' || lpad((4000 + n)::text, 7, '0') AS transaction_id,
    CASE WHEN n % 10 = 0 AND n % 25 <> 0 THEN -1 ELSE 1 END AS sign
  FROM generate_series(1, 300) AS n
),
lines AS (
  SELECT
    transaction_id,
    n,
    sign,
    generate_series(1, 1 + n % 3) AS line_number
  FROM receipts
),
priced AS (
  SELECT
    transaction_id,
    line_number,
    'XV-' || lpad((1 + (n * 31 + line_number * 17) % 120)::text, 5, '0') AS sku,
    sign * (1 + (n + line_number) % 2) AS quantity,
    9.95 + (n * 13 + line_number * 29) % 36 * 5 AS unit_price,
    -- 10% off every fifth line sold (a promotion), per unit, so that lines add up exactly.
    CASE WHEN sign > 0 AND (n + line_number) % 5 = 0 THEN 0.10 ELSE 0 END AS discount_rate
  FROM lines
)
SELECT
  transaction_id,
  line_number::smallint AS line_number,
  sku,
  quantity,
  unit_price::numeric(10, 2) AS unit_price,
  (quantity * round(unit_price * discount_rate, 2))::numeric(10, 2) AS discount_amount
FROM priced
