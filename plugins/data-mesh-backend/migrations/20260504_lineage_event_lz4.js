// @ts-check

/**
 * PostgreSQL compresses stored event bodies over 2 kB with pglz by default, which costs more CPU
 * than the rest of an event's write; lz4 compresses about as well at a fraction of it. Only where
 * the server was built with lz4 (PostgreSQL 14+); elsewhere nothing changes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg') return;
  const { rows } = await knex.raw(
    `SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`,
  );
  if (rows.length === 0) return;
  await knex.raw(
    'ALTER TABLE lineage_events ALTER COLUMN body SET COMPRESSION lz4',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') return;
  const { rows } = await knex.raw(
    `SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`,
  );
  if (rows.length === 0) return;
  await knex.raw(
    'ALTER TABLE lineage_events ALTER COLUMN body SET COMPRESSION pglz',
  );
};
