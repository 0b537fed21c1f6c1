// Helpers shared by the measuring scripts (run by bench/run.mjs in a child process, with the
// repository's own TypeScript transform: node --require @backstage/cli/config/nodeTransform.cjs).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Stats {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  total: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = samples.reduce((a, b) => a + b, 0);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    n: samples.length,
    mean: round(samples.length ? total / samples.length : NaN),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
    total: round(total),
  };
}

/** Milliseconds taken by `fn`, and its result. */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export interface Memory {
  /** Whether global.gc() ran just before the reading (node --expose-gc). */
  gc: boolean;
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
}

export function memory(collect = true): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collect && gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  const mib = (v: number) => Math.round((v / 1024 / 1024) * 10) / 10;
  return {
    gc: Boolean(collect && gc),
    rssMiB: mib(m.rss),
    heapUsedMiB: mib(m.heapUsed),
    heapTotalMiB: mib(m.heapTotal),
    externalMiB: mib(m.external),
    arrayBuffersMiB: mib(m.arrayBuffers),
  };
}

/** Reads `--name value` from argv. */
export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Progress goes to stderr; bench/run.mjs prints the results. */
export function progress(message: string) {
  process.stderr.write(`  ${message}\n`);
}

/** The measuring script's result, read back by bench/run.mjs. */
export function writePartial(file: string, value: unknown) {
  fs.writeFileSync(file, JSON.stringify(value));
}
