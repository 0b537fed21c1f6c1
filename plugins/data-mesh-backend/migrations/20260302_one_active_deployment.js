// @ts-check

const ACTIVE = ['pending', 'running'];
const INDEX = 'deployments_one_active_idx';

/** @param {import('knex').Knex} knex */
function supportsPartialIndexes(knex) {
  // SQLite and PostgreSQL do; MySQL does not, and keeps the check in the transaction only.
  return !String(knex.client.config.client).includes('mysql');
}

/**
 * At most one pending or running deployment per data product, decided by the database: a unique
 * partial index on `deployments(entity_ref)` where the status is active. Before it, the check ran
 * in a transaction only, so older data may hold two active deployments of one product: all but
 * the newest are marked failed first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (!supportsPartialIndexes(knex)) return;
  const active = await knex('deployments')
    .whereIn('status', ACTIVE)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .select('id', 'entity_ref');
  const seen = new Set();
  const superseded = [];
  for (const row of active) {
    if (seen.has(row.entity_ref)) superseded.push(row.id);
    else seen.add(row.entity_ref);
  }
  if (superseded.length > 0) {
    const now = new Date().toISOString();
    const message =
      'Superseded: a newer deployment of this data product was in progress';
    await knex('deployment_steps')
      .whereIn('deployment_id', superseded)
      .whereIn('status', ACTIVE)
      .update({ status: 'failed', message, finished_at: now });
    await knex('deployments')
      .whereIn('id', superseded)
      .update({ status: 'failed', message, finished_at: now });
  }
  // Raw SQL: knex's `predicate` option leaves whereIn placeholders unbound in DDL.
  await knex.raw(
    `CREATE UNIQUE INDEX ${INDEX} ON deployments (entity_ref) WHERE status IN ('pending', 'running')`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (!supportsPartialIndexes(knex)) return;
  await knex.raw(`DROP INDEX ${INDEX}`);
};
