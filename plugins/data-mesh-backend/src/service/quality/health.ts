import {
  HealthReason,
  HealthStatus,
  QualityCheck,
  QualityResult,
  SloCompliance,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** The newest run of the jobs that write a port's tables (the platform's pipeline or anyone's). */
export interface WriterRun {
  job: string;
  state: string;
  endedAt?: string;
}

const RANK: Record<HealthStatus, number> = {
  unknown: 0,
  healthy: 1,
  degraded: 2,
  failing: 3,
};

/** The worse of two. */
export function worse(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * A port's health from the newest result of each of its checks and the newest run writing it:
 * - failing: a check of severity `error` fails (freshness included: stale data is failing data);
 * - degraded: a check of severity `warning` fails, a check cannot be measured (error), or the
 *   last run writing the port failed (the data is still there, but getting old);
 * - healthy: something was measured and none of the above;
 * - unknown: nothing measured and nothing run.
 * `info` checks never change health. Results of checks no longer in the contract are ignored;
 * results from outside with no check count by their own severity.
 */
export function portHealth(options: {
  checks: QualityCheck[];
  latest: QualityResult[];
  writerRun?: WriterRun;
}): { status: HealthStatus; reasons: HealthReason[]; lastCheckedAt?: string } {
  const known = new Set(options.checks.map(c => c.key));
  const reasons: HealthReason[] = [];
  let status: HealthStatus = 'unknown';
  let lastCheckedAt: string | undefined;
  for (const result of options.latest) {
    const external = result.checkKey.includes(':');
    if (!known.has(result.checkKey) && !external) continue;
    if (!lastCheckedAt || result.measuredAt > lastCheckedAt) {
      lastCheckedAt = result.measuredAt;
    }
    status = worse(status, 'healthy');
    if (result.severity === 'info') continue;
    if (result.status === 'fail') {
      const level = result.severity === 'error' ? 'failing' : 'degraded';
      status = worse(status, level);
      reasons.push({
        status: level,
        checkKey: result.checkKey,
        message: `${result.name}: ${result.message ?? 'failed'}`,
      });
    } else if (result.status === 'error') {
      status = worse(status, 'degraded');
      reasons.push({
        status: 'degraded',
        checkKey: result.checkKey,
        message: `${result.name} could not be measured: ${
          result.message ?? 'error'
        }`,
      });
    }
  }
  const run = options.writerRun;
  if (run) {
    status = worse(status, 'healthy');
    if (run.state === 'FAIL' || run.state === 'ABORT') {
      status = worse(status, 'degraded');
      reasons.push({
        status: 'degraded',
        message: `The last run of ${run.job} ${
          run.state === 'FAIL' ? 'failed' : 'was aborted'
        }${run.endedAt ? ` (${run.endedAt})` : ''}`,
      });
    }
  }
  reasons.sort((a, b) => RANK[b.status] - RANK[a.status]);
  return { status, reasons, lastCheckedAt };
}

/** A product is as healthy as its worst known port; unknown only if every port is. */
export function productHealth(ports: HealthStatus[]): HealthStatus {
  return ports.reduce<HealthStatus>((acc, s) => worse(acc, s), 'unknown');
}

/**
 * SLO compliance over the last `days`: the share of the time with a known health that the port
 * was not failing. Time before the first known health does not count against it.
 */
export function sloCompliance(
  history: Array<{ status: HealthStatus; startedAt: Date; endedAt?: Date }>,
  days: 7 | 30,
  now: Date,
): SloCompliance {
  const from = now.getTime() - days * 86_400_000;
  let observed = 0;
  let failing = 0;
  for (const interval of history) {
    if (interval.status === 'unknown') continue;
    const start = Math.max(interval.startedAt.getTime(), from);
    const end = Math.min(
      interval.endedAt?.getTime() ?? now.getTime(),
      now.getTime(),
    );
    if (end <= start) continue;
    observed += end - start;
    if (interval.status === 'failing') failing += end - start;
  }
  return {
    days,
    percent:
      observed === 0
        ? null
        : Math.round(((observed - failing) / observed) * 10_000) / 100,
    failingMinutes: Math.round(failing / 60_000),
    observedMinutes: Math.round(observed / 60_000),
  };
}
