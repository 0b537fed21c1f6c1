import { Client } from 'pg';

/**
 * Roles are cluster-wide on a PostgreSQL server, and test suites of several packages provision
 * products (and drop their roles) there at the same time, in parallel Jest workers. Each suite
 * that uses the server as a warehouse holds this advisory lock while it does, so they take turns.
 * Resolves to the release function.
 */
export async function lockWarehouseServer(
  connectionString: string,
): Promise<() => Promise<void>> {
  const client = new Client({ connectionString });
  await client.connect();
  await client.query(
    `SELECT pg_advisory_lock(hashtext('backstage-data-mesh:test-warehouse'))`,
  );
  return async () => {
    // Ending the session releases the lock, also when the unlock itself fails.
    await client.end();
  };
}
