// @ts-check

/**
 * Deployments of data products, their steps (one per output port) and their logs.
 * JSON columns are text so that the same migration runs on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployments', table => {
    table.uuid('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('operation', 16).notNullable(); // provision | unprovision
    table.boolean('remove_data').notNullable().defaultTo(false);
    table.string('status', 16).notNullable(); // pending | running | succeeded | failed
    table.string('requested_by', 255).notNullable();
    table.datetime('created_at').notNullable();
    table.datetime('started_at').nullable();
    table.datetime('finished_at').nullable();
    table.text('message').nullable();
    table.index(['entity_ref', 'created_at'], 'deployments_entity_ref_idx');
  });

  await knex.schema.createTable('deployment_steps', table => {
    table.uuid('id').primary();
    table
      .uuid('deployment_id')
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('port', 255).notNullable();
    table.string('provider', 255).notNullable();
    table.string('status', 16).notNullable(); // pending | running | succeeded | failed
    table.datetime('started_at').nullable();
    table.datetime('finished_at').nullable();
    table.text('message').nullable();
    table.text('public_info').nullable();
    table.text('private_info').nullable();
    table.text('resources').nullable();
    table.index(['deployment_id'], 'deployment_steps_deployment_idx');
  });

  await knex.schema.createTable('deployment_logs', table => {
    table.increments('id');
    table
      .uuid('deployment_id')
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('port', 255).nullable();
    table.datetime('timestamp').notNullable();
    table.string('level', 16).notNullable();
    table.string('phase', 64).nullable();
    table.text('message').notNullable();
    table.index(['deployment_id'], 'deployment_logs_deployment_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_logs');
  await knex.schema.dropTable('deployment_steps');
  await knex.schema.dropTable('deployments');
};
