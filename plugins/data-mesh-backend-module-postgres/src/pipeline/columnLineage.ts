import { AstNode } from './statement';

// Column lineage of one SELECT, read from node-sql-parser's AST and resolved against the relations
// PostgreSQL's EXPLAIN says the statement reads (with their columns from the catalog). It follows
// the OpenLineage column lineage facet: DIRECT sources (IDENTITY, TRANSFORMATION, AGGREGATION)
// are the columns an output value is computed from; INDIRECT ones (JOIN, FILTER, GROUP_BY, SORT,
// WINDOW, CONDITIONAL) decide which rows there are or which branch is taken. Query-wide INDIRECT
// sources (WHERE, JOIN, GROUP BY…) apply to every output column. What cannot be resolved is left
// out and reported through `debug`, never guessed.

export type DirectSubtype = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';
export type IndirectSubtype =
  | 'JOIN'
  | 'FILTER'
  | 'GROUP_BY'
  | 'SORT'
  | 'WINDOW'
  | 'CONDITIONAL';

/** One source column; `relation` is `schema.table`. */
export type ColumnSource =
  | { relation: string; column: string; type: 'DIRECT'; subtype: DirectSubtype }
  | {
      relation: string;
      column: string;
      type: 'INDIRECT';
      subtype: IndirectSubtype;
    };

export interface LineageContext {
  /** The relations the statement reads (`schema.table`, from EXPLAIN) and their columns. */
  relations: Map<string, string[]>;
  /** Schemas searched for an unqualified table, in order. */
  searchPath: string[];
  debug(message: string): void;
}

interface OutputColumn {
  name?: string;
  sources: ColumnSource[];
}

interface QueryLineage {
  columns: OutputColumn[];
  /** Sources that shape every row (WHERE, JOIN, GROUP BY, HAVING, ORDER BY). */
  indirect: ColumnSource[];
  /** True when `*` met a source whose columns are unknown: positions cannot be trusted. */
  incomplete: boolean;
}

interface ScopeItem {
  alias: string;
  /** Known column names, in order; undefined for a source that cannot be resolved. */
  columns?: string[];
  resolve(column: string): ColumnSource[] | undefined;
}

interface Cte {
  lineage: QueryLineage;
  names: string[];
}

const RANK: Record<DirectSubtype, number> = {
  IDENTITY: 0,
  TRANSFORMATION: 1,
  AGGREGATION: 2,
};

function stronger(a: DirectSubtype, b: DirectSubtype): DirectSubtype {
  return RANK[a] >= RANK[b] ? a : b;
}

function isNode(value: unknown): value is AstNode {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** A name as the parser gives it: a string or `{ type, value }`; unquoted names fold to lower. */
function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (isNode(value)) {
    if (typeof value.value === 'string') {
      return value.type === 'double_quote_string' ||
        value.type === 'backticks_quote_string'
        ? value.value
        : value.value.toLowerCase();
    }
    if (isNode(value.expr)) return nameOf(value.expr);
  }
  return undefined;
}

/** `g(x, y)`: the parser keeps a column alias list inside the alias string. */
function splitAlias(alias: string): { alias: string; columns?: string[] } {
  const match = /^([^()]+)\((.*)\)$/.exec(alias);
  if (!match) return { alias };
  return {
    alias: match[1].trim(),
    columns: match[2].split(',').map(c => c.trim().replace(/^"|"$/g, '')),
  };
}

class Scope {
  readonly items: ScopeItem[] = [];
  constructor(readonly parent?: Scope) {}

  byAlias(alias: string): ScopeItem | undefined {
    return (
      this.items.find(i => i.alias === alias) ?? this.parent?.byAlias(alias)
    );
  }

  unqualified(column: string): ColumnSource[] | undefined {
    for (const item of this.items) {
      if (item.columns?.includes(column)) return item.resolve(column);
    }
    return this.parent?.unqualified(column);
  }
}

function dedupe(sources: ColumnSource[]): ColumnSource[] {
  const seen = new Set<string>();
  return sources.filter(s => {
    const key = `${s.relation}|${s.column}|${s.type}|${s.subtype}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function indirect(
  sources: ColumnSource[],
  subtype: IndirectSubtype,
): ColumnSource[] {
  return sources.map(s => ({
    relation: s.relation,
    column: s.column,
    type: 'INDIRECT',
    subtype,
  }));
}

class Analyzer {
  constructor(private readonly ctx: LineageContext) {}

  /** The relation `schema.table` a FROM item names, as EXPLAIN found it. */
  private relation(db: string | undefined, table: string): string | undefined {
    if (db) {
      const key = `${db}.${table}`;
      return this.ctx.relations.has(key) ? key : undefined;
    }
    for (const schema of this.ctx.searchPath) {
      const key = `${schema}.${table}`;
      if (this.ctx.relations.has(key)) return key;
    }
    const found = [...this.ctx.relations.keys()].filter(k =>
      k.endsWith(`.${table}`),
    );
    return found.length === 1 ? found[0] : undefined;
  }

  private relationItem(alias: string, key: string | undefined): ScopeItem {
    const columns = key ? this.ctx.relations.get(key) : undefined;
    return {
      alias,
      columns,
      resolve: column =>
        key && columns?.includes(column)
          ? [{ relation: key, column, type: 'DIRECT', subtype: 'IDENTITY' }]
          : undefined,
    };
  }

  private derivedItem(
    alias: string,
    lineage: QueryLineage,
    names: string[],
  ): ScopeItem {
    return {
      alias,
      columns: lineage.incomplete ? undefined : names,
      resolve: column => {
        const index = names.indexOf(column);
        return index >= 0 ? lineage.columns[index]?.sources ?? [] : undefined;
      },
    };
  }

  private fromItem(
    item: AstNode,
    ctes: Map<string, Cte>,
    scope: Scope,
  ): { item: ScopeItem; indirect: ColumnSource[] } {
    const rawAlias = typeof item.as === 'string' ? item.as : undefined;
    const split = rawAlias ? splitAlias(rawAlias) : undefined;
    if (typeof item.table === 'string') {
      const table = item.table.toLowerCase();
      const db =
        typeof item.db === 'string' ? item.db.toLowerCase() : undefined;
      const alias = split?.alias.toLowerCase() ?? table;
      const cte = db ? undefined : ctes.get(table);
      if (cte) {
        return {
          item: this.derivedItem(
            alias,
            cte.lineage,
            split?.columns ?? cte.names,
          ),
          indirect: cte.lineage.indirect,
        };
      }
      const key = this.relation(db, table);
      if (!key) {
        this.ctx.debug(
          `column lineage: ${
            db ? `${db}.` : ''
          }${table} is not among the relations EXPLAIN found; its columns are left out`,
        );
      }
      return { item: this.relationItem(alias, key), indirect: [] };
    }
    const expr = item.expr as AstNode | undefined;
    if (expr && isNode(expr.ast)) {
      // A subquery in FROM (LATERAL ones see the items before them).
      const lineage = this.query(expr.ast as AstNode, ctes, scope);
      const alias = split?.alias.toLowerCase() ?? '';
      const names =
        split?.columns ?? lineage.columns.map((c, i) => c.name ?? `?${i}`);
      return {
        item: this.derivedItem(alias, lineage, names),
        indirect: lineage.indirect,
      };
    }
    this.ctx.debug(
      `column lineage: a FROM item of type ${String(
        expr?.type ?? item.type ?? 'unknown',
      )} is not analysed (its columns are left out)`,
    );
    return {
      item: {
        alias: split?.alias.toLowerCase() ?? '',
        resolve: () => undefined,
      },
      indirect: [],
    };
  }

  private columnRef(
    node: AstNode,
    scope: Scope,
    subtype: DirectSubtype,
  ): ColumnSource[] {
    if (node.column === '*') return [];
    const column = nameOf(node.column);
    if (!column) return [];
    const qualifier = nameOf(node.table);
    const found = qualifier
      ? scope.byAlias(qualifier)?.resolve(column)
      : scope.unqualified(column);
    if (!found) {
      this.ctx.debug(
        `column lineage: cannot resolve ${
          qualifier ? `${qualifier}.` : ''
        }${column}; left out`,
      );
      return [];
    }
    return found.map(s =>
      s.type === 'DIRECT' ? { ...s, subtype: stronger(s.subtype, subtype) } : s,
    );
  }

  private window(over: unknown, scope: Scope, ctes: Map<string, Cte>) {
    return over
      ? indirect(this.expr(over, scope, ctes, 'TRANSFORMATION'), 'WINDOW')
      : [];
  }

  /** The sources of an expression; `subtype` is what a plain column found here is. */
  expr(
    node: unknown,
    scope: Scope,
    ctes: Map<string, Cte>,
    subtype: DirectSubtype,
  ): ColumnSource[] {
    if (Array.isArray(node)) {
      return node.flatMap(n => this.expr(n, scope, ctes, subtype));
    }
    if (!isNode(node)) return [];
    const inner: DirectSubtype =
      subtype === 'IDENTITY' ? 'TRANSFORMATION' : subtype;
    if (isNode(node.ast)) {
      // A scalar subquery: its first column and whatever shapes its rows.
      const lineage = this.query(node.ast as AstNode, ctes, scope);
      const first = (lineage.columns[0]?.sources ?? []).map(s =>
        s.type === 'DIRECT' ? { ...s, subtype: stronger(s.subtype, inner) } : s,
      );
      return [...first, ...lineage.indirect];
    }
    switch (node.type) {
      case 'column_ref':
        return this.columnRef(node, scope, subtype);
      case 'aggr_func': {
        const args = node.args as AstNode | undefined;
        const filter = node.filter as AstNode | undefined;
        return [
          ...this.expr(args, scope, ctes, 'AGGREGATION'),
          ...this.window(node.over, scope, ctes),
          ...(filter
            ? indirect(
                this.expr(filter, scope, ctes, 'TRANSFORMATION'),
                'FILTER',
              )
            : []),
        ];
      }
      case 'window_func':
      case 'function': {
        const { over, ...rest } = node;
        return [
          ...this.expr(Object.values(rest), scope, ctes, inner),
          ...this.window(over, scope, ctes),
        ];
      }
      case 'case': {
        const args = Array.isArray(node.args) ? (node.args as AstNode[]) : [];
        return [
          ...indirect(
            this.expr(node.expr, scope, ctes, 'TRANSFORMATION'),
            'CONDITIONAL',
          ),
          ...args.flatMap(arg => [
            ...indirect(
              this.expr(arg.cond, scope, ctes, 'TRANSFORMATION'),
              'CONDITIONAL',
            ),
            ...this.expr(arg.result, scope, ctes, inner),
          ]),
        ];
      }
      default:
        return this.expr(Object.values(node), scope, ctes, inner);
    }
  }

  /** GROUP BY and ORDER BY may name an output column by position or alias. */
  private byOutput(
    node: AstNode,
    columns: AstNode[],
    outputs: OutputColumn[],
    scope: Scope,
    preferOutput: boolean,
  ): ColumnSource[] | undefined {
    if (node.type === 'number' && typeof node.value === 'number') {
      return outputs[node.value - 1]?.sources;
    }
    if (node.type !== 'column_ref' || node.table) return undefined;
    const name = nameOf(node.column);
    const index = columns.findIndex(
      c => typeof c.as === 'string' && c.as.toLowerCase() === name,
    );
    if (index < 0) return undefined;
    if (!preferOutput && name && scope.unqualified(name)) return undefined;
    return outputs[index]?.sources;
  }

  query(
    ast: AstNode,
    outerCtes: Map<string, Cte>,
    parent?: Scope,
  ): QueryLineage {
    const ctes = new Map(outerCtes);
    for (const cte of (ast.with as AstNode[] | null) ?? []) {
      const name = nameOf(cte.name);
      const stmt = isNode(cte.stmt)
        ? ((isNode(cte.stmt.ast) ? cte.stmt.ast : cte.stmt) as AstNode)
        : undefined;
      if (!name || !stmt) continue;
      const lineage = this.query(stmt, ctes, parent);
      const listed = Array.isArray(cte.columns)
        ? (cte.columns as unknown[]).map(nameOf)
        : undefined;
      ctes.set(name, {
        lineage,
        names: lineage.columns.map((c, i) => listed?.[i] ?? c.name ?? `?${i}`),
      });
    }

    const scope = new Scope(parent);
    const shaping: ColumnSource[] = [];
    for (const from of (ast.from as AstNode[] | null) ?? []) {
      const { item, indirect: inherited } = this.fromItem(from, ctes, scope);
      scope.items.push(item);
      shaping.push(...inherited);
      if (from.on) {
        shaping.push(
          ...indirect(
            this.expr(from.on, scope, ctes, 'TRANSFORMATION'),
            'JOIN',
          ),
        );
      }
      for (const using of (from.using as unknown[] | undefined) ?? []) {
        const column = nameOf(using);
        if (!column) continue;
        for (const other of scope.items) {
          shaping.push(...indirect(other.resolve(column) ?? [], 'JOIN'));
        }
      }
    }
    if (ast.where) {
      shaping.push(
        ...indirect(
          this.expr(ast.where, scope, ctes, 'TRANSFORMATION'),
          'FILTER',
        ),
      );
    }

    const columns: AstNode[] = Array.isArray(ast.columns)
      ? (ast.columns as AstNode[])
      : [];
    const outputs: OutputColumn[] = [];
    let incomplete = false;
    for (const column of columns) {
      const expr = column.expr as AstNode | undefined;
      if (expr?.type === 'column_ref' && expr.column === '*') {
        const qualifier = nameOf(expr.table);
        const items = qualifier
          ? scope.items.filter(i => i.alias === qualifier)
          : scope.items;
        for (const item of items) {
          if (!item.columns) {
            incomplete = true;
            this.ctx.debug(
              `column lineage: cannot expand ${
                item.alias || 'a FROM item'
              }.* (its columns are unknown)`,
            );
            continue;
          }
          for (const name of item.columns) {
            outputs.push({ name, sources: item.resolve(name) ?? [] });
          }
        }
        continue;
      }
      let name: string | undefined;
      if (typeof column.as === 'string') name = column.as;
      else if (expr?.type === 'column_ref') name = nameOf(expr.column);
      outputs.push({
        name,
        sources: dedupe(this.expr(expr, scope, ctes, 'IDENTITY')),
      });
    }

    const groupBy = (ast.groupby as { columns?: AstNode[] } | null)?.columns;
    for (const node of groupBy ?? []) {
      const sources =
        this.byOutput(node, columns, outputs, scope, false) ??
        this.expr(node, scope, ctes, 'TRANSFORMATION');
      shaping.push(...indirect(sources, 'GROUP_BY'));
    }
    if (ast.having) {
      shaping.push(
        ...indirect(
          this.expr(ast.having, scope, ctes, 'TRANSFORMATION'),
          'FILTER',
        ),
      );
    }
    for (const order of (ast.orderby as AstNode[] | null) ?? []) {
      const node = order.expr as AstNode;
      const sources =
        (isNode(node) && this.byOutput(node, columns, outputs, scope, true)) ||
        this.expr(node, scope, ctes, 'TRANSFORMATION');
      shaping.push(...indirect(sources, 'SORT'));
    }

    const result: QueryLineage = {
      columns: outputs,
      indirect: dedupe(shaping),
      incomplete,
    };
    // UNION / INTERSECT / EXCEPT: column i comes from column i of every branch.
    if (isNode(ast._next)) {
      const next = this.query(ast._next, outerCtes, parent);
      result.incomplete ||= next.incomplete;
      result.indirect = dedupe([...result.indirect, ...next.indirect]);
      next.columns.forEach((column, i) => {
        if (result.columns[i]) {
          result.columns[i].sources = dedupe([
            ...result.columns[i].sources,
            ...column.sources,
          ]);
        }
      });
    }
    return result;
  }
}

/**
 * Column lineage of a SELECT: for each column of its result (named as PostgreSQL named them,
 * `resultColumns`), its DIRECT sources and every INDIRECT source. Sources are only kept when
 * they are columns of relations in `ctx.relations`.
 */
export function columnLineage(
  ast: AstNode,
  resultColumns: string[],
  ctx: LineageContext,
): Record<string, ColumnSource[]> {
  const lineage = new Analyzer(ctx).query(ast, new Map());
  const byPosition =
    !lineage.incomplete && lineage.columns.length === resultColumns.length;
  if (!byPosition) {
    ctx.debug(
      `column lineage: the SELECT list gives ${lineage.columns.length} column(s) for ${resultColumns.length} in the result; matching them by name`,
    );
  }
  const result: Record<string, ColumnSource[]> = {};
  resultColumns.forEach((name, i) => {
    const column = byPosition
      ? lineage.columns[i]
      : lineage.columns.find(c => c.name === name);
    if (!column) {
      ctx.debug(`column lineage: no source found for ${name}`);
    }
    const sources = dedupe([
      ...(column?.sources ?? []),
      ...lineage.indirect,
    ]).filter(s => ctx.relations.get(s.relation)?.includes(s.column));
    if (sources.length > 0) {
      result[name] = [
        ...sources.filter(s => s.type === 'DIRECT'),
        ...sources.filter(s => s.type === 'INDIRECT'),
      ];
    }
  });
  return result;
}
