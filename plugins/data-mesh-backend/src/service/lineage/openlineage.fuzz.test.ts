import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PgliteSqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { openNativePglite } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres/testUtils';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AccessBackend,
  startAccessBackend,
} from '../../__testUtils__/accessBackend';
import { runEvent } from '../../__testUtils__/lineageEvents';

// 10,000 generated bodies against the OpenLineage endpoints: whatever a producer sends, the
// answer is 2xx or 4xx, never 5xx, and the backend keeps serving. Run on SQLite: what is
// exercised is parsing and validation, which do not depend on the database.

jest.setTimeout(600_000);

const BODIES = 10_000;
const LINEAGE = '/api/data-mesh/openlineage/api/v1/lineage';
const BATCH = '/api/data-mesh/openlineage/api/v1/lineage/batch';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed by its seed. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '',
  ' ',
  'START',
  'COMPLETE',
  'not-a-uuid',
  '2026-11-24T10:00:00Z',
  '2026-13-45T99:99:99Z',
  'postgres://h:5432',
  'dataset:x:y',
  '\u0000',
  '💥',
  '<script>alert(1)</script>',
  "'; DROP TABLE lineage_nodes; --",
  '__proto__',
  'constructor',
  '9'.repeat(400),
];

function fuzzBodies(seed: number, count: number) {
  const random = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 4 || r < 0.2) return pick(STRINGS);
    if (r < 0.3) return Math.floor(random() * 1e6) - 5e5;
    if (r < 0.35) return random() < 0.5;
    if (r < 0.4) return null;
    if (r < 0.45) return 1e308 * (random() < 0.5 ? 10 : 1);
    if (r < 0.7) {
      return Array.from({ length: Math.floor(random() * 4) }, () =>
        value(depth + 1),
      );
    }
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 5); i > 0; i--) {
      object[pick([...STRINGS, 'run', 'job', 'inputs', 'facets', 'name'])] =
        value(depth + 1);
    }
    return object;
  };
  // Mutations of a valid event: a field removed, retyped or replaced deep inside.
  const mutate = (): unknown => {
    const event: any = runEvent({
      job: pick(['j', 'job.with.dots', 'x'.repeat(2000)]),
      inputs: [{ namespace: 'postgres://h', name: 'db.s.t', fields: ['a'] }],
      outputs: [
        {
          namespace: 'postgres://h',
          name: 'db.s.u',
          fields: ['a'],
          columnLineage: { a: [['postgres://h', 'db.s.t', 'a']] },
        },
      ],
    });
    const paths: Array<[any, string]> = [];
    const walk = (node: any) => {
      if (node && typeof node === 'object') {
        for (const key of Object.keys(node)) {
          paths.push([node, key]);
          walk(node[key]);
        }
      }
    };
    walk(event);
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const [parent, key] = pick(paths);
      const r = random();
      if (r < 0.4) delete parent[key];
      else parent[key] = value(2);
    }
    return event;
  };
  // Written as text: serialising such an object would exhaust the test's own stack.
  const deep = (levels: number) => {
    const event: any = runEvent({ job: 'deep' });
    event.run.facets = {
      nested: { _producer: 'https://x', _schemaURL: 'https://x', node: 0 },
    };
    return JSON.stringify(event).replace(
      '"node":0',
      `"node":${'{"next":'.repeat(levels)}{}${'}'.repeat(levels)}`,
    );
  };

  const bodies: Array<{ url: string; raw?: string; json?: unknown }> = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const url = random() < 0.7 ? LINEAGE : BATCH;
    if (r < 0.35) bodies.push({ url, json: mutate() });
    else if (r < 0.55) bodies.push({ url, json: value(0) });
    else if (r < 0.65) {
      bodies.push({
        url: BATCH,
        json: Array.from({ length: Math.floor(random() * 5) }, () =>
          random() < 0.5 ? mutate() : value(1),
        ),
      });
    } else if (r < 0.8) {
      const text = JSON.stringify(mutate());
      bodies.push({
        url,
        raw: text.slice(0, Math.floor(random() * text.length)),
      });
    } else if (r < 0.85) {
      // Now and then deep enough to exhaust a recursive JSON.stringify (about 10,000 levels).
      const levels =
        random() < 0.1 ? 150_000 : 10 + Math.floor(random() * 5000);
      bodies.push({ url, raw: deep(levels) });
    } else if (r < 0.9) {
      bodies.push({
        url,
        raw: `${'['.repeat(1000 + Math.floor(random() * 50_000))}`,
      });
    } else {
      bodies.push({
        url,
        raw: Array.from({ length: Math.floor(random() * 200) }, () =>
          String.fromCharCode(Math.floor(random() * 0xffff)),
        ).join(''),
      });
    }
  }
  return bodies;
}

describe('OpenLineage endpoints under fuzzed input', () => {
  let backend: AccessBackend;
  let dir: string;
  let warehouse: PgliteSqlClient;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-fuzz-'));
    warehouse = new PgliteSqlClient(dir, openNativePglite);
    backend = await startAccessBackend({ warehouse });
  });
  afterAll(async () => {
    await backend.stop();
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`answers ${BODIES} generated bodies with 2xx or 4xx, never 5xx`, async () => {
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const bodies = fuzzBodies(20261124, BODIES);
    const agent = request.agent(backend.server);
    for (const [i, body] of bodies.entries()) {
      let req = agent
        .post(body.url)
        .set('Authorization', mockCredentials.service.header());
      // supertest sends objects and arrays as JSON; scalars go as their JSON text.
      const raw =
        body.raw ??
        (typeof body.json === 'object' && body.json !== null
          ? undefined
          : JSON.stringify(body.json));
      req =
        raw !== undefined
          ? req.set('Content-Type', 'application/json').send(raw)
          : req.send(body.json as object);
      const res = await req;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500 && failures.length < 5) {
        failures.push(
          `#${i} ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    const codes = [...statuses.keys()].sort();
    expect(codes.every(c => c < 500)).toBe(true);
    // The generator must reach both outcomes, or it tests nothing.
    expect(statuses.get(400)).toBeGreaterThan(BODIES / 4);
    expect((statuses.get(200) ?? 0) + (statuses.get(204) ?? 0)).toBeGreaterThan(
      BODIES / 50,
    );

    // Still serving: a valid event is stored and its job is readable.
    const event = runEvent({
      job: 'after-the-storm',
      outputs: [{ namespace: 's3://raw', name: 'calm' }],
    });
    const ok = await agent
      .post(LINEAGE)
      .set('Authorization', mockCredentials.service.header())
      .send(event);
    expect(ok.status).toBe(200);
    const graph = await agent
      .get('/api/data-mesh/lineage?nodeId=job:tests:after-the-storm&depth=1')
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/lena.analyst'),
      );
    expect(graph.status).toBe(200);
    expect(graph.body.graph).toHaveLength(2);
  });
});
