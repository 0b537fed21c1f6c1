// The events the ingestion part of the lineage benchmark sends (client.ts): realistic runs of a
// fixed set of pipelines, as a scheduler would report them.
import { runEvent } from '../../plugins/data-mesh-backend/src/__testUtils__/lineageEvents';
import { prng, runIdOf, WAREHOUSE_NS } from './graph';

const FIELDS = [
  'id',
  'customer_id',
  'order_id',
  'sku',
  'quantity',
  'amount',
  'currency',
  'created_at',
];

/**
 * Realistic runs: 1,000 jobs over 4,000 tables, each job always reading its 2–4 inputs and
 * writing its 2–4 outputs (as scheduled pipelines do, so most writes update known nodes and
 * edges), schema facets on every dataset, column lineage and output statistics on COMPLETE.
 */
export function runSource(seed: number) {
  const random = prng(seed);
  const int = (lo: number, hi: number) =>
    lo + Math.floor(random() * (hi - lo + 1));
  const tables = Array.from({ length: 4000 }, (_, i) => ({
    namespace: WAREHOUSE_NS,
    name: `ingest.schema_${i % 40}.table_${String(i).padStart(4, '0')}`,
    fields: FIELDS.slice(0, int(4, 8)),
  }));
  const jobs = Array.from({ length: 1000 }, (_, j) => {
    const picked = new Set<number>();
    while (picked.size < int(4, 8)) picked.add(int(0, tables.length - 1));
    const list = [...picked];
    const inputs = list.slice(0, Math.max(2, Math.min(4, list.length - 2)));
    const outputs = list.slice(inputs.length, inputs.length + 4);
    return {
      name: `pipeline_${String(Math.floor(j / 10)).padStart(3, '0')}.step_${
        j % 10
      }`,
      inputs: inputs.map(i => tables[i]),
      outputs: outputs.map(i => tables[i]),
    };
  });
  let n = 0;
  const start = Date.UTC(2026, 4, 1);
  /** The START and the COMPLETE event of the next run. */
  return () => {
    const k = n++;
    const job = jobs[k % jobs.length];
    const runId = runIdOf(seed, k, 7);
    const started = new Date(start + k * 1000);
    const ended = new Date(started.getTime() + int(1, 600) * 1000);
    const first = job.inputs[0];
    const startEvent = runEvent({
      job: job.name,
      jobNamespace: 'airflow',
      eventType: 'START',
      runId,
      eventTime: started.toISOString(),
      inputs: job.inputs,
      outputs: job.outputs,
    });
    const complete = runEvent({
      job: job.name,
      jobNamespace: 'airflow',
      eventType: 'COMPLETE',
      runId,
      eventTime: ended.toISOString(),
      inputs: job.inputs,
      outputs: job.outputs.map(o => ({
        ...o,
        columnLineage: Object.fromEntries(
          o.fields.map((f, i) => [
            f,
            [
              [
                first.namespace,
                first.name,
                first.fields[i % first.fields.length],
              ],
            ],
          ]),
        ) as Record<string, Array<[string, string, string]>>,
      })),
    });
    for (const output of complete.outputs ?? []) {
      (output as any).outputFacets = {
        outputStatistics: {
          _producer: complete.producer,
          _schemaURL:
            'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json',
          rowCount: int(1000, 1_000_000),
          size: int(100_000, 100_000_000),
        },
      };
    }
    return [startEvent, complete];
  };
}
