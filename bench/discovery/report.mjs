// discovery, as bench/run.mjs runs it: measure.ts in a child process per engine, then the tables.
// See bench/README.md, "discovery".
import { forEachEngine, passedOptions } from '../lib/report.mjs';

const PASSED = ['products', 'runs', 'warmup', 'rebuilds', 'seed'];

/**
 * @param {string[]} args
 * @param {{ measure: Function, option: Function, table: Function, num: Function, times: Function, serverEnv: string }} helpers
 */
export async function runDiscovery(args, helpers) {
  const { measure, option, table, num, times, serverEnv } = helpers;
  const passed = passedOptions(args, option, PASSED);
  const { engines, skipped, results } = await forEachEngine(
    args,
    { option, serverEnv },
    engine => {
      console.error(`▶ discovery on ${engine}`);
      return measure('discovery/measure.ts', ['--engine', engine, ...passed]);
    },
  );
  const entries = Object.entries(results);
  const failures = entries.flatMap(([engine, r]) =>
    r.failures.map(f => `${engine}: ${f}`),
  );
  const outcome = {
    options: {
      engines,
      ...Object.fromEntries(
        passed.flatMap((v, i) =>
          i % 2 === 0 ? [[v.slice(2), passed[i + 1]]] : [],
        ),
      ),
    },
    skipped,
    results,
    failures,
  };
  if (entries.length === 0) return outcome;

  const mesh = entries[0][1].mesh;
  console.log(
    `\ndiscovery 1: GET /api/data-mesh/discovery/products over ${mesh.products} products (${mesh.entities} catalogue entities, ${mesh.columns} columns, ${mesh.agreements} agreements), client side, interleaved (ms; ratio = ÷ the bare authenticated route)\n`,
  );
  const rows = [];
  for (const [engine, r] of entries) {
    Object.entries(r.timingsMs).forEach(([name, s], k) => {
      rows.push([
        k === 0 ? engine : '',
        name,
        r.answers[name]?.totalCount ?? '',
        num((r.answers[name]?.bytes ?? 0) / 1024, 0),
        num(s.p50, 2),
        num(s.p95, 2),
        num(s.max, 2),
        `${times(r.ratios[name].p50)} / ${times(r.ratios[name].p95)}`,
      ]);
    });
  }
  console.log(
    table(
      [
        'engine',
        'request',
        'found',
        'KiB',
        'p50',
        'p95',
        'max',
        'ratio p50 / p95',
      ],
      rows,
    ),
  );
  for (const [engine, r] of entries) {
    console.log(
      `\n${engine}: goal p95 <= ${r.goal.p95Ms} ms: worst p95 ${num(
        r.goal.worstP95Ms,
        2,
      )} ms → ${r.goal.met ? 'MET' : 'NOT MET'}`,
    );
  }
  console.log(
    '\ndiscovery 2: the snapshot (a second index over the same catalogue and database)\n',
  );
  console.log(
    table(
      [
        'engine',
        'first request (cold)',
        'directory cold',
        'index cold',
        'full rebuild p50 / max',
        'of which indexing p50',
        'state only p50 / max',
        'heap MiB: directory / index',
        'rss end (MiB)',
      ],
      entries.map(([engine, r]) => [
        engine,
        `${num(r.firstRequestMs, 0)} ms`,
        `${num(r.rebuild.directoryColdMs, 0)} ms`,
        `${num(r.rebuild.coldMs, 0)} ms`,
        `${num(r.rebuild.fullMs.p50, 0)} / ${num(r.rebuild.fullMs.max, 0)} ms`,
        `${num(r.rebuild.catalogPartMs.p50, 0)} ms`,
        `${num(r.rebuild.stateOnlyMs.p50, 0)} / ${num(
          r.rebuild.stateOnlyMs.max,
          0,
        )} ms`,
        `${num(r.rebuild.directoryHeapMiB, 1)} / ${num(
          r.rebuild.snapshotHeapMiB,
          1,
        )}`,
        num(r.memory.end.rssMiB, 0),
      ]),
      1,
    ),
  );
  return outcome;
}
