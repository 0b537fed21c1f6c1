// Helpers of the lineage benchmark's processes (measure.ts, its query child and client.ts).

/** Nearest-rank percentiles, p99 included (bench/lib/measure.ts stops at p95). */
export interface Latency {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latency(samples: number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) =>
    sorted.length === 0
      ? NaN
      : sorted[
          Math.min(
            sorted.length,
            Math.max(1, Math.ceil((p / 100) * sorted.length)),
          ) - 1
        ];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  let total = 0;
  for (const v of sorted) total += v;
  return {
    n: sorted.length,
    mean: round(sorted.length ? total / sorted.length : NaN),
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : NaN),
  };
}

export const round1 = (v: number) => Math.round(v * 10) / 10;
export const round2 = (v: number) => Math.round(v * 100) / 100;
export const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Messages between measure.ts (ingest part) and its load generator, client.ts. */
export type ClientTask =
  | {
      kind: 'batch';
      /** http://host:port */
      base: string;
      authorization: string;
      batchSize: number;
      concurrency: number;
      events: number;
      seed: number;
    }
  | {
      kind: 'open';
      base: string;
      authorization: string;
      /** `event`: POST one run event; `baseline`: GET /lineage/graph without entityRef (400). */
      route: 'event' | 'baseline';
      rate: number;
      seconds: number;
      warmupSeconds: number;
      /** How long to wait for answers after the last request was sent. */
      drainSeconds: number;
      seed: number;
    };

export interface BatchResult {
  kind: 'batch';
  batchSize: number;
  concurrency: number;
  events: number;
  requests: number;
  wallMs: number;
  /** Events stored per second (failed ones not counted). */
  eventsPerSecond: number;
  /** Events sent per second, stored or not. */
  sentPerSecond: number;
  statuses: Record<string, number>;
  /** Events the server reported as failed (200 with failed_events) or whose request failed. */
  failedEvents: number;
  requestMs: Latency;
  /** Bytes of the JSON bodies sent. */
  bytes: number;
  errors: string[];
}

export interface OpenResult {
  kind: 'open';
  route: 'event' | 'baseline';
  rate: number;
  seconds: number;
  scheduled: number;
  completed: number;
  /** Not 2xx (event) or not 400 (baseline), network errors, and unanswered requests. */
  errors: number;
  /** Requests without an answer drainSeconds after the last send (their wait so far counts as latency). */
  unanswered: number;
  statuses: Record<string, number>;
  /** Scheduled send → response complete. */
  latencyMs: Latency;
  /** Completed requests ÷ (last response, or the drain deadline, − first scheduled send). */
  achievedRate: number;
  /** How late the client sent, behind its schedule (its own event loop). */
  sendLagMs: Latency;
  /** Most requests in flight at once. */
  maxInFlight: number;
  errorSamples: string[];
}

export type ClientResult = BatchResult | OpenResult;
