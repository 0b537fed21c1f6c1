// @ts-check

/**
 * A heartbeat on running deployments: the backend that runs one writes it every few seconds, so
 * any replica can tell a deployment whose backend stopped (its heartbeat is old) from one that
 * another replica is still running.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.datetime('heartbeat_at').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('heartbeat_at');
  });
};
