import {
  QualityCheck,
  QualityResult,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { portHealth, productHealth, sloCompliance } from './health';

const check = (key: string): QualityCheck => ({
  key,
  name: key,
  kind: 'library',
  metric: 'nullValues',
  table: 't',
  unit: 'rows',
  threshold: { operator: 'mustBe', value: 0 },
  severity: 'error',
});

const result = (
  checkKey: string,
  status: QualityResult['status'],
  severity: QualityResult['severity'] = 'error',
): QualityResult => ({
  checkKey,
  name: checkKey,
  status,
  value: status === 'pass' ? 0 : 1,
  severity,
  source: 'platform',
  runId: 'r',
  measuredAt: '2026-11-24T10:00:00.000Z',
});

describe('portHealth', () => {
  const checks = [check('a'), check('b')];

  it('is unknown before anything is measured or run', () => {
    expect(portHealth({ checks, latest: [] })).toEqual({
      status: 'unknown',
      reasons: [],
      lastCheckedAt: undefined,
    });
  });

  it('fails on a failing error check, degrades on warnings, errors and failed runs', () => {
    expect(
      portHealth({ checks, latest: [result('a', 'pass'), result('b', 'pass')] })
        .status,
    ).toBe('healthy');
    expect(
      portHealth({ checks, latest: [result('a', 'fail', 'warning')] }).status,
    ).toBe('degraded');
    expect(portHealth({ checks, latest: [result('a', 'error')] }).status).toBe(
      'degraded',
    );
    expect(
      portHealth({
        checks,
        latest: [result('a', 'pass')],
        writerRun: { job: 'ns:load', state: 'FAIL', endedAt: 'x' },
      }).reasons,
    ).toEqual([
      { status: 'degraded', message: 'The last run of ns:load failed (x)' },
    ]);
    const failing = portHealth({
      checks,
      latest: [result('a', 'fail', 'warning'), result('b', 'fail')],
    });
    expect(failing.status).toBe('failing');
    // The worst cause first.
    expect(failing.reasons.map(r => r.checkKey)).toEqual(['b', 'a']);
  });

  it('ignores info checks and results of checks no longer in the contract', () => {
    expect(
      portHealth({
        checks,
        latest: [result('a', 'fail', 'info'), result('gone', 'fail')],
      }).status,
    ).toBe('healthy');
    // Results from outside, under their own names, count.
    expect(
      portHealth({ checks, latest: [result('dbt:not_null_x', 'fail')] }).status,
    ).toBe('failing');
  });
});

describe('productHealth', () => {
  it('is its worst known port', () => {
    expect(productHealth(['healthy', 'unknown', 'degraded'])).toBe('degraded');
    expect(productHealth(['unknown', 'unknown'])).toBe('unknown');
    expect(productHealth([])).toBe('unknown');
  });
});

describe('sloCompliance', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const at = (hoursAgo: number) =>
    new Date(now.getTime() - hoursAgo * 3600_000);

  it('is the share of the observed time not failing, within the window', () => {
    const history = [
      // Mostly before the window: only its last day counts.
      {
        status: 'healthy' as const,
        startedAt: at(24 * 10),
        endedAt: at(24 * 6),
      },
      {
        status: 'failing' as const,
        startedAt: at(24 * 6),
        endedAt: at(24 * 5),
      },
      { status: 'healthy' as const, startedAt: at(24 * 5) },
    ];
    const week = sloCompliance(history, 7, now);
    expect(week.observedMinutes).toBe(7 * 24 * 60);
    expect(week.failingMinutes).toBe(24 * 60);
    expect(week.percent).toBeCloseTo(85.71, 2);
    const month = sloCompliance(history, 30, now);
    expect(month.observedMinutes).toBe(10 * 24 * 60);
    expect(month.percent).toBe(90);
  });

  it('says nothing without history, and does not count unknown time', () => {
    expect(sloCompliance([], 7, now).percent).toBeNull();
    expect(
      sloCompliance([{ status: 'unknown', startedAt: at(48) }], 7, now).percent,
    ).toBeNull();
  });
});
