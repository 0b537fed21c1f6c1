// Jest runs modules in a vm sandbox in which PGlite's internal dynamic import() is refused without
// --experimental-vm-modules (electric-sql/pglite#224). Tests therefore open PGlite loaded by
// Node's own require, outside the sandbox, and hand it to PgliteSqlClient. Production code uses
// the default factory, a normal import.
import type * as Pglite from '@electric-sql/pglite';
import type * as NodeModule from 'node:module';

// process.getBuiltinModule (Node 22) is not in this repo's @types/node yet.
const { createRequire } = (
  process as unknown as { getBuiltinModule(id: string): unknown }
).getBuiltinModule('node:module') as typeof NodeModule;
const pglite: typeof Pglite = createRequire(__filename)('@electric-sql/pglite');

export const openNativePglite = (dataDir: string): Promise<Pglite.PGlite> =>
  pglite.PGlite.create(dataDir);
