import { escapeLiteral } from 'pg';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import {
  DataPlatformProvider,
  ExistingGrant,
  failedProvisioning,
  PortProvisioningRequest,
  ProvisionedResource,
  ProvisioningLog,
  ProvisioningResponse,
  ProviderValidationResult,
  UnprovisionRequest,
  UpdateAclRequest,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import {
  canUseRole,
  currentUser,
  ExistingSchema,
  lockPrincipals,
  lockSchema,
  readMembers,
  readSchema,
  roleExists,
} from './catalog';
import { ident, qualified } from './identifiers';
import {
  buildPortModel,
  DesiredColumn,
  DesiredTable,
  PortModel,
} from './model';
import { createMissingPrincipalRoles } from './principalRoles';
import { PrincipalMapper, PrincipalMappingOptions } from './principals';
import { SqlClient, SqlExecutor } from './sql';

/** @public */
export interface PostgresProviderOptions {
  /** The warehouse: a `PgliteSqlClient` or a `PgSqlClient`. */
  client: SqlClient;
  /** Only changes what consumers are told (`publicInfo.engine`). */
  mode?: 'embedded' | 'server';
  /** Host and port shown to consumers in `publicInfo`. */
  publicHost?: string;
  publicPort?: number;
  principals?: PrincipalMappingOptions;
}

/** A problem that stops provisioning before anything is changed. */
class ProvisioningRefused extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

type Phase = 'validate' | 'plan' | 'apply' | 'grants' | 'acl' | 'unprovision';

/** Logs and resources of one operation, returned to the coordinator. */
class Run {
  readonly logs: ProvisioningLog[] = [];
  readonly resources: ProvisionedResource[] = [];

  log(level: ProvisioningLog['level'], message: string, phase: Phase) {
    this.logs.push({
      timestamp: new Date().toISOString(),
      level,
      message,
      phase,
    });
  }

  resource(
    kind: string,
    name: string,
    action: ProvisionedResource['action'],
    details?: string,
  ) {
    this.resources.push(
      details ? { kind, name, action, details } : { kind, name, action },
    );
  }

  async exec(tx: SqlExecutor, sql: string, phase: Phase) {
    this.log('INFO', sql, phase);
    await tx.query(sql);
  }

  completed(publicInfo: JsonObject, privateInfo: JsonObject) {
    return {
      kind: 'completed' as const,
      result: {
        status: 'COMPLETED' as const,
        publicInfo,
        privateInfo,
        resources: this.resources,
        logs: this.logs,
      },
    };
  }

  failed(problems: string[], phase: Phase): ProvisioningResponse {
    for (const problem of problems) this.log('ERROR', problem, phase);
    return failedProvisioning({
      problems,
      logs: this.logs,
      resources: this.resources,
    });
  }
}

function comment(value: string | null): string {
  return value === null ? 'NULL' : escapeLiteral(value);
}

function columnDefinition(column: DesiredColumn): string {
  // column.type comes from the whitelist grammar (keywords and numbers only), never from input.
  return `${ident(column.name)} ${column.type}${
    column.notNull ? ' NOT NULL' : ''
  }`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The built-in data platform provider: one schema per data product, an owner role per product, a
 * reader role per output port, tables from the port's ODCS contract, and access by membership of
 * the reader role. The same SQL runs against an embedded PGlite and a PostgreSQL server.
 * @public
 */
export class PostgresProvider implements DataPlatformProvider {
  readonly id = 'postgres';
  readonly title = 'PostgreSQL';

  private readonly client: SqlClient;
  private readonly options: PostgresProviderOptions;
  private readonly principals: PrincipalMapper;

  constructor(options: PostgresProviderOptions) {
    this.client = options.client;
    this.options = options;
    this.principals = new PrincipalMapper(options.principals);
  }

  async validate(
    request: PortProvisioningRequest,
  ): Promise<ProviderValidationResult> {
    const { errors } = buildPortModel(request);
    return { valid: errors.length === 0, errors };
  }

  async provision(
    request: PortProvisioningRequest,
  ): Promise<ProvisioningResponse> {
    const run = new Run();
    const { model, errors } = buildPortModel(request);
    if (!model) return run.failed(errors, 'validate');
    run.log(
      'INFO',
      `Provisioning output port '${model.port}' of ${stringifyEntityRef(
        request.dataProduct,
      )} (contract ${request.contract.id} ${
        request.contract.version
      }) into schema ${model.schema}`,
      'validate',
    );
    try {
      const database = await this.client.transaction(async tx => {
        await lockSchema(tx, model.schema);
        const user = await currentUser(tx);
        const existing = await readSchema(tx, model.schema);
        const problems = this.breakingChanges(model, existing);
        if (problems.length > 0) throw new ProvisioningRefused(problems);
        await this.ensureRoles(tx, run, model, user.superuser);
        await this.ensureSchema(tx, run, model, existing);
        for (const table of model.tables) {
          await this.ensureTable(tx, run, model, table, existing);
        }
        await this.ensureGrants(tx, run, model, existing);
        return user.database;
      });
      run.log('INFO', 'Provisioning completed', 'apply');
      return run.completed(this.publicInfo(model, database), {
        schema: model.schema,
        ownerRole: model.ownerRole,
        readerRole: model.readerRole,
        tables: model.tables.map(t => t.name),
      });
    } catch (error) {
      // Everything ran in one transaction: a refusal or an error leaves the warehouse unchanged.
      run.resources.length = 0;
      return run.failed(
        error instanceof ProvisioningRefused
          ? error.problems
          : [`Provisioning failed and was rolled back: ${messageOf(error)}`],
        error instanceof ProvisioningRefused ? 'plan' : 'apply',
      );
    }
  }

  async unprovision(
    request: UnprovisionRequest,
  ): Promise<ProvisioningResponse> {
    const run = new Run();
    const { model, errors } = buildPortModel(request);
    if (!model) return run.failed(errors, 'validate');
    const removeData = request.removeData === true;
    run.log(
      'INFO',
      `Unprovisioning output port '${model.port}' from schema ${model.schema}${
        removeData ? ', removing its data' : ', keeping its data'
      }`,
      'unprovision',
    );
    try {
      await this.client.transaction(async tx => {
        await lockSchema(tx, model.schema);
        const existing = await readSchema(tx, model.schema);
        await this.dropReader(tx, run, model, existing);
        if (removeData) {
          await this.dropData(tx, run, model, existing);
        } else if (existing) {
          for (const table of model.tables) {
            if (existing.tables.has(table.name)) {
              run.resource(
                'table',
                `${model.schema}.${table.name}`,
                'kept',
                'data kept (removeData was not set)',
              );
            }
          }
          run.resource('schema', model.schema, 'kept');
        }
      });
      run.log('INFO', 'Unprovisioning completed', 'unprovision');
      return run.completed(
        { schema: model.schema, dataRemoved: removeData },
        { schema: model.schema, readerRole: model.readerRole },
      );
    } catch (error) {
      run.resources.length = 0;
      return run.failed(
        [`Unprovisioning failed and was rolled back: ${messageOf(error)}`],
        'unprovision',
      );
    }
  }

  async updateAcl(request: UpdateAclRequest): Promise<ProvisioningResponse> {
    const run = new Run();
    const { model, errors } = buildPortModel(request);
    if (!model) return run.failed(errors, 'validate');
    const problems: string[] = [];
    const desired = new Map<string, string>();
    request.grants.forEach((grant, g) => {
      if (
        model.contractRoles.length > 0 &&
        !model.contractRoles.includes(grant.role) &&
        !(request.contract.roles ?? []).some(r => r.id === grant.role)
      ) {
        problems.push(
          `grants[${g}].role: '${grant.role}' is not a role of contract ${
            request.contract.id
          } (${model.contractRoles.join(', ')})`,
        );
      }
      grant.principals.forEach((principal, i) => {
        const field = `grants[${g}].principals[${i}]`;
        const mapped = this.principals.toRole(principal, field);
        if ('error' in mapped) problems.push(mapped.error);
        else if ([model.readerRole, model.ownerRole].includes(mapped.role)) {
          problems.push(
            `${field}: '${principal}' maps to the port's own role ${mapped.role}`,
          );
        } else desired.set(mapped.role, principal);
      });
    });
    if (problems.length > 0) return run.failed(problems, 'validate');
    run.log(
      'INFO',
      `Contract role(s) ${
        request.grants.map(g => `'${g.role}'`).join(', ') || '(none)'
      } map to reader role ${model.readerRole}; granting it to exactly: ${
        [...desired.keys()].join(', ') || '(nobody)'
      }`,
      'acl',
    );
    try {
      await this.client.transaction(async tx => {
        await lockSchema(tx, model.schema);
        await lockPrincipals(tx);
        if (!(await roleExists(tx, model.readerRole))) {
          throw new ProvisioningRefused([
            `reader role ${model.readerRole} does not exist: provision output port '${model.port}' first`,
          ]);
        }
        const members = new Set(
          (await readMembers(tx, model.readerRole)).map(m => m.name),
        );
        const created = await createMissingPrincipalRoles(tx, desired, sql =>
          run.exec(tx, sql, 'acl'),
        );
        // Grants that hold are counted, not listed: a port may have thousands.
        let unchanged = 0;
        for (const [role, principal] of desired) {
          if (created.has(role)) {
            run.resource('role', role, 'created', `principal ${principal}`);
          }
          const name = `${role} → ${model.readerRole}`;
          if (members.has(role)) {
            unchanged++;
          } else {
            await run.exec(
              tx,
              `GRANT ${ident(model.readerRole)} TO ${ident(role)}`,
              'acl',
            );
            run.resource('grant', name, 'created', principal);
          }
        }
        if (unchanged > 0) {
          run.resource(
            'grant',
            `${model.readerRole} members`,
            'unchanged',
            `${unchanged} principal(s) already hold it`,
          );
        }
        for (const member of members) {
          if (!desired.has(member)) {
            await run.exec(
              tx,
              `REVOKE ${ident(model.readerRole)} FROM ${ident(member)}`,
              'acl',
            );
            run.resource(
              'grant',
              `${member} → ${model.readerRole}`,
              'dropped',
              'not in the principals any more',
            );
          }
        }
      });
      return run.completed(
        {
          readerRole: model.readerRole,
          roles: request.grants.map(g => g.role),
          principals: [...desired.values()],
        },
        { readerRole: model.readerRole, roles: [...desired.keys()] },
      );
    } catch (error) {
      run.resources.length = 0;
      return run.failed(
        error instanceof ProvisioningRefused
          ? error.problems
          : [`Updating access failed and was rolled back: ${messageOf(error)}`],
        'acl',
      );
    }
  }

  async listGrants(request: PortProvisioningRequest): Promise<ExistingGrant[]> {
    const { model, errors } = buildPortModel(request);
    if (!model) throw new Error(errors.join('; '));
    if (!(await roleExists(this.client, model.readerRole))) return [];
    // One reader role per port: with one contract role the grant is for it; with several the
    // grant covers them all and is reported under the reader role's name.
    const role =
      model.contractRoles.length === 1
        ? model.contractRoles[0]
        : model.readerRole;
    const members = await readMembers(this.client, model.readerRole);
    return members.map(m => ({
      principal: this.principals.toPrincipal(m.name, m.comment),
      role,
      reference: m.name,
    }));
  }

  /** Differences that would drop or retype data: refused, never applied. */
  private breakingChanges(
    model: PortModel,
    existing: ExistingSchema | undefined,
  ): string[] {
    if (!existing) return [];
    const problems: string[] = [];
    for (const table of model.tables) {
      const current = existing.tables.get(table.name);
      if (!current) continue;
      const where = `${model.schema}.${table.name}`;
      if (current.kind !== 'r' && current.kind !== 'p') {
        problems.push(
          `${table.field}: ${where} exists but is not a table (relkind ${current.kind})`,
        );
        continue;
      }
      const wanted = new Map(table.columns.map(c => [c.name, c]));
      for (const column of current.columns) {
        if (!wanted.has(column.name)) {
          problems.push(
            `${table.field}.properties: column ${where}.${column.name} exists in the warehouse but not in the contract; removing a column is a breaking change and is never done automatically`,
          );
        }
      }
      for (const column of table.columns) {
        const have = current.columns.find(c => c.name === column.name);
        // A new column is added; a required one only to an empty table (see ensureTable).
        if (!have) continue;
        if (have.type !== column.type) {
          problems.push(
            `${column.field}: column ${where}.${column.name} is ${have.type} in the warehouse but ${column.type} in the contract; changing a type is a breaking change`,
          );
        }
        if (have.notNull !== column.notNull) {
          problems.push(
            `${column.field}.required: column ${where}.${column.name} is ${
              have.notNull ? 'NOT NULL' : 'nullable'
            } in the warehouse but ${
              column.notNull ? 'required' : 'optional'
            } in the contract; changing it is a breaking change`,
          );
        }
        if (column.unique !== current.uniqueColumns.has(column.name)) {
          problems.push(
            `${column.field}.unique: column ${where}.${column.name} is ${
              current.uniqueColumns.has(column.name) ? '' : 'not '
            }unique in the warehouse but ${
              column.unique ? '' : 'not '
            }unique in the contract; changing it is a breaking change`,
          );
        }
      }
      if (current.primaryKey.join(',') !== table.primaryKey.join(',')) {
        problems.push(
          `${
            table.field
          }: the primary key of ${where} is (${current.primaryKey.join(
            ', ',
          )}) in the warehouse but (${table.primaryKey.join(
            ', ',
          )}) in the contract; changing it is a breaking change`,
        );
      }
    }
    // A table this port used to expose but whose contract no longer lists it.
    const listed = new Set(model.tables.map(t => t.name));
    for (const current of existing.tables.values()) {
      if (
        !listed.has(current.name) &&
        current.selectGrantees.has(model.readerRole)
      ) {
        problems.push(
          `schema: table ${model.schema}.${current.name} is served by output port '${model.port}' but is no longer in the contract; removing a table is a breaking change`,
        );
      }
    }
    return problems;
  }

  private async ensureRoles(
    tx: SqlExecutor,
    run: Run,
    model: PortModel,
    superuser: boolean,
  ) {
    for (const [role, purpose] of [
      [model.ownerRole, 'owns the schema and its tables'],
      [model.readerRole, `reads output port '${model.port}'`],
    ]) {
      if (await roleExists(tx, role)) {
        run.resource('role', role, 'unchanged', purpose);
      } else {
        await run.exec(tx, `CREATE ROLE ${ident(role)} NOLOGIN`, 'apply');
        run.resource('role', role, 'created', purpose);
      }
    }
    // A non-superuser may only hand objects to a role it is a member of.
    if (!superuser && !(await canUseRole(tx, model.ownerRole))) {
      await run.exec(
        tx,
        `GRANT ${ident(model.ownerRole)} TO CURRENT_USER`,
        'apply',
      );
    }
  }

  private async ensureSchema(
    tx: SqlExecutor,
    run: Run,
    model: PortModel,
    existing: ExistingSchema | undefined,
  ) {
    if (!existing) {
      await run.exec(
        tx,
        `CREATE SCHEMA ${ident(model.schema)} AUTHORIZATION ${ident(
          model.ownerRole,
        )}`,
        'apply',
      );
      run.resource('schema', model.schema, 'created');
    } else if (existing.owner !== model.ownerRole) {
      run.log(
        'WARNING',
        `Schema ${model.schema} was owned by ${existing.owner}; handing it to ${model.ownerRole}`,
        'apply',
      );
      await run.exec(
        tx,
        `ALTER SCHEMA ${ident(model.schema)} OWNER TO ${ident(
          model.ownerRole,
        )}`,
        'apply',
      );
      run.resource('schema', model.schema, 'updated', 'owner');
    } else {
      run.resource('schema', model.schema, 'unchanged');
    }
  }

  private async ensureTable(
    tx: SqlExecutor,
    run: Run,
    model: PortModel,
    table: DesiredTable,
    existing: ExistingSchema | undefined,
  ) {
    const name = qualified(model.schema, table.name);
    const resourceName = `${model.schema}.${table.name}`;
    const current = existing?.tables.get(table.name);
    if (!current) {
      const parts = table.columns.map(columnDefinition);
      if (table.primaryKey.length > 0) {
        parts.push(`PRIMARY KEY (${table.primaryKey.map(ident).join(', ')})`);
      }
      for (const column of table.columns.filter(c => c.unique)) {
        parts.push(`UNIQUE (${ident(column.name)})`);
      }
      await run.exec(
        tx,
        `CREATE TABLE ${name} (\n  ${parts.join(',\n  ')}\n)`,
        'apply',
      );
      await run.exec(
        tx,
        `ALTER TABLE ${name} OWNER TO ${ident(model.ownerRole)}`,
        'apply',
      );
      if (table.comment !== null) {
        await run.exec(
          tx,
          `COMMENT ON TABLE ${name} IS ${comment(table.comment)}`,
          'apply',
        );
      }
      for (const column of table.columns.filter(c => c.comment !== null)) {
        await run.exec(
          tx,
          `COMMENT ON COLUMN ${name}.${ident(column.name)} IS ${comment(
            column.comment,
          )}`,
          'apply',
        );
      }
      run.resource(
        'table',
        resourceName,
        'created',
        `${table.columns.length} columns`,
      );
      return;
    }

    const changes: string[] = [];
    const added = table.columns.filter(
      c => !current.columns.some(have => have.name === c.name),
    );
    if (added.some(c => c.notNull) && (await hasRows(tx, name))) {
      throw new ProvisioningRefused(
        added
          .filter(c => c.notNull)
          .map(
            c =>
              `${c.field}.required: cannot add required column ${resourceName}.${c.name} to a table that has rows; add it as optional first`,
          ),
      );
    }
    for (const column of added) {
      await run.exec(
        tx,
        `ALTER TABLE ${name} ADD COLUMN ${columnDefinition(column)}${
          column.unique ? ' UNIQUE' : ''
        }`,
        'apply',
      );
      changes.push(`added column ${column.name}`);
    }
    if (current.owner !== model.ownerRole) {
      await run.exec(
        tx,
        `ALTER TABLE ${name} OWNER TO ${ident(model.ownerRole)}`,
        'apply',
      );
      changes.push('owner');
    }
    if (current.comment !== table.comment) {
      await run.exec(
        tx,
        `COMMENT ON TABLE ${name} IS ${comment(table.comment)}`,
        'apply',
      );
      changes.push('table comment');
    }
    for (const column of table.columns) {
      const have = current.columns.find(c => c.name === column.name);
      if ((have?.comment ?? null) !== column.comment) {
        await run.exec(
          tx,
          `COMMENT ON COLUMN ${name}.${ident(column.name)} IS ${comment(
            column.comment,
          )}`,
          'apply',
        );
        if (have) changes.push(`comment of ${column.name}`);
      }
    }
    run.resource(
      'table',
      resourceName,
      changes.length > 0 ? 'updated' : 'unchanged',
      changes.length > 0 ? changes.join(', ') : undefined,
    );
  }

  private async ensureGrants(
    tx: SqlExecutor,
    run: Run,
    model: PortModel,
    existing: ExistingSchema | undefined,
  ) {
    const reader = ident(model.readerRole);
    const usage = `${model.schema} → ${model.readerRole}`;
    if (existing?.usageGrantees.has(model.readerRole)) {
      run.resource('grant', usage, 'unchanged', 'USAGE on schema');
    } else {
      await run.exec(
        tx,
        `GRANT USAGE ON SCHEMA ${ident(model.schema)} TO ${reader}`,
        'grants',
      );
      run.resource('grant', usage, 'created', 'USAGE on schema');
    }
    for (const table of model.tables) {
      const name = `${model.schema}.${table.name} → ${model.readerRole}`;
      if (
        existing?.tables.get(table.name)?.selectGrantees.has(model.readerRole)
      ) {
        run.resource('grant', name, 'unchanged', 'SELECT');
      } else {
        await run.exec(
          tx,
          `GRANT SELECT ON ${qualified(model.schema, table.name)} TO ${reader}`,
          'grants',
        );
        run.resource('grant', name, 'created', 'SELECT');
      }
    }
  }

  /** Takes the reader role's access away and drops it; members lose access with it. */
  private async dropReader(
    tx: SqlExecutor,
    run: Run,
    model: PortModel,
    existing: ExistingSchema | undefined,
  ) {
    if (!(await roleExists(tx, model.readerRole))) {
      run.resource('role', model.readerRole, 'unchanged', 'already absent');
      return;
    }
    const reader = ident(model.readerRole);
    if (existing) {
      await run.exec(
        tx,
        `REVOKE ALL ON ALL TABLES IN SCHEMA ${ident(
          model.schema,
        )} FROM ${reader}`,
        'unprovision',
      );
      await run.exec(
        tx,
        `REVOKE ALL ON SCHEMA ${ident(model.schema)} FROM ${reader}`,
        'unprovision',
      );
    }
    await run.exec(tx, `DROP ROLE ${reader}`, 'unprovision');
    run.resource(
      'role',
      model.readerRole,
      'dropped',
      'grants revoked, members lose access',
    );
  }

  /**
   * Drops the port's tables; the schema and the owner role go too once no other port's table is
   * left in the schema (ports of one product share it).
   */
  private async dropData(
    tx: SqlExecutor,
    run: Run,
    model: PortModel,
    existing: ExistingSchema | undefined,
  ) {
    if (existing) {
      for (const table of model.tables) {
        if (existing.tables.has(table.name)) {
          await run.exec(
            tx,
            `DROP TABLE ${qualified(model.schema, table.name)} CASCADE`,
            'unprovision',
          );
          run.resource('table', `${model.schema}.${table.name}`, 'dropped');
        }
      }
      const left = [...existing.tables.keys()].filter(
        t => !model.tables.some(d => d.name === t),
      );
      if (left.length > 0) {
        run.resource(
          'schema',
          model.schema,
          'kept',
          `still holds ${left.join(', ')}`,
        );
        run.resource('role', model.ownerRole, 'kept', 'still owns the schema');
        return;
      }
      await run.exec(
        tx,
        `DROP SCHEMA ${ident(model.schema)} CASCADE`,
        'unprovision',
      );
      run.resource('schema', model.schema, 'dropped');
    } else {
      run.resource('schema', model.schema, 'unchanged', 'already absent');
    }
    if (!(await roleExists(tx, model.ownerRole))) {
      run.resource('role', model.ownerRole, 'unchanged', 'already absent');
      return;
    }
    // The owner role may still own something elsewhere; then it is kept rather than failing.
    await tx.query('SAVEPOINT drop_owner');
    try {
      await run.exec(tx, `DROP ROLE ${ident(model.ownerRole)}`, 'unprovision');
      await tx.query('RELEASE SAVEPOINT drop_owner');
      run.resource('role', model.ownerRole, 'dropped');
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT drop_owner');
      run.log(
        'WARNING',
        `Kept role ${model.ownerRole}: ${messageOf(error)}`,
        'unprovision',
      );
      run.resource('role', model.ownerRole, 'kept', messageOf(error));
    }
  }

  private publicInfo(model: PortModel, database: string): JsonObject {
    const embedded = this.options.mode !== 'server';
    const first = model.tables[0];
    const info: JsonObject = {
      engine: embedded ? 'PGlite (embedded PostgreSQL)' : 'PostgreSQL',
      database,
      schema: model.schema,
      tables: model.tables.map(t => `${model.schema}.${t.name}`),
      readerRole: model.readerRole,
      exampleQuery: `SELECT ${first.columns.map(c => c.name).join(', ')} FROM ${
        model.schema
      }.${first.name} LIMIT 10`,
    };
    if (this.options.publicHost) info.host = this.options.publicHost;
    if (this.options.publicPort) info.port = this.options.publicPort;
    if (embedded && !this.options.publicHost) {
      info.access =
        'The embedded warehouse runs inside Backstage and has no network endpoint.';
    }
    return info;
  }
}

async function hasRows(tx: SqlExecutor, table: string): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 FROM ${table} LIMIT 1`);
  return rows.length > 0;
}
