// @ts-check

const OPEN = ['requested', 'approved', 'active'];
const ONE_OPEN_INDEX = 'access_agreements_one_open_idx';

/** @param {import('knex').Knex} knex */
function supportsPartialIndexes(knex) {
  return !String(knex.client.config.client).includes('mysql');
}

/**
 * Access agreements (a consumer's access to one output port), the people who decide them per
 * approval level, their append-only audit events, and the runs of the grant reconciliation.
 * Entity refs are stored lower-case (refs compare case-insensitively); dates are ISO strings
 * written by the store, so comparisons work the same on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_agreements', table => {
    table.uuid('id').primary();
    table.string('consumer_ref', 255).notNullable();
    table.string('data_product_ref', 255).notNullable();
    table.string('output_port', 255).notNullable();
    table.string('role', 255).notNullable();
    table.text('purpose').notNullable();
    table.datetime('starts_at').notNullable();
    table.datetime('ends_at').nullable();
    table.string('contract_id', 255).notNullable();
    table.string('contract_version', 64).notNullable();
    // requested | approved | rejected | cancelled | active | expired | revoked
    table.string('status', 16).notNullable();
    table.integer('approval_level').notNullable().defaultTo(1);
    table.string('requested_by', 255).notNullable();
    table.datetime('created_at').notNullable();
    table.datetime('updated_at').notNullable();
    table.string('decided_by', 255).nullable();
    table.datetime('decided_at').nullable();
    table.text('reason').nullable();
    // pending | granted | failed | revoked; null until approved
    table.string('grant_state', 16).nullable();
    table.string('grant_reference', 255).nullable();
    table.text('grant_diagnostics').nullable();
    table.integer('grant_attempts').notNullable().defaultTo(0);
    table.datetime('grant_updated_at').nullable();
    table.datetime('grant_next_attempt_at').nullable();
    table.datetime('expiry_warned_at').nullable();
    // Bumped by every change: a transition applies only to the version it was decided on.
    table.integer('version').notNullable().defaultTo(0);
    table.index(
      ['data_product_ref', 'output_port'],
      'access_agreements_port_idx',
    );
    table.index(['consumer_ref'], 'access_agreements_consumer_idx');
    table.index(['requested_by'], 'access_agreements_requester_idx');
    table.index(['status', 'ends_at'], 'access_agreements_status_idx');
    table.index(['grant_state'], 'access_agreements_grant_idx');
  });

  await knex.schema.createTable('access_agreement_deciders', table => {
    table
      .uuid('agreement_id')
      .notNullable()
      .references('id')
      .inTable('access_agreements')
      .onDelete('CASCADE');
    table.integer('level').notNullable();
    table.string('ref', 255).notNullable();
    table.primary(['agreement_id', 'level', 'ref']);
    table.index(['ref'], 'access_agreement_deciders_ref_idx');
  });

  await knex.schema.createTable('access_agreement_events', table => {
    table.increments('id');
    table
      .uuid('agreement_id')
      .notNullable()
      .references('id')
      .inTable('access_agreements')
      .onDelete('CASCADE');
    table.datetime('at').notNullable();
    table.string('actor', 255).notNullable();
    table.string('action', 32).notNullable();
    table.string('from_status', 16).nullable();
    table.string('to_status', 16).nullable();
    table.text('reason').nullable();
    table.text('details').nullable();
    table.index(['agreement_id'], 'access_agreement_events_agreement_idx');
  });

  await knex.schema.createTable('access_reconcile_runs', table => {
    table.uuid('id').primary();
    table.string('trigger', 16).notNullable();
    table.string('status', 16).notNullable();
    table.datetime('started_at').notNullable();
    table.datetime('finished_at').nullable();
    table.integer('ports').notNullable().defaultTo(0);
    table.integer('agreements').notNullable().defaultTo(0);
    table.text('drift').nullable();
    table.text('message').nullable();
    table.index(['started_at'], 'access_reconcile_runs_started_idx');
  });

  if (supportsPartialIndexes(knex)) {
    // One open agreement per consumer, port and role, decided by the database (raw SQL: knex's
    // `predicate` option leaves whereIn placeholders unbound in DDL).
    await knex.raw(
      `CREATE UNIQUE INDEX ${ONE_OPEN_INDEX} ON access_agreements (consumer_ref, data_product_ref, output_port, role) WHERE status IN (${OPEN.map(
        s => `'${s}'`,
      ).join(', ')})`,
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_reconcile_runs');
  await knex.schema.dropTable('access_agreement_events');
  await knex.schema.dropTable('access_agreement_deciders');
  await knex.schema.dropTable('access_agreements');
};
