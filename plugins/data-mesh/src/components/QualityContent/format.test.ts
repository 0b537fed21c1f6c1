import {
  describeCheckSchedule,
  describeFailingTime,
  describeResult,
  describeSlo,
  elapsedBetween,
  formatElapsed,
  sourceLabel,
} from './format';

describe('describeResult', () => {
  it.each([
    [
      { value: 7, unit: 'rows', threshold: { operator: 'mustBe', value: 0 } },
      '7 rows — must be 0',
    ],
    [
      {
        value: 182340,
        unit: 'rows',
        threshold: { operator: 'mustBeGreaterThan', value: 100000 },
      },
      '182340 rows — must be greater than 100000',
    ],
    [
      {
        value: 0.75,
        unit: 'percent',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 0.5 },
      },
      '0.75 % — must be at most 0.5 %',
    ],
    [
      {
        value: 25200,
        unit: 'seconds',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 21600 },
      },
      '7 hours — must be at most 6 hours',
    ],
    [
      {
        value: 3,
        unit: 'rows',
        threshold: { operator: 'mustBeBetween', value: [1, 5] },
      },
      '3 rows — must be between 1 and 5',
    ],
    [
      { value: 0, unit: 'flag', threshold: { operator: 'mustBe', value: 1 } },
      'does not conform',
    ],
    [{ value: 12, unit: undefined, threshold: undefined }, '12'],
    [
      {
        value: null,
        unit: 'rows',
        threshold: { operator: 'mustBe', value: 0 },
      },
      'not measured',
    ],
  ] as const)('reads %j as "%s"', (result, words) => {
    expect(describeResult(result as Parameters<typeof describeResult>[0])).toBe(
      words,
    );
  });
});

describe('describeCheckSchedule', () => {
  it('puts a cron expression in words', () => {
    expect(describeCheckSchedule('0 6 * * *')).toBe(
      'Checks run every day at 06:00 UTC',
    );
    expect(describeCheckSchedule('0 0 1 1 *')).toBe(
      'Checks run on cron 0 0 1 1 * (UTC)',
    );
    expect(describeCheckSchedule(undefined)).toBe(
      'Checks run on demand only (no schedule)',
    );
  });
});

describe('SLO words', () => {
  it('says when there is no history, and rounds to a tenth', () => {
    expect(
      describeSlo({
        days: 30,
        percent: null,
        failingMinutes: 0,
        observedMinutes: 0,
      }),
    ).toBe('no history yet');
    expect(
      describeSlo({
        days: 7,
        percent: 96.43,
        failingMinutes: 363,
        observedMinutes: 10080,
      }),
    ).toBe('96.4 %');
  });

  it('gives the failing time', () => {
    const slo = {
      days: 7 as const,
      percent: 96.4,
      failingMinutes: 363,
      observedMinutes: 10080,
    };
    expect(describeFailingTime(slo)).toBe('6 h 3 min failing');
    expect(describeFailingTime({ ...slo, failingMinutes: 0 })).toBe(
      'never failing',
    );
  });
});

describe('durations', () => {
  it.each([
    [45_000, '45 s'],
    [3_900_000, '1 h 5 min'],
    [2 * 86_400_000 + 3 * 3_600_000 + 5, '2 d 3 h'],
  ])('formats %p ms as "%s"', (ms, words) => {
    expect(formatElapsed(ms)).toBe(words);
  });

  it('measures an open period up to now', () => {
    expect(
      elapsedBetween(
        '2025-03-10T06:00:00.000Z',
        undefined,
        Date.parse('2025-03-10T08:30:00.000Z'),
      ),
    ).toBe('2 h 30 min');
    expect(
      elapsedBetween('2025-03-03T06:05:00.000Z', '2025-03-03T07:10:00.000Z'),
    ).toBe('1 h 5 min');
  });
});

it('names result sources in words, and unknown ones as sent', () => {
  expect(sourceLabel('datacontract')).toBe('datacontract CLI');
  expect(sourceLabel('great-expectations')).toBe('great-expectations');
});
