// @ts-check

/**
 * The lineage index asks, about once a second, which jobs have a new run since it last looked;
 * without this index that is a scan of every node.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lineage_nodes', table => {
    table.index(['type', 'updated_at'], 'lineage_nodes_type_updated_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('lineage_nodes', table => {
    table.dropIndex(['type', 'updated_at'], 'lineage_nodes_type_updated_idx');
  });
};
