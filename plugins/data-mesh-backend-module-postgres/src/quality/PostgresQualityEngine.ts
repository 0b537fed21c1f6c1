import {
  QualityCheck,
  QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  QualityEngine,
  QualityLogLevel,
  QualityScanRequest,
  QualityScanResult,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { ident, qualified } from '../provider/identifiers';
import { SqlClient } from '../provider/sql';
import { QualityCatalog, readQualityCatalog } from './catalog';
import { errored } from './measurement';
import { resolvePort, ResolvedTable } from './resolve';
import { schemaConformance } from './schemaConformance';
import { readSqlRule, sqlRuleStatement } from './sqlRule';
import { TableScan } from './TableScan';

/** @public */
export interface PostgresQualityEngineOptions {
  /** The warehouse: the same client as the `PostgresProvider`'s. */
  client: SqlClient;
  /** Longest a single query of a scan may run (`statement_timeout`); 5 minutes by default. */
  statementTimeoutMs?: number;
  /**
   * Table size, in 8 kB pages, from which duplicate checks on columns no unique key covers run in
   * their own query, so that the table's other checks keep a parallel plan (count(DISTINCT) has
   * none). By default the server's `min_parallel_table_scan_size`, and never when it runs no
   * parallel workers (PGlite).
   */
  separateDistinctFromPages?: number;
  /**
   * On those same large tables, the scan groups by low-cardinality columns whose values it tests
   * (lists, patterns), so that each distinct value is tested once: at most this many groups, as
   * estimated by ANALYZE. Default 16,384 (a few MB of hash table, within the default `work_mem`
   * times `hash_mem_multiplier`); 0: never.
   */
  maxScanGroups?: number;
}

const DEFAULT_STATEMENT_TIMEOUT_MS = 5 * 60 * 1000;

/** Metrics measured by the backend from pipeline runs, not in the warehouse. */
const NOT_MEASURED_HERE = new Set(['frequency']);

class ScanAborted extends Error {
  constructor() {
    super('the scan was aborted (its time ran out); nothing more was measured');
  }
}

function messageOf(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { message: unknown; detail?: unknown };
    return `${String(e.message)}${
      typeof e.detail === 'string' ? ` (${e.detail})` : ''
    }`;
  }
  return String(error);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Lets timers fire between statements: PGlite runs in this thread (see the pipeline engine). */
function yieldToTimers(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

/**
 * Measures a port's quality checks in the built-in warehouse: per table ONE aggregate query for
 * every library metric and the freshness/retention SLAs, one catalogue query for the schema
 * checks of all tables, one query per sql rule. Everything runs in one read-only transaction under
 * the product's owner role, with a statement timeout, and stops when the request's signal aborts.
 * Checks of metric `frequency` are measured by the backend from pipeline runs and are not
 * returned. `queries` counts the statements that read the warehouse (catalogue and data), not
 * transaction control (SET, SAVEPOINT).
 * @public
 */
export class PostgresQualityEngine implements QualityEngine {
  /** The provider's id: a port's checks run on the engine of its provider. */
  readonly id = 'postgres';

  private readonly client: SqlClient;
  private readonly options: PostgresQualityEngineOptions;

  constructor(options: PostgresQualityEngineOptions) {
    this.client = options.client;
    this.options = options;
  }

  async scan(request: QualityScanRequest): Promise<QualityScanResult> {
    const started = Date.now();
    const checks = request.checks.filter(c => !NOT_MEASURED_HERE.has(c.metric));
    const results = new Map<string, QualityMeasurement>();
    const log = (level: QualityLogLevel, message: string) =>
      request.log(level, message);
    let queries = 0;
    const finish = (reason: string): QualityScanResult => {
      for (const check of checks) {
        if (!results.has(check.key))
          results.set(check.key, errored(check, reason));
      }
      return {
        measurements: checks.map(c => results.get(c.key)!),
        queries,
      };
    };

    const port = resolvePort(request);
    if ('error' in port) {
      log('ERROR', port.error);
      return finish(port.error);
    }
    const { model } = port;
    // Checks on a table the contract does not hold are answered before anything runs.
    const byTable = new Map<ResolvedTable, QualityCheck[]>();
    for (const check of checks) {
      const table = port.tables.get(check.table);
      if (!table) {
        results.set(
          check.key,
          errored(
            check,
            `table ${check.table} is not a table of output port '${request.port}'`,
          ),
        );
        continue;
      }
      byTable.set(table, [...(byTable.get(table) ?? []), check]);
    }
    if (byTable.size === 0) return finish('nothing to measure');

    const signal = request.signal;
    if (signal?.aborted) return finish(new ScanAborted().message);
    log(
      'INFO',
      `Measuring ${checks.length} check(s) of output port '${request.port}' (${[
        ...byTable.keys(),
      ]
        .map(t => `${t.schema}.${t.table}`)
        .join(', ')}) as role ${model.ownerRole}, read-only`,
    );

    const timeout =
      this.options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    try {
      await this.client.transaction(
        async tx => {
          const control = async (statement: string) => {
            if (signal?.aborted) throw new ScanAborted();
            await tx.query(statement);
          };
          // A query that reads the warehouse: counted, logged, abortable between statements.
          const read = async <R extends Record<string, unknown>>(
            statement: string,
            params: unknown[],
            label: string,
          ): Promise<R[]> => {
            if (signal?.aborted) throw new ScanAborted();
            queries++;
            const t = Date.now();
            const rows = await tx.query<R>(statement, params);
            log('DEBUG', `${label} (${Date.now() - t} ms)`);
            if (signal) await yieldToTimers();
            if (signal?.aborted) throw new ScanAborted();
            return rows;
          };
          // One failing query must not end the transaction for the others.
          const guarded = async <T>(
            fn: () => Promise<T>,
          ): Promise<{ ok: T } | { error: unknown }> => {
            await control('SAVEPOINT dm_quality_check');
            try {
              const ok = await fn();
              await control('RELEASE SAVEPOINT dm_quality_check');
              return { ok };
            } catch (error) {
              if (error instanceof ScanAborted || signal?.aborted) {
                throw error instanceof ScanAborted ? error : new ScanAborted();
              }
              await control('ROLLBACK TO SAVEPOINT dm_quality_check');
              return { error };
            }
          };

          await control('SET TRANSACTION READ ONLY');
          await control(`SET LOCAL ROLE ${ident(model.ownerRole)}`);
          await control(
            `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeout))}`,
          );
          await control(
            `SET LOCAL search_path = ${ident(model.schema)}, public`,
          );

          const catalog = await readQualityCatalog(
            {
              query: (statement, params) =>
                read(statement, params ?? [], 'catalogue of the port'),
            },
            model.schema,
            [...byTable.keys()].map(t => t.table),
          );
          for (const [resolved, tableChecks] of byTable) {
            await this.measureTable(resolved, tableChecks, catalog, {
              request,
              results,
              read,
              guarded,
              control,
              ownerRole: model.ownerRole,
            });
          }
        },
        { signal },
      );
    } catch (error) {
      const reason =
        error instanceof ScanAborted || signal?.aborted
          ? new ScanAborted().message
          : `the scan failed: ${messageOf(error)}`;
      log('ERROR', reason);
      return finish(reason);
    }

    const counts = { pass: 0, fail: 0, error: 0 };
    for (const m of results.values()) counts[m.status]++;
    log(
      'INFO',
      `Measured ${checks.length} check(s) with ${queries} quer${
        queries === 1 ? 'y' : 'ies'
      } in ${Date.now() - started} ms: ${counts.pass} pass, ${
        counts.fail
      } fail, ${counts.error} error`,
    );
    return finish('not measured');
  }

  private async measureTable(
    resolved: ResolvedTable,
    checks: QualityCheck[],
    catalog: QualityCatalog,
    ctx: {
      request: QualityScanRequest;
      results: Map<string, QualityMeasurement>;
      read: <R extends Record<string, unknown>>(
        statement: string,
        params: unknown[],
        label: string,
      ) => Promise<R[]>;
      guarded: <T>(
        fn: () => Promise<T>,
      ) => Promise<{ ok: T } | { error: unknown }>;
      control: (statement: string) => Promise<void>;
      ownerRole: string;
    },
  ) {
    const { request, results, read, guarded } = ctx;
    const where = `${resolved.schema}.${resolved.table}`;
    const set = (m: QualityMeasurement) => results.set(m.key, m);
    const table = catalog.tables.get(resolved.table);
    if (!table) {
      for (const check of checks) {
        set(
          errored(
            check,
            `table ${where} does not exist: deploy the product first`,
          ),
        );
      }
      return;
    }

    const separateFrom =
      this.options.separateDistinctFromPages ??
      (catalog.parallelWorkers > 0 ? catalog.minParallelPages : Infinity);
    const small = table.pages < separateFrom;
    const options = {
      distinct: small,
      now: request.now,
      maxGroups: small ? 0 : this.options.maxScanGroups ?? 16_384,
    };
    const measured: QualityCheck[] = [];
    const sqlRules: QualityCheck[] = [];
    for (const check of checks) {
      if (check.kind === 'schema') {
        set(schemaConformance(check, resolved, table));
      } else if (check.kind === 'sql') {
        sqlRules.push(check);
      } else {
        measured.push(check);
      }
    }

    // 1. The table's aggregate: one scan for every library and SLA check.
    const plan = (list: QualityCheck[]) => {
      const scan = new TableScan(resolved, table, options);
      const scanned: QualityCheck[] = [];
      const separate: QualityCheck[] = [];
      for (const check of list) {
        const planned = scan.add(check);
        if (planned === 'scan') scanned.push(check);
        if (planned === 'separate') separate.push(check);
      }
      scan.answered.forEach(set);
      return { scan, scanned, separate };
    };
    const runScan = async (
      scan: TableScan,
      of: QualityCheck[],
    ): Promise<unknown> => {
      const statement = scan.sql();
      if (!statement) return undefined;
      const outcome = await guarded(() =>
        read<Record<string, unknown>>(
          statement,
          scan.params,
          `scan of ${where} for ${of.length} check(s)${
            scan.groupedBy.length > 0
              ? `, grouped by ${scan.groupedBy.join(', ')}`
              : ''
          }`,
        ),
      );
      if ('ok' in outcome) {
        scan.read(outcome.ok[0]).forEach(set);
        return undefined;
      }
      return outcome.error;
    };
    const failAll = (error: unknown, of: QualityCheck[]) => {
      const why = this.scanError(error, where);
      request.log('WARNING', why);
      for (const check of of) set(errored(check, why));
    };

    let planned = plan(measured);
    let error = await runScan(planned.scan, planned.scanned);
    if (error && codeOf(error) === '2201B') {
      // A pattern PostgreSQL cannot compile fails the whole scan: find it, scan without it.
      const bad = await this.invalidPatterns(planned.scanned, guarded, read);
      for (const [check, why] of bad) set(errored(check, why));
      planned = plan(planned.scanned.filter(c => !bad.has(c)));
      error = await runScan(planned.scan, planned.scanned);
    }
    if (error) failAll(error, planned.scanned);
    // Non-key duplicates of a large table: each alone, strings by their hash, and only when
    // that finds duplicates (maybe a hash collision) counted again exactly.
    for (const check of planned.separate) {
      const alone = (hashDistinct: boolean) => {
        const one = new TableScan(resolved, table, {
          ...options,
          distinct: true,
          hashDistinct,
        });
        one.add(check);
        return one;
      };
      const hashed = alone(true);
      let failed = await runScan(hashed, [check]);
      if (!failed && hashed.inexact.length > 0) {
        failed = await runScan(alone(false), [check]);
      }
      if (failed) failAll(failed, [check]);
    }

    // 2. sql rules, each its own query, under the owner role even if an earlier one switched it.
    for (const check of sqlRules) {
      const column = check.column
        ? resolved.columns.get(check.column)
        : undefined;
      if (check.column && (!column || !table.columns.has(column))) {
        set(
          errored(
            check,
            `column ${column ?? check.column} does not exist in ${where}`,
          ),
        );
        continue;
      }
      if (!check.query) {
        set(errored(check, 'the sql rule has no query'));
        continue;
      }
      await ctx.control(`SET LOCAL ROLE ${ident(ctx.ownerRole)}`);
      const statement = sqlRuleStatement(check.query, {
        table: qualified(resolved.schema, resolved.table),
        ...(column ? { column: ident(column) } : {}),
      });
      const outcome = await guarded(() =>
        read<{ type: string; value: string | null; role: string }>(
          statement,
          [],
          `sql rule ${check.key} on ${where}`,
        ),
      );
      if ('error' in outcome) {
        set(errored(check, `the query failed: ${messageOf(outcome.error)}`));
      } else if (outcome.ok[0].role !== ctx.ownerRole) {
        set(
          errored(
            check,
            `the query switched the role it runs under (to ${outcome.ok[0].role})`,
          ),
        );
      } else {
        set(readSqlRule(check, outcome.ok[0]));
      }
    }
  }

  /** The pattern checks whose regular expression PostgreSQL refuses, with its reason. */
  private async invalidPatterns(
    checks: QualityCheck[],
    guarded: <T>(
      fn: () => Promise<T>,
    ) => Promise<{ ok: T } | { error: unknown }>,
    read: (
      statement: string,
      params: unknown[],
      label: string,
    ) => Promise<unknown>,
  ): Promise<Map<QualityCheck, string>> {
    const bad = new Map<QualityCheck, string>();
    for (const check of checks) {
      const pattern = check.arguments?.pattern;
      if (check.metric !== 'invalidValues' || typeof pattern !== 'string') {
        continue;
      }
      const outcome = await guarded(() =>
        read(
          `SELECT '' ~ $1::text AS ok`,
          [pattern],
          `pattern of ${check.key}`,
        ),
      );
      if ('error' in outcome) {
        bad.set(
          check,
          `arguments.pattern is not a PostgreSQL regular expression: ${messageOf(
            outcome.error,
          )}`,
        );
      }
    }
    return bad;
  }

  private scanError(error: unknown, where: string): string {
    if (codeOf(error) === '57014') {
      return `the scan of ${where} ran longer than the statement timeout (${
        this.options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS
      } ms) and was cancelled`;
    }
    return `the scan of ${where} failed: ${messageOf(error)}`;
  }
}
