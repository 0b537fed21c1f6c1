// @ts-check

/**
 * The lineage store: OpenLineage events as received (deduplicated), the jobs and datasets they
 * name (one node each, by OpenLineage namespace + name), the edges between them (dataset → job
 * for inputs, job → dataset for outputs), column lineage, runs and dataset versions. Edges and
 * nodes only grow, so their increasing ids let every replica load what is new since it last looked.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lineage_events', table => {
    table.bigIncrements('id');
    // sha256 of the event's canonical JSON: the same event sent twice is stored once.
    table.string('event_key', 64).notNullable().unique();
    table.string('kind', 8).notNullable();
    table.string('event_type', 16).nullable();
    table.datetime('event_time').notNullable();
    table.string('run_id', 64).nullable().index();
    table.text('job_namespace').nullable();
    table.text('job_name').nullable();
    table.text('producer').notNullable();
    table.text('body').notNullable();
    table.datetime('received_at').notNullable();
  });

  await knex.schema.createTable('lineage_nodes', table => {
    table.bigIncrements('id');
    table.string('type', 8).notNullable();
    table.text('namespace').notNullable();
    table.text('name').notNullable();
    table.text('fields').nullable();
    table.text('facets').nullable();
    table.datetime('created_at').notNullable();
    table.datetime('updated_at').notNullable();
    table.string('latest_run_id', 64).nullable();
    table.unique(['type', 'namespace', 'name']);
  });

  await knex.schema.createTable('lineage_edges', table => {
    table.bigIncrements('id');
    table.bigInteger('source_id').notNullable();
    table.bigInteger('target_id').notNullable().index();
    table.datetime('last_seen_at').notNullable();
    table.string('last_run_id', 64).nullable();
    table.unique(['source_id', 'target_id']);
  });

  await knex.schema.createTable('lineage_column_edges', table => {
    table.bigIncrements('id');
    table.bigInteger('source_dataset_id').notNullable();
    table.string('source_field', 255).notNullable();
    table.bigInteger('target_dataset_id').notNullable().index();
    table.string('target_field', 255).notNullable();
    table.bigInteger('job_id').nullable();
    table.text('transformations').nullable();
    table.datetime('last_seen_at').notNullable();
    table.unique([
      'source_dataset_id',
      'source_field',
      'target_dataset_id',
      'target_field',
    ]);
  });

  await knex.schema.createTable('lineage_runs', table => {
    table.string('run_id', 64).primary();
    table.bigInteger('job_id').notNullable().index();
    table.string('state', 16).notNullable();
    // The time of the event that set `state`: a late START never overwrites a COMPLETE.
    table.datetime('state_time').notNullable();
    table.datetime('started_at').nullable();
    table.datetime('ended_at').nullable();
    table.string('parent_run_id', 64).nullable();
    table.text('error_message').nullable();
  });

  await knex.schema.createTable('lineage_dataset_versions', table => {
    table.bigIncrements('id');
    table.bigInteger('dataset_id').notNullable();
    table.string('run_id', 64).notNullable();
    table.text('fields').nullable();
    table.bigInteger('row_count').nullable();
    table.datetime('created_at').notNullable();
    table.unique(['dataset_id', 'run_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'lineage_dataset_versions',
    'lineage_runs',
    'lineage_column_edges',
    'lineage_edges',
    'lineage_nodes',
    'lineage_events',
  ]) {
    await knex.schema.dropTable(name);
  }
};
