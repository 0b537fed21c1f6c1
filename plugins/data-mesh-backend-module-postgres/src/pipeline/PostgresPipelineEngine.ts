import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  PipelineColumnSource,
  PipelineDataset,
  PipelineEngine,
  PipelineLogLevel,
  PipelineStepRequest,
  PipelineStepResult,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { lockPrincipals } from '../provider/catalog';
import { ident, qualified } from '../provider/identifiers';
import { createMissingPrincipalRoles } from '../provider/principalRoles';
import {
  PrincipalMapper,
  PrincipalMappingOptions,
} from '../provider/principals';
import { SqlClient, SqlExecutor } from '../provider/sql';
import { columnLineage, ColumnSource } from './columnLineage';
import {
  DatasetNamer,
  KnownTable,
  knownTables,
  warehouseNamespace,
} from './datasets';
import { AstNode, checkStatement, tokenize } from './statement';
import { resolveTarget, StepTarget } from './target';
import {
  CatalogColumn,
  isDirectMember,
  planRelations,
  RelationRef,
  relationColumns,
  targetState,
  tempTableColumns,
} from './warehouse';

/** @public */
export interface PostgresPipelineEngineOptions {
  /** The warehouse: the same client as the `PostgresProvider`'s. */
  client: SqlClient;
  /** Host and port of the warehouse in dataset namespaces (as the provider's `publicInfo`). */
  publicHost?: string;
  publicPort?: number;
  /** As the provider's, so that a product's principal is the role its grants went to. */
  principals?: PrincipalMappingOptions;
}

/** The session-local table a step's result is materialised in; dropped at the end of the step. */
const RESULT_TABLE = 'dm_pipeline_result';

/** A refusal in words (the field named); nothing is written. */
class StepRefused extends Error {}

class StepAborted extends Error {
  constructor() {
    super('aborted');
  }
}

interface DatabaseError {
  message: string;
  code?: string;
  detail?: string;
}

function databaseError(error: unknown): DatabaseError {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { message: unknown; code?: unknown; detail?: unknown };
    return {
      message: String(e.message),
      code: typeof e.code === 'string' ? e.code : undefined,
      detail: typeof e.detail === 'string' ? e.detail : undefined,
    };
  }
  return { message: String(error) };
}

/**
 * Lets timers due meanwhile fire: PGlite runs in this thread, so an AbortSignal's timeout can only
 * fire between statements, and only if the engine yields to the event loop.
 */
function yieldToTimers(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

function ms(since: number): string {
  return `${Date.now() - since} ms`;
}

/** What a completed transaction hands back for naming and lineage. */
interface Executed {
  database: string;
  relations: RelationRef[];
  relationColumns: Map<string, CatalogColumn[]>;
  resultColumns: string[];
  targetColumns: CatalogColumn[];
  deleted?: number;
  inserted: number;
}

/**
 * The built-in pipeline engine: runs a step's SELECT in the warehouse, under the product's owner
 * role (a member of the product's principal role, so it reads exactly the upstream ports the
 * product was granted), and replaces or appends the rows of one table of the product's output
 * port, in one transaction. Inputs come from PostgreSQL's own plan; column lineage from the SQL's
 * syntax tree, resolved against that plan.
 * @public
 */
export class PostgresPipelineEngine implements PipelineEngine {
  readonly id = 'postgres';

  private readonly client: SqlClient;
  private readonly options: PostgresPipelineEngineOptions;
  private readonly principals: PrincipalMapper;

  constructor(options: PostgresPipelineEngineOptions) {
    this.client = options.client;
    this.options = options;
    this.principals = new PrincipalMapper(options.principals);
  }

  async runStep(request: PipelineStepRequest): Promise<PipelineStepResult> {
    const started = Date.now();
    const log = (level: PipelineLogLevel, message: string) =>
      request.log(level, message);
    const label = `Step '${request.step?.name ?? ''}'`;
    const givenSql =
      typeof request.step?.sql === 'string' ? request.step.sql : '';

    const resolved = resolveTarget(request);
    if ('error' in resolved) {
      log('ERROR', resolved.error);
      return {
        status: 'FAILED',
        message: resolved.error,
        sql: givenSql,
        inputs: [],
      };
    }
    const target = resolved.target;
    const { model, table } = target;
    const product = stringifyEntityRef(request.dataProduct);
    const tables = knownTables(request, log);
    const outputKnown = tables.get(`${model.schema}.${table.name}`);
    const failed = (
      message: string,
      extra: Partial<PipelineStepResult> = {},
      database?: string,
    ): PipelineStepResult => {
      log('ERROR', message);
      // The table is named even on failure, so that the failed run is attached to it.
      const output = database
        ? this.namer(tables, target, database).name(model.schema, table.name)
        : outputKnown?.dataset && {
            namespace: outputKnown.dataset.namespace,
            name: outputKnown.dataset.name,
          };
      return {
        status: 'FAILED',
        message,
        sql: givenSql,
        inputs: [],
        ...(output ? { output } : {}),
        ...extra,
      };
    };

    const aborted = () =>
      `${label} was aborted (the run's time ran out) and rolled back; nothing was written`;
    if (request.signal?.aborted) return failed(aborted());
    const principal = this.principals.toRole(product, 'dataProduct');
    if ('error' in principal) return failed(principal.error);
    const checked = checkStatement(request.step.sql);
    if (!checked.ok) {
      return failed(`${target.field}.sql: the statement ${checked.error}`);
    }
    if (checked.warning) log('WARNING', checked.warning);
    const sql = checked.sql;
    const targetName = qualified(model.schema, table.name);

    log(
      'INFO',
      `${label}: ${target.mode} ${model.schema}.${table.name} (output port '${model.port}') as role ${model.ownerRole}, a member of ${principal.role} (${product}), with:\n${sql}`,
    );

    // 1. The owner role must act as the product: a member of its principal role, which holds the
    // product's grants. Roles and memberships are not rows: this short transaction commits on its
    // own, so that the step's transaction never holds the principals' lock.
    let database: string | undefined;
    try {
      database = await this.client.transaction(async tx => {
        const state = await targetState(
          tx,
          model.ownerRole,
          model.schema,
          table.name,
        );
        if (!state.ownerExists || !state.tableExists) {
          throw new StepRefused(
            `${target.field}.port: output port '${
              model.port
            }' is not provisioned (${
              state.ownerExists
                ? `table ${model.schema}.${table.name} does not exist`
                : `role ${model.ownerRole} does not exist`
            }); deploy the product first`,
          );
        }
        if (
          principal.role !== model.ownerRole &&
          !(await isDirectMember(tx, model.ownerRole, principal.role))
        ) {
          await lockPrincipals(tx);
          const exec = async (statement: string) => {
            log('INFO', statement);
            await tx.query(statement);
          };
          await createMissingPrincipalRoles(
            tx,
            new Map([[principal.role, product]]),
            exec,
          );
          if (!(await isDirectMember(tx, model.ownerRole, principal.role))) {
            await exec(
              `GRANT ${ident(principal.role)} TO ${ident(model.ownerRole)}`,
            );
          }
        }
        return state.database;
      });
    } catch (error) {
      if (error instanceof StepRefused) return failed(error.message);
      return failed(
        `${label} failed before it ran: ${databaseError(error).message}`,
      );
    }

    // 2. The step: one transaction, all rows or none.
    let columns: string[] | undefined;
    let inputs: PipelineDataset[] = [];
    const namer = this.namer(tables, target, database);
    const reported = () => reportedSql(target, targetName, sql, columns);
    const signal = request.signal;
    try {
      const executed = await this.client.transaction(
        tx =>
          this.execute(tx, {
            target,
            targetName,
            sql,
            log,
            signal,
            database: database!,
            onRelations: found => {
              inputs = found.map(r => namer.name(r.schema, r.table));
            },
            onColumns: found => {
              columns = found;
            },
          }),
        { signal },
      );
      inputs = executed.relations.map(r => ({
        ...namer.name(r.schema, r.table),
        fields: (
          executed.relationColumns.get(`${r.schema}.${r.table}`) ?? []
        ).map(c => ({
          name: c.name,
          type: c.type,
        })),
      }));
      const lineage = checked.ast
        ? this.lineage(checked.ast, executed, target, namer, log)
        : undefined;
      if (!checked.ast) {
        log(
          'DEBUG',
          'No column lineage: the SQL parser could not read the statement',
        );
      }
      log(
        'INFO',
        `${label}: wrote ${executed.inserted} row(s) to ${model.schema}.${
          table.name
        }${
          executed.deleted !== undefined
            ? ` (replacing ${executed.deleted})`
            : ''
        } in ${ms(started)}`,
      );
      return {
        status: 'COMPLETED',
        sql: reported(),
        rowsWritten: executed.inserted,
        inputs,
        output: {
          ...namer.name(model.schema, table.name),
          fields: executed.targetColumns.map(c => ({
            name: c.name,
            type: c.type,
          })),
        },
        ...(lineage ? { columnLineage: lineage } : {}),
      };
    } catch (error) {
      const extra = { sql: reported(), inputs };
      if (error instanceof StepRefused) {
        return failed(`${error.message}; nothing was written`, extra, database);
      }
      if (error instanceof StepAborted || signal?.aborted) {
        return failed(aborted(), extra, database);
      }
      const e = databaseError(error);
      const reason =
        e.code === '42501'
          ? this.permissionMessage(
              e.message,
              sql,
              tables,
              target,
              product,
              principal.role,
            )
          : `${e.message}${e.detail ? ` (${e.detail})` : ''}`;
      return failed(
        `${label} failed and was rolled back, nothing was written: ${reason}`,
        extra,
        database,
      );
    }
  }

  private async execute(
    tx: SqlExecutor,
    args: {
      target: StepTarget;
      targetName: string;
      sql: string;
      log: (level: PipelineLogLevel, message: string) => void;
      signal?: AbortSignal;
      database: string;
      onRelations(relations: RelationRef[]): void;
      onColumns(columns: string[]): void;
    },
  ): Promise<Executed> {
    const { target, targetName, sql, log, signal } = args;
    const { model, table } = target;
    const result = ident(RESULT_TABLE);
    // Statements that carry the step's SQL are logged with a placeholder (it was logged once) and
    // always sent with parameters: the extended protocol takes exactly one statement.
    const run = async <R extends Record<string, unknown>>(
      statement: string,
      shown = statement,
    ): Promise<R[]> => {
      if (signal?.aborted) throw new StepAborted();
      const t = Date.now();
      const rows = await tx.query<R>(statement, []);
      log('INFO', `${shown} (${ms(t)})`);
      if (signal) await yieldToTimers();
      if (signal?.aborted) throw new StepAborted();
      return rows;
    };
    const stepSql = "(the step's SQL)";

    // Concurrent runs of steps writing one table would interleave their DELETE and INSERT.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `data-mesh:pipeline:${model.schema}.${table.name}`,
    ]);
    await run(`SET LOCAL ROLE ${ident(model.ownerRole)}`);
    await run(`SET LOCAL search_path = ${ident(model.schema)}, public`);

    // What PostgreSQL will read (and whether the role may: EXPLAIN checks privileges).
    const plan = await run<Record<string, unknown>>(
      `EXPLAIN (VERBOSE, FORMAT JSON)\n${sql}`,
      `EXPLAIN (VERBOSE, FORMAT JSON) ${stepSql}`,
    );
    const relations = planRelations(plan);
    args.onRelations(relations);
    const inputColumns = await relationColumns(tx, relations);

    // The result's columns, before anything runs: WITH NO DATA only plans the query.
    await run(
      `CREATE TEMP TABLE ${result} ON COMMIT DROP AS\n${sql}\nWITH NO DATA`,
      `CREATE TEMP TABLE ${result} ON COMMIT DROP AS ${stepSql} WITH NO DATA`,
    );
    const resultColumns = (await tempTableColumns(tx, RESULT_TABLE)).map(
      c => c.name,
    );
    args.onColumns(resultColumns);
    const targetColumns =
      (
        await relationColumns(tx, [{ schema: model.schema, table: table.name }])
      ).get(`${model.schema}.${table.name}`) ?? [];
    const have = new Set(targetColumns.map(c => c.name));
    const extra = resultColumns.filter(c => !have.has(c));
    if (extra.length > 0) {
      throw new StepRefused(
        `${target.field}.sql: the result has column(s) ${extra.join(
          ', ',
        )}, which ${
          extra.length === 1 ? 'is not a column' : 'are not columns'
        } of ${model.schema}.${table.name} (${targetColumns
          .map(c => c.name)
          .join(', ')}); name the SELECT's columns like the table's`,
      );
    }
    const missing = targetColumns.filter(
      c => c.notNull && !c.hasDefault && !resultColumns.includes(c.name),
    );
    if (missing.length > 0) {
      throw new StepRefused(
        `${
          target.field
        }.sql: the result has no column for required column(s) ${missing
          .map(c => c.name)
          .join(', ')} of ${model.schema}.${table.name}`,
      );
    }

    // The step's SQL runs once, into the session-local table.
    await run(
      `INSERT INTO ${result}\n${sql}`,
      `INSERT INTO ${result} ${stepSql}`,
    );
    const [{ role }] = await tx.query<{ role: string }>(
      'SELECT current_user::text AS role',
    );
    if (role !== model.ownerRole) {
      throw new StepRefused(
        `${target.field}.sql: the statement switched the role it runs under (to ${role})`,
      );
    }

    // DELETE rather than TRUNCATE: it takes a ROW EXCLUSIVE lock, so consumers keep reading the
    // old rows until the step commits, and it is MVCC-safe for their older snapshots. TRUNCATE
    // would block every reader of the port (ACCESS EXCLUSIVE) for the rest of the step.
    let deleted: number | undefined;
    if (target.mode === 'replace') {
      const [row] = await run<{ n: number }>(
        `WITH deleted AS (DELETE FROM ${targetName} RETURNING 1) SELECT count(*)::int AS n FROM deleted`,
      );
      deleted = Number(row.n);
    }
    const list = resultColumns.map(ident).join(', ');
    const [row] = await run<{ n: number }>(
      `WITH inserted AS (INSERT INTO ${targetName} (${list}) SELECT ${list} FROM ${result} RETURNING 1) SELECT count(*)::int AS n FROM inserted`,
    );
    if (signal?.aborted) throw new StepAborted();
    return {
      database: args.database,
      relations,
      relationColumns: inputColumns,
      resultColumns,
      targetColumns,
      deleted,
      inserted: Number(row.n),
    };
  }

  private namer(
    tables: Map<string, KnownTable>,
    target: StepTarget,
    database: string,
  ): DatasetNamer {
    return new DatasetNamer(
      tables,
      warehouseNamespace(
        this.options.publicHost,
        this.options.publicPort,
        target.contract,
      ),
      database,
    );
  }

  private lineage(
    ast: AstNode,
    executed: Executed,
    target: StepTarget,
    namer: DatasetNamer,
    log: (level: PipelineLogLevel, message: string) => void,
  ): Record<string, PipelineColumnSource[]> {
    try {
      const relations = new Map(
        [...executed.relationColumns].map(([k, cols]) => [
          k,
          cols.map(c => c.name),
        ]),
      );
      const lineage = columnLineage(ast, executed.resultColumns, {
        relations,
        searchPath: [target.model.schema, 'public'],
        debug: message => log('DEBUG', message),
      });
      const toSource = (s: ColumnSource): PipelineColumnSource => {
        const dot = s.relation.indexOf('.');
        return {
          ...namer.name(s.relation.slice(0, dot), s.relation.slice(dot + 1)),
          field: s.column,
          type: s.type,
          subtype: s.subtype,
        };
      };
      return Object.fromEntries(
        Object.entries(lineage).map(([column, sources]) => [
          column,
          sources.map(toSource),
        ]),
      );
    } catch (error) {
      // Lineage is a by-product: a statement the analysis does not follow still ran.
      log(
        'DEBUG',
        `column lineage: analysis failed: ${databaseError(error).message}`,
      );
      return {};
    }
  }

  /**
   * `permission denied for table x` in words: which port the product lacks access to, and what to
   * do about it.
   */
  private permissionMessage(
    message: string,
    sql: string,
    tables: Map<string, KnownTable>,
    target: StepTarget,
    product: string,
    principalRole: string,
  ): string {
    const match =
      /permission denied for (table|schema|relation|view) "?([^"\s]+)"?/.exec(
        message,
      );
    const generic = `${message}: the step runs as ${target.model.ownerRole}, which only holds the grants of ${product} (role ${principalRole}); request access to the output port that serves it for ${product}`;
    if (!match) return generic;
    const [, kind, name] = match;
    const mentioned = mentionedTables(sql);
    const upstream = [...tables.values()].filter(t => !t.own);
    let candidates =
      kind === 'schema'
        ? upstream.filter(t => t.schema === name)
        : upstream.filter(t => t.table === name);
    const named = candidates.filter(t =>
      mentioned.some(
        m => m.table === t.table && (!m.schema || m.schema === t.schema),
      ),
    );
    if (named.length > 0) candidates = named;
    if (candidates.length === 0) return generic;
    const ports = [
      ...new Set(
        candidates.map(t => `output port '${t.port}' of ${t.product}`),
      ),
    ];
    return `${message}: the data product has no access to ${candidates
      .map(t => `${t.schema}.${t.table}`)
      .join(', ')} (${ports.join('; ')}); request access to ${
      ports.length === 1 ? 'that output port' : 'those output ports'
    } for ${product}`;
  }
}

/** `schema.table` and bare names after FROM/JOIN, read from the tokens. */
function mentionedTables(
  sql: string,
): Array<{ schema?: string; table: string }> {
  let tokens;
  try {
    tokens = tokenize(sql);
  } catch {
    return [];
  }
  const result: Array<{ schema?: string; table: string }> = [];
  const isName = (i: number) =>
    tokens[i] && (tokens[i].kind === 'word' || tokens[i].kind === 'quoted');
  for (let i = 0; i < tokens.length; i++) {
    if (isName(i) && tokens[i + 1]?.value === '.' && isName(i + 2)) {
      result.push({ schema: tokens[i].value, table: tokens[i + 2].value });
    } else if (
      isName(i) &&
      ['from', 'join'].includes(tokens[i - 1]?.value ?? '') &&
      tokens[i + 1]?.value !== '.'
    ) {
      result.push({ table: tokens[i].value });
    }
  }
  return result;
}

/** The statement as it takes effect: the step's SELECT inside the engine's INSERT. */
function reportedSql(
  target: StepTarget,
  targetName: string,
  sql: string,
  columns: string[] | undefined,
): string {
  const insert = `INSERT INTO ${targetName}${
    columns ? ` (${columns.map(ident).join(', ')})` : ''
  }\n${sql};`;
  return target.mode === 'replace'
    ? `DELETE FROM ${targetName};\n${insert}`
    : insert;
}
