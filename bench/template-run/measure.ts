// template-run: the repository's templates/data-product run end to end through a real Backstage
// backend (scaffolder + catalogue + data-mesh backend + PostgresProvider on an embedded PGlite),
// as in plugins/scaffolder-backend-module-data-mesh/src/template.test.ts but outside Jest.
// Each measured run creates a distinct product. Two baselines run in the same backend, alternating
// with the real template: a one-step `debug:log` template (the scaffolder's own cost per task) and
// the catalogue wait alone (the same kind of generated files written to a folder the catalogue
// reads, its location refreshed, polled every --poll-ms until the product and its contract are in).
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     bench/template-run/measure.ts --out result.json [--runs 10] [--warmup 1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { mockCredentials } from '@backstage/backend-test-utils';
import { PgliteSqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { generateProduct } from '@backstage-data-mesh/plugin-scaffolder-backend-module-data-mesh';
import {
  SOFIA,
  startTemplateBackend,
  storeFootfallValues,
} from '../../plugins/scaffolder-backend-module-data-mesh/src/__testUtils__/templateBackend';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { locationSpecToLocationEntity } from '@backstage/plugin-catalog-node';
import {
  arg,
  memory,
  progress,
  stats,
  timed,
  writePartial,
} from '../lib/measure';

const out = arg('out');
const runs = Number(arg('runs', '10'));
const warmup = Number(arg('warmup', '1'));
const pollMs = Number(arg('poll-ms', '50'));
if (!out || !(runs > 0) || !(warmup >= 0)) {
  throw new Error(
    'usage: measure.ts --out FILE [--runs N] [--warmup N] [--poll-ms MS]',
  );
}

const GOAL_MS = 15_000;
// The baseline: a task with one step that only logs.
const debugTemplate = `
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: bench-debug-log
  title: Benchmark baseline (debug:log only)
spec:
  owner: group:default/stores-team
  type: benchmark
  parameters:
    - properties:
        name: { type: string }
  steps:
    - id: log
      name: Log
      action: debug:log
      input:
        message: 'benchmark baseline for \${{ parameters.name }}'
`;

/** What a person fills in, as in template.test.ts, under another name. */
function productValues(name: string) {
  return storeFootfallValues({ name, title: `Benchmark ${name}` });
}

// ---------------------------------------------------------------------------------------------
// Server-side timeline of each task: the scaffolder's task store is patched (in this process
// only) to note when a task is created, claimed by a worker, each step begins and ends, and the
// task completes. Task event timestamps in the database only have second precision on SQLite.

interface Timeline {
  created?: number;
  claimed?: number;
  completed?: number;
  steps: Record<string, { start?: number; end?: number; status?: string }>;
}
const timelines = new Map<string, Timeline>();
const timeline = (id: string) => {
  let t = timelines.get(id);
  if (!t) timelines.set(id, (t = { steps: {} }));
  return t;
};

function instrumentTaskStore(): boolean {
  try {
    const dir = path.dirname(
      require.resolve('@backstage/plugin-scaffolder-backend/package.json'),
    );
    // An internal module (not exported): if a new version moves it, there is no breakdown.
    const { DatabaseTaskStore } = require(path.join(
      dir,
      'dist/scaffolder/tasks/DatabaseTaskStore.cjs.js',
    ));
    const proto = DatabaseTaskStore.prototype;
    const { createTask, claimTask, emitLogEvent, completeTask } = proto;
    proto.createTask = async function patched(...args: unknown[]) {
      const start = performance.now();
      const result = await createTask.apply(this, args);
      timeline(result.taskId).created = start;
      return result;
    };
    proto.claimTask = async function patched(...args: unknown[]) {
      const task = await claimTask.apply(this, args);
      if (task) timeline(task.id).claimed = performance.now();
      return task;
    };
    proto.emitLogEvent = function patched(options: {
      taskId: string;
      body: { stepId?: string; status?: string };
    }) {
      const { stepId, status } = options.body ?? {};
      if (stepId && status) {
        const step = (timeline(options.taskId).steps[stepId] ??= {});
        if (status === 'processing') step.start = performance.now();
        else {
          step.end = performance.now();
          step.status = status;
        }
      }
      return emitLogEvent.call(this, options);
    };
    proto.completeTask = async function patched(options: { taskId: string }) {
      const result = await completeTask.call(this, options);
      timeline(options.taskId).completed = performance.now();
      return result;
    };
    return true;
  } catch (error) {
    progress(`no per-step breakdown: ${(error as Error).message}`);
    return false;
  }
}

// ---------------------------------------------------------------------------------------------

interface RunResult {
  kind: 'full' | 'baseline' | 'catalog';
  name: string;
  status: string;
  /** POST /v2/tasks until a poll sees the final status (what a client waits). */
  clientMs: number;
  /** Task created → completed, server side (no polling granularity). */
  serverMs?: number;
  /** Task created → claimed by a worker. */
  queueMs?: number;
  stepsMs?: Record<string, number>;
  deployment?: string;
  error?: string;
}

async function main() {
  const instrumented = instrumentTaskStore();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-bench-run-'));
  const catalogDir = path.join(root, 'catalog-only');
  fs.writeFileSync(path.join(root, 'debug-template.yaml'), debugTemplate);
  const warehouse = new PgliteSqlClient(path.join(root, 'warehouse'));
  // Interrupted (Ctrl-C): still remove the temp folder (products, warehouse).
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      fs.rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const memoryStart = memory();
  const started = await timed(() =>
    startTemplateBackend({
      root,
      warehouse,
      locations: [
        path.join(root, 'debug-template.yaml'),
        path.join(catalogDir, '*', 'catalog-info.yaml'),
      ],
    }),
  );
  const { backend } = started.value;
  progress(`backend started in ${started.ms.toFixed(0)} ms`);
  const base = `http://localhost:${
    (backend.server.address() as AddressInfo).port
  }`;
  const headers = {
    Authorization: mockCredentials.user.header(SOFIA),
    'content-type': 'application/json',
  };
  const get = async (p: string) => {
    const res = await fetch(`${base}${p}`, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };

  const results: RunResult[] = [];
  try {
    // The warehouse opens on first use; creating PGlite's data dir takes seconds, once per
    // backend process. It is opened here so that it is not in the first run.
    const open = await timed(() => warehouse.query('SELECT 1'));
    progress(`warehouse (PGlite) open in ${open.ms.toFixed(0)} ms`);
    const ingest = await timed(async () => {
      for (const ref of [
        'template/default/data-product',
        'template/default/bench-debug-log',
        'domain/default/stores',
        'group/default/stores-team',
      ]) {
        for (let i = 0; ; i++) {
          if (
            (await get(`/api/catalog/entities/by-name/${ref}`)).status === 200
          )
            break;
          if (i > 600) throw new Error(`${ref} never reached the catalogue`);
          await new Promise(r => setTimeout(r, 100));
        }
      }
    });
    progress(`templates in the catalogue after ${ingest.ms.toFixed(0)} ms`);
    const memoryReady = memory();

    const runTemplate = async (
      kind: RunResult['kind'],
      name: string,
    ): Promise<RunResult> => {
      const templateRef =
        kind === 'full'
          ? 'template:default/data-product'
          : 'template:default/bench-debug-log';
      const values = kind === 'full' ? productValues(name) : { name };
      const t0 = performance.now();
      const created = await fetch(`${base}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ templateRef, values }),
      });
      if (created.status !== 201) {
        throw new Error(
          `creating a task: ${created.status} ${await created.text()}`,
        );
      }
      const { id } = (await created.json()) as { id: string };
      let status: string;
      for (;;) {
        status = (await get(`/api/scaffolder/v2/tasks/${id}`)).body.status;
        if (['completed', 'failed', 'cancelled'].includes(status)) break;
        await new Promise(r => setTimeout(r, pollMs));
      }
      const clientMs = performance.now() - t0;
      const result: RunResult = { kind, name, status, clientMs };
      const t = timelines.get(id);
      if (t?.created !== undefined && t.completed !== undefined) {
        result.serverMs = t.completed - t.created;
        if (t.claimed !== undefined) result.queueMs = t.claimed - t.created;
        result.stepsMs = Object.fromEntries(
          Object.entries(t.steps)
            .filter(([, s]) => s.start !== undefined && s.end !== undefined)
            .map(([step, s]) => [step, s.end! - s.start!]),
        );
      }
      const events = (await get(`/api/scaffolder/v2/tasks/${id}/events`))
        .body as Array<{ type: string; body: any }>;
      if (kind === 'full') {
        const text: string =
          events.find(e => e.type === 'completion')?.body.output?.text?.[0]
            ?.content ?? '';
        result.deployment = /\*\*(\w+)\*\*/.exec(text)?.[1];
      }
      if (
        status !== 'completed' ||
        (kind === 'full' && result.deployment !== 'succeeded')
      ) {
        result.error = events
          .filter(e => e.type === 'log')
          .map(e => `${e.body.stepId ?? ''} ${e.body.message}`)
          .slice(-15)
          .join('\n');
      }
      return result;
    };

    // Baseline 2: the catalogue wait alone, as data-mesh:publish:local does it (write, refresh the
    // glob location, poll) but without the scaffolder and with fine polling.
    const catalogLocation = stringifyEntityRef(
      locationSpecToLocationEntity({
        location: {
          type: 'file',
          target: path.join(catalogDir, '*', 'catalog-info.yaml'),
        },
      }),
    );
    const catalogWait = async (name: string): Promise<RunResult> => {
      const product = generateProduct({
        ...productValues(name),
        type: 'sourceAligned',
      } as Parameters<typeof generateProduct>[0]);
      const refs = [
        product.entityRef,
        ...product.contracts.map(c => stringifyEntityRef(c)),
      ];
      const t0 = performance.now();
      for (const file of product.files) {
        const full = path.join(catalogDir, name, file.path);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, file.content);
      }
      const refreshed = await fetch(`${base}/api/catalog/refresh`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ entityRef: catalogLocation }),
      });
      if (!refreshed.ok) {
        throw new Error(`refreshing ${catalogLocation}: ${refreshed.status}`);
      }
      for (const ref of refs) {
        const [kind, rest] = ref.split(':');
        for (let i = 0; ; i++) {
          if (
            (await get(`/api/catalog/entities/by-name/${kind}/${rest}`))
              .status === 200
          )
            break;
          if (i * pollMs > 60_000) {
            return {
              kind: 'catalog',
              name,
              status: 'failed',
              clientMs: performance.now() - t0,
              error: `${ref} not in the catalogue after 60 s`,
            };
          }
          await new Promise(r => setTimeout(r, pollMs));
        }
      }
      return {
        kind: 'catalog',
        name,
        status: 'completed',
        clientMs: performance.now() - t0,
      };
    };

    const warmups: RunResult[] = [];
    for (let i = 0; i < warmup; i++) {
      warmups.push(await runTemplate('full', `bench-warmup-${i}`));
      warmups.push(await runTemplate('baseline', `bench-warmup-${i}`));
      warmups.push(await catalogWait(`bench-catalog-warmup-${i}`));
      const [f, b, c] = warmups.slice(-3);
      progress(
        `warm-up ${i + 1}/${warmup}: full ${f.clientMs.toFixed(
          0,
        )} ms, debug:log ${b.clientMs.toFixed(
          0,
        )} ms, catalogue wait ${c.clientMs.toFixed(0)} ms`,
      );
    }
    for (let i = 0; i < runs; i++) {
      const name = `bench-run-${String(i).padStart(2, '0')}`;
      // Rotate the order, so that each kind sees the same drift of the machine.
      const kinds = (['full', 'baseline', 'catalog'] as const).map(
        (_, k, all) => all[(k + i) % all.length],
      );
      const done: Record<string, RunResult> = {};
      for (const kind of kinds) {
        done[kind] =
          kind === 'catalog'
            ? await catalogWait(`bench-catalog-${String(i).padStart(2, '0')}`)
            : await runTemplate(kind, name);
      }
      results.push(done.full, done.baseline, done.catalog);
      progress(
        `run ${i + 1}/${runs} ${name}: full ${done.full.clientMs.toFixed(
          0,
        )} ms (${done.full.status}${
          done.full.deployment ? `, deployment ${done.full.deployment}` : ''
        }), debug:log ${done.baseline.clientMs.toFixed(
          0,
        )} ms, catalogue wait ${done.catalog.clientMs.toFixed(0)} ms`,
      );
    }
    const memoryEnd = memory();

    const full = results.filter(r => r.kind === 'full');
    const baseline = results.filter(r => r.kind === 'baseline');
    const catalog = results.filter(r => r.kind === 'catalog');
    const failures = [...warmups, ...results]
      .filter(r => r.error)
      .map(r => `${r.kind} ${r.name}: ${r.status}\n${r.error}`);
    const fullClient = stats(full.map(r => r.clientMs));
    const baseClient = stats(baseline.map(r => r.clientMs));
    const catalogClient = stats(catalog.map(r => r.clientMs));
    const stepNames = [
      ...new Set(full.flatMap(r => Object.keys(r.stepsMs ?? {}))),
    ];
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const round = (v: number) => Math.round(v * 10) / 10;
    const roundRun = (r: RunResult) => ({
      kind: r.kind,
      name: r.name,
      status: r.status,
      deployment: r.deployment,
      clientMs: round(r.clientMs),
      serverMs: r.serverMs === undefined ? undefined : round(r.serverMs),
      queueMs: r.queueMs === undefined ? undefined : round(r.queueMs),
      stepsMs:
        r.stepsMs &&
        Object.fromEntries(
          Object.entries(r.stepsMs).map(([k, v]) => [k, round(v)]),
        ),
    });
    writePartial(out!, {
      runs,
      warmup,
      pollMs,
      goalMs: GOAL_MS,
      goalMet:
        full.length > 0 && fullClient.p95 <= GOAL_MS && failures.length === 0,
      backendStartMs: Math.round(started.ms),
      warehouseOpenMs: Math.round(open.ms),
      catalogIngestMs: Math.round(ingest.ms),
      instrumented,
      clientMs: {
        full: fullClient,
        baseline: baseClient,
        catalogWait: catalogClient,
      },
      serverMs: instrumented
        ? {
            full: stats(full.map(r => r.serverMs ?? NaN)),
            baseline: stats(baseline.map(r => r.serverMs ?? NaN)),
          }
        : undefined,
      // full / baseline; overhead = full - baseline (means).
      ratios: {
        vsDebugLog: {
          mean: ratio(fullClient.mean, baseClient.mean),
          p50: ratio(fullClient.p50, baseClient.p50),
        },
        vsCatalogWait: {
          mean: ratio(fullClient.mean, catalogClient.mean),
          p50: ratio(fullClient.p50, catalogClient.p50),
        },
        publishStepVsCatalogWait: instrumented
          ? {
              mean: ratio(
                stats(full.map(r => r.stepsMs?.publish ?? NaN)).mean,
                catalogClient.mean,
              ),
              p50: ratio(
                stats(full.map(r => r.stepsMs?.publish ?? NaN)).p50,
                catalogClient.p50,
              ),
            }
          : undefined,
      },
      overheadMs: {
        vsDebugLog: round(fullClient.mean - baseClient.mean),
        vsCatalogWait: round(fullClient.mean - catalogClient.mean),
      },
      stepsMs: instrumented
        ? {
            queue: stats(full.map(r => r.queueMs ?? NaN)),
            ...Object.fromEntries(
              stepNames.map(s => [
                s,
                stats(full.map(r => r.stepsMs?.[s] ?? NaN)),
              ]),
            ),
          }
        : undefined,
      baselineStepsMs: instrumented
        ? {
            queue: stats(baseline.map(r => r.queueMs ?? NaN)),
            log: stats(baseline.map(r => r.stepsMs?.log ?? NaN)),
          }
        : undefined,
      memory: { start: memoryStart, ready: memoryReady, end: memoryEnd },
      warmups: warmups.map(roundRun),
      samples: results.map(roundRun),
      failures,
    });
  } finally {
    await backend.stop();
    await warehouse.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  // The test backend leaves timers behind (catalogue loop, scheduler): exit explicitly.
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
