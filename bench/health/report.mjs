// health, as bench/run.mjs runs it: measure.ts in a child process per engine, then the tables.
// Kept here so that run.mjs only needs to list it. See bench/README.md, "health".
import os from 'node:os';
import { forEachEngine, passedOptions } from '../lib/report.mjs';

const PASSED = [
  'products',
  'ports',
  'history',
  'runs',
  'warmup',
  'memory-runs',
  'writes',
  'page',
  'load-batch',
  'load-concurrency',
  'seed',
];

/**
 * @param {string[]} args
 * @param {{ measure: Function, option: Function, table: Function, num: Function, times: Function, serverEnv: string }} helpers
 */
export async function runHealth(args, helpers) {
  const { measure, option, table, num, times, serverEnv } = helpers;
  const passed = passedOptions(args, option, PASSED);
  const { engines, skipped, results } = await forEachEngine(
    args,
    { option, serverEnv },
    engine => {
      console.error(`▶ health on ${engine}`);
      return measure('health/measure.ts', ['--engine', engine, ...passed]);
    },
  );
  const entries = Object.entries(results);
  const failures = entries.flatMap(([engine, r]) =>
    r.failures.map(f => `${engine}: ${f}`),
  );
  const loads = entries.flatMap(([, r]) =>
    Object.values(r.loadAverage).map(l => l[0]),
  );
  loads.push(os.loadavg()[0]);
  const cores = os.cpus().length;
  const maxLoad = Math.max(...loads);
  const note =
    `1-minute load average during the run: ${num(Math.min(...loads), 1)}–${num(
      maxLoad,
      1,
    )} on ${cores} cores` +
    (maxLoad > cores
      ? `: above the core count, other work was running; absolute times are inflated and noisy, compare the ratios`
      : '');
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
    note,
    results,
    failures,
  };
  if (entries.length === 0) return outcome;

  const mesh = entries[0][1].mesh;
  const dist = d =>
    `${d.healthy} / ${d.degraded} / ${d.failing} / ${d.unknown}`;
  console.log(
    `\nhealth 1: ${mesh.products} products × ${mesh.portsPerProduct} ports = ${mesh.ports} ports, ${mesh.checksPerPort} checks each (${mesh.severities.error} error, ${mesh.severities.warning} warning, ${mesh.severities.info} info), ${mesh.runsPerPort} runs per port through QualityStore.createRun + addResults, health after each round through putHealth\n`,
  );
  console.log(
    table(
      [
        'engine',
        'load (s)',
        'of which runs / results / health (s)',
        'check runs',
        'results / latest',
        'putHealth calls',
        'ports h / d / f / u',
        'products h / d / f / u',
        'open incidents',
        'db (MiB)',
      ],
      entries.map(([engine, { load: l }]) => [
        `${engine}${l.concurrency > 1 ? ` (${l.concurrency} at once)` : ''}`,
        num(l.ms / 1000, 1),
        `${num(l.runsMs / 1000, 1)} / ${num(l.resultsMs / 1000, 1)} / ${num(
          l.healthMs / 1000,
          1,
        )}`,
        l.rows.runs,
        `${l.rows.results} / ${l.rows.latest}`,
        l.putHealthCalls,
        dist(l.ports),
        dist(l.products),
        l.rows.openIncidents,
        num(l.databaseMiB, 0),
      ]),
      1,
    ),
  );

  console.log(
    '\nhealth 2: interleaved with the baselines, alternating order (ms; ratio = ÷ the baseline below it)\n',
  );
  const cells = s => [num(s.p50, 2), num(s.p95, 2), num(s.max, 2)];
  const queries = n => `${n} ${n === 1 ? 'query' : 'queries'}`;
  const ratio = r => `${times(r.p50)} / ${times(r.p95)}`;
  const peak = m =>
    `peak +${num(Math.max(...m.map(x => x.peakDeltaMiB)), 0)} MiB heap`;
  const rows = [];
  for (const [engine, r] of entries) {
    const rc = r.recompute;
    const all = r.list.all;
    const page = r.list.page;
    const w = r.writes;
    rows.push(
      [
        engine,
        `(a) recompute ${r.mesh.ports} ports: latestResults → portHealth → productHealth (n=${rc.ms.n})`,
        ...cells(rc.ms),
        ratio(rc.ratio),
        `${peak(rc.memory)}; result ${num(rc.healthMapMiB, 1)} MiB`,
      ],
      [
        '',
        `  of which latestResults (${rc.rows} rows, ${queries(rc.queries)})`,
        ...cells(rc.readMs),
        `${times(rc.ratio.readP50)} p50`,
        '',
      ],
      [
        '',
        '  of which portHealth + productHealth',
        ...cells(rc.computeMs),
        '',
        `building the checks: ${num(rc.checksMs.p50, 0)} ms p50`,
      ],
      [
        '',
        `baseline: bare SELECT r.* of quality_latest ⋈ quality_results (${queries(
          rc.bareQueries,
        )})`,
        ...cells(rc.bareMs),
        '',
        peak(rc.bareMemory),
      ],
      [
        '',
        'reference: the same rows, only the 8 columns portHealth reads',
        ...cells(rc.narrowMs),
        `${times(rc.ratio.narrowP50)} p50`,
        '',
      ],
      [
        '',
        `(b) healthOf(${
          all.products
        } products): getHealthStatuses + countOpenIncidents (${queries(
          all.queries,
        )})`,
        ...cells(all.ms),
        ratio(all.ratio),
        `${num(all.bytes / 1024, 0)} KiB JSON; ${peak(all.memory)}`,
      ],
      [
        '',
        `  getHealth(${all.products}) alone, rows mapped`,
        ...cells(all.getHealthMs),
        '',
        '',
      ],
      [
        '',
        `  countOpenIncidents(${all.products}) alone`,
        ...cells(all.countOpenIncidentsMs),
        '',
        '',
      ],
      [
        '',
        '  JSON.stringify of it (not in the above)',
        ...cells(all.serializeMs),
        '',
        '',
      ],
      [
        '',
        `baseline: SELECT * FROM data_health (${all.bareRows} rows)`,
        ...cells(all.bareMs),
        '',
        '',
      ],
      [
        '',
        `(b) healthOf(page of ${
          page.products
        }), a random page each time (${queries(page.queries)})`,
        ...cells(page.ms),
        ratio(page.ratio),
        `${num(page.bytes.p50 / 1024, 1)} KiB JSON`,
      ],
      [
        '',
        `baseline: SELECT * FROM data_health WHERE entity_ref IN (the page)`,
        ...cells(page.bareMs),
        '',
        '',
      ],
      [
        '',
        `(c) putHealth, same status (${w.statements.unchanged} statements)`,
        ...cells(w.unchanged),
        `${times(w.ratio.unchangedP50)} p50`,
        '',
      ],
      [
        '',
        `(c) putHealth, new status: history + incident (${w.statements.changed} statements)`,
        ...cells(w.changed),
        `${times(w.ratio.changedP50)} p50`,
        `${times(w.ratio.changedVsUnchangedP50)} the same status`,
      ],
      [
        '',
        '  healthy → failing (opens an incident)',
        ...cells(w.changedToFailing),
        '',
        '',
      ],
      [
        '',
        '  failing → healthy (closes it)',
        ...cells(w.changedToHealthy),
        '',
        '',
      ],
      [
        '',
        `baseline: bare UPDATE data_health SET updated_at (${w.statements.bare} statement)`,
        ...cells(w.bareUpdate),
        '',
        '',
      ],
    );
  }
  console.log(
    table(
      [
        'engine',
        'what',
        'p50',
        'p95',
        'max',
        'ratio p50 / p95',
        'size, memory',
      ],
      rows,
    ),
  );
  console.log(`\n${note}`);
  return outcome;
}
