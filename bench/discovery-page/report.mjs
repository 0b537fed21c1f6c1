// discovery-page, as bench/run.mjs runs it: measure.ts in a child process, then the tables. Kept
// here so that run.mjs only needs to list it. See bench/README.md, "discovery-page".

const VARIANT_LABELS = {
  page: 'Data Mesh page (Products tab)',
  baseline: 'baseline: plain list of the same 50 rows',
};

/**
 * @param {string[]} args
 * @param {{ measure: Function, option: Function, table: Function, num: Function, times: Function, statCells: Function }} helpers
 */
export async function runDiscoveryPage(args, helpers) {
  const { measure, option, table, num, times, statCells } = helpers;
  const runs = Number(option(args, 'runs', '10'));
  const products = Number(option(args, 'products', '5000'));
  const maxLoad = option(args, 'max-load');
  console.error(
    `▶ discovery-page (${runs} page loads, ${products} products, Chromium)`,
  );
  const r = await measure('discovery-page/measure.ts', [
    '--runs',
    String(runs),
    '--products',
    String(products),
    ...(maxLoad === undefined ? [] : ['--max-load', maxLoad]),
  ]);
  const variants = Object.keys(r.summary);
  const label = v => VARIANT_LABELS[v] ?? v;

  console.log(
    `\ndiscovery-page: ${r.products} products filtered, counted and sorted in the page, ${runs} fresh pages (Chromium ${r.chromium.version}) (ms)\n`,
  );
  console.log(
    table(
      ['variant', 'what', 'mean', 'p50', 'p95', 'max', 'all 50 p50 / p95'],
      variants.flatMap(v => {
        const s = r.summary[v];
        return [
          [
            label(v),
            'first render: mount → results and facets on screen',
            ...statCells(s.firstRenderMs),
            `${num(s.firstRenderCompleteMs.p50, 0)} / ${num(
              s.firstRenderCompleteMs.p95,
              0,
            )}`,
          ],
          [
            '',
            `facet change: click → new results painted (${s.facetChangeMs.n} clicks)`,
            ...statCells(s.facetChangeMs),
            `${num(s.facetChangeCompleteMs.p50, 0)} / ${num(
              s.facetChangeCompleteMs.p95,
              0,
            )}`,
          ],
          [
            '',
            '  the same clicks, Event Timing (as INP)',
            ...statCells(s.facetChangeEventTimingMs),
            '',
          ],
          [
            '',
            '  of which the in-page client (filter, count, sort)',
            ...statCells(s.facetChangeClientMs),
            '',
          ],
        ];
      }),
      2,
    ),
  );
  const clickNames = r.clicks.map(c => c.name);
  console.log(
    '\neach facet click, click → new results painted (ms, p50 / p95):\n',
  );
  console.log(
    table(
      ['variant', ...clickNames],
      variants.map(v => [
        label(v),
        ...clickNames.map(name => {
          const s = r.summary[v].byClickMs[name];
          return `${num(s.p50, 0)} / ${num(s.p95, 0)}`;
        }),
      ]),
      1,
    ),
  );
  console.log(
    `\nratio to the baseline (p50): first render ${times(
      r.ratios.firstRenderVsBaseline,
    )}, facet change ${times(r.ratios.facetChangeVsBaseline)}`,
  );
  console.log(
    `goal: first render p95 ${num(r.goal.firstRender.p95, 0)} ms <= ${
      r.goalMs
    } ms → ${
      r.goal.firstRender.met ? 'MET' : 'NOT MET'
    }; facet change p95 ${num(
      r.goal.facetChange.p95,
      0,
    )} ms (the larger of painted and Event Timing) <= ${r.goalMs} ms → ${
      r.goal.facetChange.met ? 'MET' : 'NOT MET'
    }`,
  );
  const load = r.summary.baseline.loadAverage;
  console.log(
    `\n1-minute load average during the runs: ${num(load.min, 2)}–${num(
      load.max,
      2,
    )} (p50 ${num(load.p50, 2)}) on ${r.cpus} cores; page bundle ${num(
      r.bundle.bytes.js / 1024 / 1024,
      2,
    )} MiB of JS`,
  );
  return {
    options: { runs, products, maxLoad },
    results: r,
    failures: r.failures,
  };
}
