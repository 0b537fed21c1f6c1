// @ts-check

/**
 * Runs of data products' pipelines (one queued or running per product, decided by a partial
 * unique index where the database has them), their logs, and the schedule state the dispatcher
 * claims runs from.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pipeline_runs', table => {
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable().index();
    table.string('status', 16).notNullable();
    table.string('trigger', 16).notNullable();
    table.string('requested_by', 255).nullable();
    table.datetime('created_at').notNullable();
    table.datetime('started_at').nullable();
    table.datetime('finished_at').nullable();
    table.datetime('heartbeat_at').nullable();
    table.bigInteger('rows_written').nullable();
    table.text('message').nullable();
    table.text('steps').notNullable();
  });
  if (!String(knex.client.config.client).includes('mysql')) {
    await knex.schema.raw(
      `CREATE UNIQUE INDEX pipeline_runs_one_active_idx ON pipeline_runs (entity_ref) WHERE status IN ('queued', 'running')`,
    );
  }

  await knex.schema.createTable('pipeline_run_logs', table => {
    table.bigIncrements('id');
    table
      .uuid('run_id')
      .notNullable()
      .references('id')
      .inTable('pipeline_runs')
      .onDelete('CASCADE')
      .index();
    table.datetime('timestamp').notNullable();
    table.string('level', 8).notNullable();
    table.string('step', 255).nullable();
    table.text('message').notNullable();
  });

  await knex.schema.createTable('pipeline_schedules', table => {
    table.string('entity_ref', 255).primary();
    table.string('schedule', 255).notNullable();
    table.datetime('next_run_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pipeline_schedules');
  await knex.schema.dropTable('pipeline_run_logs');
  await knex.schema.dropTable('pipeline_runs');
};
