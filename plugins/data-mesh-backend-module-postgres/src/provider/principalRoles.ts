import { escapeLiteral } from 'pg';
import { existingRoles } from './catalog';
import { ident } from './identifiers';
import { SqlExecutor } from './sql';

/**
 * Creates the principal roles (role → entity ref) that do not exist yet, and returns them. Call it
 * under `lockPrincipals`. Logins (passwords, certificates, an identity provider) are the
 * platform's job, so the role is `NOLOGIN` and only carries grants; its comment is the entity ref,
 * which lets `listGrants` name the principal. `exec` runs (and logs) one statement.
 */
export async function createMissingPrincipalRoles(
  tx: SqlExecutor,
  principals: Map<string, string>,
  exec: (sql: string) => Promise<void>,
): Promise<Set<string>> {
  const existing = await existingRoles(tx, [...principals.keys()]);
  const created = new Set<string>();
  for (const [role, principal] of principals) {
    if (existing.has(role)) continue;
    await exec(`CREATE ROLE ${ident(role)} NOLOGIN`);
    await exec(`COMMENT ON ROLE ${ident(role)} IS ${escapeLiteral(principal)}`);
    created.add(role);
  }
  return created;
}
