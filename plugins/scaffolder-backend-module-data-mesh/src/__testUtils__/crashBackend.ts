// The template backend in a process of its own, so that crashRecovery.test.ts can kill it with
// SIGKILL in the middle of provisioning and start it again on the same files. Run with the
// repository's TypeScript transform:
//
//   node --require @backstage/cli/config/nodeTransform.cjs crashBackend.ts
//
// CRASH_ROOT: the folder for databases, published products and the PGlite warehouse.
// CRASH_WAREHOUSE: `pglite`, or the connection string of a PostgreSQL server database.
// Prints `READY <port>` when it serves; SIGTERM stops it cleanly.
import path from 'node:path';
import {
  PgSqlClient,
  PgliteSqlClient,
  SqlClient,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { startTemplateBackend } from './templateBackend';

async function main() {
  const root = process.env.CRASH_ROOT!;
  const target = process.env.CRASH_WAREHOUSE!;
  const warehouse: SqlClient =
    target === 'pglite'
      ? new PgliteSqlClient(path.join(root, 'warehouse'))
      : new PgSqlClient({ connectionString: target });
  const { backend } = await startTemplateBackend({
    root,
    warehouse,
    persistent: true,
  });
  process.once('SIGTERM', async () => {
    await backend.stop();
    await warehouse.close();
    process.exit(0);
  });
  process.stdout.write(`READY ${backend.server.port()}\n`);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
