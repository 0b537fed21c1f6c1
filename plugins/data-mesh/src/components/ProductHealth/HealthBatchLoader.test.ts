import { HealthSummary } from '../../api';
import { HealthBatchLoader } from './HealthBatchLoader';

const summary = (entityRef: string): HealthSummary => ({
  entityRef,
  status: 'healthy',
  ports: [],
  openIncidents: 0,
});

const refs = Array.from(
  { length: 50 },
  (_, i) => `dataproduct:default/product-${i}`,
);

function setup(options: { ttlMs?: number; maxBatch?: number } = {}) {
  let now = 1_000_000;
  const fetchHealth = jest.fn(async (asked: string[]) =>
    // The backend answers lower-cased refs and leaves out what it does not know.
    asked.filter(r => !r.endsWith('unknown')).map(summary),
  );
  const loader = new HealthBatchLoader({
    fetchHealth,
    now: () => now,
    ...options,
  });
  return {
    loader,
    fetchHealth,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('HealthBatchLoader', () => {
  it('asks once for every ref requested in the same tick', async () => {
    const { loader, fetchHealth } = setup();
    const answers = await Promise.all(refs.map(ref => loader.load(ref)));
    expect(fetchHealth).toHaveBeenCalledTimes(1);
    expect(fetchHealth.mock.calls[0][0]).toHaveLength(50);
    expect(answers.map(a => a?.entityRef)).toEqual(refs);
  });

  it('asks for a ref requested twice only once', async () => {
    const { loader, fetchHealth } = setup();
    await Promise.all([
      loader.load('dataproduct:default/orders'),
      loader.load('DataProduct:default/Orders'),
    ]);
    expect(fetchHealth).toHaveBeenCalledTimes(1);
    expect(fetchHealth.mock.calls[0][0]).toEqual([
      'dataproduct:default/orders',
    ]);
  });

  it('answers undefined for products the backend left out', async () => {
    const { loader } = setup();
    await expect(
      loader.load('dataproduct:default/unknown'),
    ).resolves.toBeUndefined();
  });

  it('uses answers again for 30 seconds, then asks again', async () => {
    const { loader, fetchHealth, advance } = setup();
    await loader.load(refs[0]);
    advance(29_000);
    expect(loader.peek(refs[0])?.entityRef).toBe(refs[0]);
    await loader.load(refs[0]);
    expect(fetchHealth).toHaveBeenCalledTimes(1);

    advance(1_000);
    expect(loader.peek(refs[0])).toBeUndefined();
    await loader.load(refs[0]);
    expect(fetchHealth).toHaveBeenCalledTimes(2);
  });

  it('splits very long lists into several requests', async () => {
    const { loader, fetchHealth } = setup({ maxBatch: 20 });
    await Promise.all(refs.map(ref => loader.load(ref)));
    expect(fetchHealth.mock.calls.map(call => call[0].length)).toEqual([
      20, 20, 10,
    ]);
  });

  it('passes a failure on to every ref of the batch, and asks again next time', async () => {
    const { loader, fetchHealth } = setup();
    fetchHealth.mockRejectedValueOnce(new Error('Backend unavailable'));
    const results = await Promise.allSettled(
      refs.slice(0, 3).map(ref => loader.load(ref)),
    );
    expect(results.map(r => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
    await expect(loader.load(refs[0])).resolves.toEqual(summary(refs[0]));
    expect(fetchHealth).toHaveBeenCalledTimes(2);
  });
});
