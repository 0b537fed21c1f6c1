import { Parser } from 'node-sql-parser';

// The gate in front of a step's SQL: exactly one SELECT (or WITH … SELECT) statement, refused
// before anything runs otherwise. node-sql-parser reads the statement for the check and for column
// lineage; where it cannot read valid PostgreSQL, a conservative token check decides instead.
// The database is the last line: the SQL is only ever sent through the extended protocol (one
// statement) and inside `EXPLAIN` and `CREATE TEMP TABLE … AS`, which only take a query.

/** A lexical token of PostgreSQL; comments and whitespace are dropped. */
export interface SqlToken {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol';
  /** Words lower-cased, quoted identifiers unquoted, strings as written. */
  value: string;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL into tokens, skipping comments and understanding every kind of quote. */
export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const fail = (what: string, at: number): never => {
    throw new Error(`unterminated ${what} at character ${at + 1}`);
  };
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      // Block comments nest in PostgreSQL.
      const start = i;
      let depth = 0;
      do {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < n);
      if (depth > 0) fail('comment', start);
    } else if (c === "'") {
      const start = i;
      const escapes = /^[eE]$/.test(
        tokens.length > 0 && tokens[tokens.length - 1].end === i
          ? sql.slice(tokens[tokens.length - 1].start, i)
          : '',
      );
      i++;
      for (;;) {
        if (i >= n) fail('string', start);
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      tokens.push({
        kind: 'string',
        value: sql.slice(start, i),
        start,
        end: i,
      });
    } else if (c === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= n) fail('quoted identifier', start);
        if (sql[i] === '"' && sql[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (sql[i] === '"') break;
        else value += sql[i++];
      }
      i++;
      tokens.push({ kind: 'quoted', value, start, end: i });
    } else if (
      c === '$' &&
      /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i))
    ) {
      const start = i;
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))![0];
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) fail('dollar-quoted string', start);
      i = close + tag.length;
      tokens.push({
        kind: 'string',
        value: sql.slice(start, i),
        start,
        end: i,
      });
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < n && WORD_PART.test(sql[i])) i++;
      tokens.push({
        kind: 'word',
        value: sql.slice(start, i).toLowerCase(),
        start,
        end: i,
      });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[0-9.eE_]/.test(sql[i])) i++;
      tokens.push({
        kind: 'number',
        value: sql.slice(start, i),
        start,
        end: i,
      });
    } else {
      tokens.push({ kind: 'symbol', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/**
 * Functions a step may not call: they change the role or the session behind the engine's back
 * (`set_config('role', …)` leaves the product's role; session advisory locks outlive the
 * transaction on a pooled connection) or run SQL text that neither this check nor EXPLAIN sees.
 */
const BLOCKED_FUNCTIONS = new Set([
  'set_config',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'ts_stat',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
]);

function blockedFunction(name: string): boolean {
  return BLOCKED_FUNCTIONS.has(name) || name.startsWith('dblink');
}

/** Words that never appear in a read-only query (only checked when the parser failed). */
const WRITE_WORDS = new Set(['insert', 'update', 'delete', 'merge', 'into']);

/** Statement types of node-sql-parser that write or change something. */
const WRITING_TYPES = new Set([
  'insert',
  'replace',
  'update',
  'delete',
  'merge',
  'create',
  'drop',
  'alter',
  'truncate',
  'rename',
  'grant',
  'revoke',
  'call',
  'exec',
  'execute',
  'set',
  'lock',
  'unlock',
  'use',
  'transaction',
  'load_data',
]);

/** The parts of node-sql-parser's AST that the engine reads. */
export interface AstNode {
  type?: string;
  [key: string]: unknown;
}

export type CheckedStatement =
  | {
      ok: true;
      /** The statement without trailing semicolons and comments, ready to be wrapped. */
      sql: string;
      /** node-sql-parser's AST of the SELECT; absent when the fallback check was used. */
      ast?: AstNode;
      /** Set when the parser failed and the conservative check passed the statement. */
      warning?: string;
    }
  | { ok: false; error: string };

const parser = new Parser();

function withArticle(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? 'an' : 'a'} ${word}`;
}

function findWriting(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findWriting(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const object = node as AstNode;
  if (typeof object.type === 'string' && WRITING_TYPES.has(object.type)) {
    return object.type.toUpperCase();
  }
  for (const value of Object.values(object)) {
    const found = findWriting(value);
    if (found) return found;
  }
  return undefined;
}

function selectInto(ast: AstNode): boolean {
  const into = ast.into as { expr?: unknown } | undefined;
  return Boolean(into && into.expr);
}

/**
 * Accepts exactly one SELECT, WITH … SELECT, VALUES or TABLE statement. Messages say what is
 * wrong in words, without the field (the engine adds it).
 */
export function checkStatement(sql: unknown): CheckedStatement {
  if (typeof sql !== 'string' || sql.trim() === '') {
    return { ok: false, error: 'a SELECT statement is required' };
  }
  let tokens: SqlToken[];
  try {
    tokens = tokenize(sql);
  } catch (error) {
    return {
      ok: false,
      error: `cannot be read: ${(error as Error).message}`,
    };
  }
  while (
    tokens.length > 0 &&
    tokens[tokens.length - 1].kind === 'symbol' &&
    tokens[tokens.length - 1].value === ';'
  ) {
    tokens.pop();
  }
  if (tokens.length === 0) {
    return { ok: false, error: 'a SELECT statement is required' };
  }
  if (tokens.some(t => t.kind === 'symbol' && t.value === ';')) {
    return {
      ok: false,
      error:
        'holds more than one statement; a step runs exactly one SELECT (split it into several steps)',
    };
  }
  for (let t = 0; t + 1 < tokens.length; t++) {
    const token = tokens[t];
    if (
      (token.kind === 'word' || token.kind === 'quoted') &&
      blockedFunction(token.value) &&
      tokens[t + 1].kind === 'symbol' &&
      tokens[t + 1].value === '('
    ) {
      return {
        ok: false,
        error: `calls ${token.value}(), which a pipeline step may not use (it changes the role or session, or runs SQL that cannot be checked)`,
      };
    }
  }
  const text = sql.slice(0, tokens[tokens.length - 1].end);

  let parsed: AstNode | AstNode[];
  try {
    parsed = parser.astify(text, { database: 'postgresql' }) as unknown as
      | AstNode
      | AstNode[];
  } catch (error) {
    return conservativeCheck(text, tokens, (error as Error).message);
  }
  const statements = Array.isArray(parsed) ? parsed : [parsed];
  if (statements.length !== 1) {
    return {
      ok: false,
      error: `holds ${statements.length} statements; a step runs exactly one SELECT`,
    };
  }
  const ast = statements[0];
  if (ast.type !== 'select') {
    return {
      ok: false,
      error: `is ${
        ast.type ? withArticle(String(ast.type).toUpperCase()) : 'not a'
      } statement; a step runs one SELECT (the engine writes the table itself)`,
    };
  }
  if (selectInto(ast)) {
    return {
      ok: false,
      error:
        'is a SELECT … INTO, which creates a table; a step runs a plain SELECT (the engine writes the table itself)',
    };
  }
  const writing = findWriting(ast);
  if (writing) {
    return {
      ok: false,
      error: `contains ${withArticle(
        writing,
      )} (for example in a WITH clause); a step only reads`,
    };
  }
  return { ok: true, sql: text, ast };
}

/** Used when node-sql-parser cannot read the statement: refuses anything that might write. */
function conservativeCheck(
  text: string,
  tokens: SqlToken[],
  parserMessage: string,
): CheckedStatement {
  const first = tokens[0];
  const why = `node-sql-parser could not read it (${
    parserMessage.split('\n')[0]
  }), so a conservative check applies`;
  if (
    !(
      (first.kind === 'word' &&
        ['select', 'with', 'values', 'table'].includes(first.value)) ||
      (first.kind === 'symbol' && first.value === '(')
    )
  ) {
    return {
      ok: false,
      error: `does not start with SELECT or WITH; a step runs one SELECT (${why})`,
    };
  }
  const words = tokens.filter(t => t.kind === 'word').map(t => t.value);
  const writing = words.find(w => WRITE_WORDS.has(w));
  if (writing) {
    return {
      ok: false,
      error: `contains ${writing.toUpperCase()}, which a read-only SELECT never needs (${why}; if ${writing} is a column, write it in double quotes)`,
    };
  }
  for (let w = 0; w + 1 < words.length; w++) {
    if (
      words[w] === 'for' &&
      ['share', 'key', 'no', 'update'].includes(words[w + 1])
    ) {
      return {
        ok: false,
        error: `locks rows (FOR ${words[
          w + 1
        ].toUpperCase()} …); a step only reads (${why})`,
      };
    }
  }
  return {
    ok: true,
    sql: text,
    warning: `The step's SQL was accepted by a conservative check: ${why}; it is one statement, starts with ${first.value.toUpperCase()} and has no INSERT, UPDATE, DELETE, MERGE, INTO or row lock. Column lineage is not available for it.`,
  };
}
