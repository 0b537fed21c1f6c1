// @ts-check

/**
 * The ODCS contract each successful provision step deployed (JSON as text, like the other JSON
 * columns), so the next deployment can be compared with it (the `breaking-change` policy).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployment_steps', table => {
    table.text('contract').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployment_steps', table => {
    table.dropColumn('contract');
  });
};
