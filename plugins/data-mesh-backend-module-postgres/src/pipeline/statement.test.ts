import { checkStatement, tokenize } from './statement';

function refused(sql: string): string {
  const result = checkStatement(sql);
  if (result.ok) throw new Error(`expected a refusal for ${sql}`);
  return result.error;
}

describe('checkStatement', () => {
  it.each([
    'SELECT 1 AS a',
    'select a, b from s.t where a > 1 order by b limit 10',
    'WITH x AS (SELECT a FROM s.t) SELECT a FROM x',
    'SELECT a FROM s.t UNION ALL SELECT a FROM s.u',
    "SELECT 'DELETE FROM x; DROP TABLE y' AS s",
    'SELECT "update" FROM s.t',
    'SELECT a FROM s.t -- ; DROP TABLE s.t',
    'SELECT a /* ; DELETE */ FROM s.t',
  ])('accepts and parses %s', sql => {
    const result = checkStatement(sql);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.ast).toBeTruthy();
    expect(result.ok && result.warning).toBeUndefined();
  });

  it('drops trailing semicolons and comments so that the statement can be wrapped', () => {
    expect(checkStatement('SELECT 1 AS a;  -- done\n')).toMatchObject({
      ok: true,
      sql: 'SELECT 1 AS a',
    });
  });

  it('refuses two statements, whatever the second', () => {
    expect(refused('SELECT 1; SELECT 2')).toMatch(/more than one statement/);
    expect(refused('SELECT 1 AS a; DROP TABLE s.t')).toMatch(
      /more than one statement/,
    );
    // The semicolon hides in no comment or string here.
    expect(refused("SELECT 'a'; DELETE FROM s.t")).toMatch(
      /more than one statement/,
    );
  });

  it('refuses statements that are not a SELECT, naming them', () => {
    expect(refused('DELETE FROM s.t')).toMatch(/is a DELETE statement/);
    expect(refused('DROP TABLE s.t')).toMatch(/is a DROP statement/);
    expect(refused('UPDATE s.t SET a = 1')).toMatch(/is an UPDATE statement/);
    expect(refused('INSERT INTO s.t VALUES (1)')).toMatch(
      /is an INSERT statement/,
    );
    expect(refused('TRUNCATE s.t')).toMatch(/SELECT/);
    expect(refused('')).toMatch(/required/);
    expect(refused('  ;  ')).toMatch(/required/);
  });

  it('refuses a SELECT that writes: SELECT INTO and data-modifying WITH', () => {
    expect(refused('SELECT a INTO newtab FROM s.t')).toMatch(/SELECT … INTO/);
    expect(
      refused(
        'WITH d AS (INSERT INTO s.t VALUES (1) RETURNING *) SELECT * FROM d',
      ),
    ).toMatch(/contains an INSERT/);
    // node-sql-parser cannot read this one: the conservative check refuses it.
    expect(
      refused('WITH d AS (DELETE FROM s.t RETURNING *) SELECT * FROM d'),
    ).toMatch(/contains DELETE.*conservative check/);
  });

  it('refuses functions that leave the role or run SQL text, even quoted or qualified', () => {
    expect(refused("SELECT set_config('role', 'none', true)")).toMatch(
      /set_config\(\)/,
    );
    expect(
      refused(`SELECT pg_catalog."set_config"('role', 'none', true)`),
    ).toMatch(/set_config/);
    expect(
      refused("SELECT query_to_xml('select * from s.secret', true, false, '')"),
    ).toMatch(/query_to_xml/);
    expect(
      refused("SELECT * FROM dblink('x', 'select 1') AS t(a int)"),
    ).toMatch(/dblink/);
    // Inside a string it is only text.
    expect(checkStatement("SELECT 'set_config(' AS s")).toMatchObject({
      ok: true,
    });
  });

  it('falls back to a conservative check, with a warning, when the parser cannot read valid SQL', () => {
    for (const sql of ["SELECT E'it\\'s' AS s", 'VALUES (1, 2)', 'TABLE s.t']) {
      const result = checkStatement(sql);
      expect(result).toMatchObject({ ok: true });
      expect(result.ok && result.ast).toBeUndefined();
      expect(result.ok && result.warning).toMatch(/conservative check/);
    }
    expect(refused('SELECT a FROM s.t FOR UPDATE')).toMatch(/UPDATE/);
    expect(refused('SELECT a FROM s.t FOR SHARE')).toMatch(/locks rows/);
  });

  it('refuses what it cannot even tokenize', () => {
    expect(refused("SELECT 'open")).toMatch(/unterminated string/);
    expect(refused('SELECT 1 /* open')).toMatch(/unterminated comment/);
    expect(refused('SELECT $x$ open')).toMatch(/unterminated dollar/);
  });
});

describe('tokenize', () => {
  it('skips comments and reads every kind of quote', () => {
    expect(
      tokenize(
        `SELECT "A""b", 'c;''d', $q$e;$q$, E'f\\'g' /* x /* nested */ ; */ -- ;\n;`,
      ).map(t => `${t.kind}:${t.value}`),
    ).toEqual([
      'word:select',
      'quoted:A"b',
      'symbol:,',
      "string:'c;''d'",
      'symbol:,',
      'string:$q$e;$q$',
      'symbol:,',
      'word:e',
      "string:'f\\'g'",
      'symbol:;',
    ]);
  });
});
