// lineage-tab, as bench/run.mjs runs it: measure.ts in a child process, then the tables. Kept
// here so that run.mjs only needs to list it. See bench/README.md, "lineage-tab".

const VARIANT_LABELS = {
  'lineage-worker': 'LineageGraphView, ELK worker started at mount',
  'lineage-worker-started': 'LineageGraphView, ELK worker already running',
  'lineage-main-thread': 'LineageGraphView, ELK on the main thread',
  baseline: 'baseline: 1,000 plain divs',
};

/**
 * @param {string[]} args
 * @param {{ measure: Function, option: Function, table: Function, num: Function, times: Function, statCells: Function }} helpers
 */
export async function runLineageTab(args, helpers) {
  const { measure, option, table, num, times, statCells } = helpers;
  const runs = Number(option(args, 'runs', '10'));
  const nodes = Number(option(args, 'nodes', '1000'));
  const edges = Number(option(args, 'edges', '1500'));
  const maxLoad = option(args, 'max-load');
  console.error(
    `▶ lineage-tab (${runs} page loads, ${nodes} nodes, ${edges} edges, Chromium)`,
  );
  const r = await measure('lineage-tab/measure.ts', [
    '--runs',
    String(runs),
    '--nodes',
    String(nodes),
    '--edges',
    String(edges),
    ...(maxLoad === undefined ? [] : ['--max-load', maxLoad]),
  ]);
  const variants = Object.keys(r.summary);
  const label = v => VARIANT_LABELS[v] ?? v;

  console.log(
    `\nlineage-tab: mount → laid-out nodes and edges on screen, ${r.graph.nodes} nodes / ${r.graph.edges} edges, ${runs} fresh pages (Chromium ${r.chromium.version}) (ms)\n`,
  );
  console.log(
    table(
      [
        'variant',
        'mean',
        'p50',
        'p95',
        'max',
        'ELK p50',
        'ELK p95',
        'longest task p50',
        'drawn nodes / edges',
      ],
      variants.map(v => {
        const s = r.summary[v];
        return [
          label(v),
          ...statCells(s.mountMs),
          s.layoutMs ? num(s.layoutMs.p50, 0) : '–',
          s.layoutMs ? num(s.layoutMs.p95, 0) : '–',
          num(s.longestTaskMs.p50, 0),
          `${num(s.renderedNodes.p50, 0)} / ${num(s.renderedEdges.p50, 0)}`,
        ];
      }),
      1,
    ),
  );

  const clickNames = [
    ...new Set(variants.flatMap(v => Object.keys(r.summary[v].clicksMs))),
  ];
  const clickTable = (title, key) => {
    console.log(title);
    console.log(
      table(
        ['variant', ...clickNames],
        variants.map(v => [
          label(v),
          ...clickNames.map(name => {
            const s = r.summary[v][key][name];
            return s ? `${num(s.p50, 0)} / ${num(s.p95, 0)}` : '–';
          }),
        ]),
        1,
      ),
    );
  };
  clickTable(
    '\nclicks, Event Timing duration (click → result on screen, as INP; ms, p50 / p95): select a node, then another, clear, fit view (draws every node)\n',
    'clicksEventTimingMs',
  );
  clickTable(
    '\nclicks, click → result painted by the main thread (ms, p50 / p95)\n',
    'clicksMs',
  );

  console.log(
    '\nratio to the baseline, and the goal (p95 of mount + first click, Event Timing, ≤ 1,500 ms):\n',
  );
  console.log(
    table(
      [
        'variant',
        'mount / baseline',
        'first click / baseline',
        'mount + first click p50 / p95',
        'goal',
      ],
      Object.entries(r.goal).map(([v, g]) => [
        label(v),
        `p50 ${times(r.ratios[v].mountVsBaseline.p50)}`,
        `p50 ${times(r.ratios[v].firstClickVsBaseline.p50)}`,
        `${num(g.ms.p50, 0)} / ${num(g.ms.p95, 0)}`,
        g.met ? 'MET' : 'NOT MET',
      ]),
      1,
    ),
  );
  const load = r.summary.baseline.loadAverage;
  console.log(
    `\n1-minute load average during the runs: ${num(load.min, 2)}–${num(
      load.max,
      2,
    )} (p50 ${num(load.p50, 2)}) on ${
      r.cpus
    } cores: other work on the machine slows everything down, the layout most`,
  );
  console.log(
    `\nworker start (load and compile elk-worker.min.js, first answer): p50 ${num(
      r.workerStartMs.p50,
      0,
    )} ms, p95 ${num(r.workerStartMs.p95, 0)} ms; page bundle ${num(
      r.bundle.bytes.js / 1024 / 1024,
      2,
    )} MiB of JS (with ELK's main-thread copy)`,
  );
  return {
    options: { runs, nodes, edges, maxLoad },
    results: r,
    failures: r.failures,
  };
}
