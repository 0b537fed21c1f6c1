// @ts-check

/**
 * Quality and health: check runs (platform scans and imports) with their results and logs, the
 * health of each port and product with its history (SLO compliance), incidents, the schedule
 * the dispatcher claims scans from, and how people want their alerts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('quality_runs', table => {
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('source', 16).notNullable();
    table.string('trigger', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('requested_by', 255).nullable();
    table.datetime('started_at').notNullable();
    table.datetime('finished_at').nullable();
    table.datetime('heartbeat_at').nullable();
    table.integer('queries').nullable();
    table.integer('passed').notNullable().defaultTo(0);
    table.integer('failed').notNullable().defaultTo(0);
    table.integer('errored').notNullable().defaultTo(0);
    table.text('message').nullable();
    table.index(['entity_ref', 'started_at']);
  });
  if (!String(knex.client.config.client).includes('mysql')) {
    await knex.schema.raw(
      `CREATE UNIQUE INDEX quality_runs_one_active_idx ON quality_runs (entity_ref, port) WHERE status = 'running' AND source = 'platform'`,
    );
  }

  await knex.schema.createTable('quality_run_logs', table => {
    table.bigIncrements('id');
    table
      .uuid('run_id')
      .notNullable()
      .references('id')
      .inTable('quality_runs')
      .onDelete('CASCADE')
      .index();
    table.datetime('timestamp').notNullable();
    table.string('level', 8).notNullable();
    table.text('message').notNullable();
  });

  await knex.schema.createTable('quality_results', table => {
    table.bigIncrements('id');
    table
      .uuid('run_id')
      .notNullable()
      .references('id')
      .inTable('quality_runs')
      .onDelete('CASCADE')
      .index();
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('check_key', 255).notNullable();
    table.string('name', 1024).notNullable();
    table.string('source', 16).notNullable();
    table.string('status', 8).notNullable();
    table.double('value').nullable();
    table.text('threshold').nullable();
    table.string('unit', 16).nullable();
    table.string('severity', 8).notNullable();
    table.string('dimension', 32).nullable();
    table.string('metric', 32).nullable();
    table.string('table_name', 255).nullable();
    table.string('column_name', 255).nullable();
    table.text('message').nullable();
    table.datetime('measured_at').notNullable();
    table.index(['entity_ref', 'port', 'check_key', 'measured_at']);
    table.index(['measured_at']);
  });

  // The newest result of every check: what health is computed from, without scanning history.
  await knex.schema.createTable('quality_latest', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('check_key', 255).notNullable();
    table.bigInteger('result_id').notNullable();
    table.datetime('measured_at').notNullable();
    table.primary(['entity_ref', 'port', 'check_key']);
  });

  // Health now: one row per port, and one per product with port ''.
  await knex.schema.createTable('data_health', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('status', 16).notNullable();
    table.text('reasons').notNullable();
    table.datetime('since').notNullable();
    table.datetime('updated_at').notNullable();
    table.datetime('last_checked_at').nullable();
    table.primary(['entity_ref', 'port']);
  });

  // Health over time, as intervals: SLO compliance is the share of a window not failing.
  await knex.schema.createTable('data_health_history', table => {
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('status', 16).notNullable();
    table.datetime('started_at').notNullable();
    table.datetime('ended_at').nullable();
    table.index(['entity_ref', 'port', 'started_at']);
  });

  await knex.schema.createTable('quality_incidents', table => {
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('status', 8).notNullable();
    table.string('title', 1024).notNullable();
    table.text('causes').notNullable();
    table.datetime('opened_at').notNullable();
    table.datetime('closed_at').nullable();
    table.uuid('opened_by_run').nullable();
    table.uuid('closed_by_run').nullable();
    table.index(['entity_ref', 'opened_at']);
  });
  if (!String(knex.client.config.client).includes('mysql')) {
    await knex.schema.raw(
      `CREATE UNIQUE INDEX quality_incidents_one_open_idx ON quality_incidents (entity_ref, port) WHERE status = 'open'`,
    );
  }

  await knex.schema.createTable('quality_schedules', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('schedule', 255).notNullable();
    table.datetime('next_run_at').notNullable();
    table.primary(['entity_ref', 'port']);
  });

  await knex.schema.createTable('quality_alert_preferences', table => {
    table.string('user_ref', 255).primary();
    table.string('mode', 16).notNullable();
    table.datetime('updated_at').notNullable();
  });

  // Transitions waiting for the daily digest of people who chose one.
  await knex.schema.createTable('quality_digest_items', table => {
    table.bigIncrements('id');
    table.string('user_ref', 255).notNullable().index();
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('title', 1024).notNullable();
    table.string('link', 1024).notNullable();
    table.string('severity', 16).notNullable();
    table.datetime('created_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'quality_digest_items',
    'quality_alert_preferences',
    'quality_schedules',
    'quality_incidents',
    'data_health_history',
    'data_health',
    'quality_latest',
    'quality_results',
    'quality_run_logs',
    'quality_runs',
  ]) {
    await knex.schema.dropTable(name);
  }
};
