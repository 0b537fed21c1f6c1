import { randomUUID } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { NewQualityResult, QualityStore } from './QualityStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const A = 'dataproduct:default/a';

function database(knex: Knex): DatabaseService {
  return { getClient: async () => knex } as DatabaseService;
}

function result(
  checkKey: string,
  value: number,
  measuredAt: Date,
): NewQualityResult {
  return {
    checkKey,
    name: checkKey,
    status: value === 0 ? 'pass' : 'fail',
    value,
    threshold: { operator: 'mustBe', value: 0 },
    unit: 'rows',
    severity: 'error',
    measuredAt: measuredAt.toISOString(),
  };
}

const days = (n: number) => new Date(Date.now() - n * 86_400_000);

describe.each(databases.eachSupportedId())('QualityStore on %p', databaseId => {
  jest.setTimeout(60_000);

  async function storeWithRun(
    store: QualityStore,
    startedAt: Date,
    results: NewQualityResult[],
    source: 'platform' | 'dbt' = 'platform',
  ) {
    const run = (await store.createRun({
      id: randomUUID(),
      entityRef: A,
      port: 'orders',
      source,
      trigger: source === 'platform' ? 'schedule' : 'import',
      startedAt,
    }))!;
    await store.addResults(
      { id: run.id, entityRef: A, port: 'orders', source },
      results,
    );
    await store.finishRun(run.id, { status: 'completed' });
    return run;
  }

  it('keeps the newest result of a check, even when older results arrive later', async () => {
    const knex = await databases.init(databaseId);
    const store = await QualityStore.create(database(knex));
    await storeWithRun(store, days(0), [result('nulls', 0, days(0))]);
    // An import of yesterday's CI run lands after today's scan: it is history, not the newest.
    await storeWithRun(store, days(0), [result('nulls', 5, days(1))], 'dbt');
    const [latest] = await store.latestResults([A]);
    expect(latest).toMatchObject({
      checkKey: 'nulls',
      value: 0,
      source: 'platform',
    });
    const history = await store.history({
      entityRef: A,
      port: 'orders',
      checkKey: 'nulls',
      since: days(2),
    });
    expect(history.map(r => r.value)).toEqual([5, 0]);
  });

  it('counts results per run and refuses a second running scan of a port', async () => {
    const knex = await databases.init(databaseId);
    const store = await QualityStore.create(database(knex));
    const run = await storeWithRun(store, days(0), [
      result('a', 0, days(0)),
      result('b', 3, days(0)),
    ]);
    expect(await store.getRun(run.id)).toMatchObject({
      status: 'completed',
      passed: 1,
      failed: 1,
      errored: 0,
    });
    const first = await store.createRun({
      id: randomUUID(),
      entityRef: A,
      port: 'orders',
      source: 'platform',
      trigger: 'manual',
    });
    expect(first?.status).toBe('running');
    const second = await store.createRun({
      id: randomUUID(),
      entityRef: A,
      port: 'orders',
      source: 'platform',
      trigger: 'manual',
    });
    expect(second).toBeUndefined();
    // Imports are not scans: they may land while one runs.
    const imported = await store.createRun({
      id: randomUUID(),
      entityRef: A,
      port: 'orders',
      source: 'dbt',
      trigger: 'import',
    });
    expect(imported?.source).toBe('dbt');
  });

  it("deletes runs past retention but keeps every check's newest result", async () => {
    const knex = await databases.init(databaseId);
    const store = await QualityStore.create(database(knex));
    const old = await storeWithRun(store, days(100), [
      result('a', 1, days(100)),
      result('only-old', 2, days(100)),
    ]);
    const recent = await storeWithRun(store, days(1), [
      result('a', 0, days(1)),
    ]);
    const removed = await store.deleteOlderThan(days(90));
    // The old run still holds the newest result of `only-old`: it stays.
    expect(removed).toBe(0);
    expect(await store.getRun(old.id)).toBeDefined();

    await storeWithRun(store, days(0), [result('only-old', 0, days(0))]);
    expect(await store.deleteOlderThan(days(90))).toBe(1);
    expect(await store.getRun(old.id)).toBeUndefined();
    expect(await store.getRun(recent.id)).toBeDefined();
    const latest = await store.latestResults([A]);
    expect(Object.fromEntries(latest.map(r => [r.checkKey, r.value]))).toEqual({
      a: 0,
      'only-old': 0,
    });
  });

  it('records health as intervals and opens one incident per failure', async () => {
    const knex = await databases.init(databaseId);
    const store = await QualityStore.create(database(knex));
    const change = (status: 'healthy' | 'failing', at: Date) =>
      store.putHealth({
        entityRef: A,
        port: 'orders',
        status,
        reasons: [],
        at,
        incident: { id: randomUUID(), title: 'orders is failing' },
      });
    expect(await change('healthy', days(3))).toBeUndefined();
    expect(await change('failing', days(2))).toBe('healthy');
    expect(await change('failing', days(1))).toBe('failing');
    expect(await change('healthy', days(0))).toBe('failing');
    const incidents = await store.listIncidents(A);
    expect(incidents).toHaveLength(1);
    expect(incidents[0].status).toBe('closed');
    const history = await store.healthHistory(A, 'orders', days(10));
    expect(history.map(h => [h.status, Boolean(h.endedAt)])).toEqual([
      ['healthy', true],
      ['failing', true],
      ['healthy', false],
    ]);
  });
});
