import { describeQualityRule, describeSlaProperty } from './describe';

describe('describeQualityRule', () => {
  it.each([
    [
      { metric: 'nullValues', mustBe: 0 },
      'total',
      'Null values in total must be 0',
    ],
    [
      { metric: 'rowCount', mustBeGreaterThan: 0 },
      undefined,
      'Number of rows must be greater than 0',
    ],
    [
      {
        metric: 'invalidValues',
        arguments: { validValues: ['store', 'web'] },
        mustBe: 0,
      },
      'channel',
      'Invalid values in channel (allowed: store, web) must be 0',
    ],
    [
      {
        metric: 'duplicateValues',
        arguments: { properties: ['a', 'b'] },
        mustBeLessThan: 5,
        unit: 'percent',
      },
      undefined,
      'Duplicate values (over a, b) must be less than 5 %',
    ],
    [
      { metric: 'rowCount', mustBeBetween: [10, 20] },
      undefined,
      'Number of rows must be between 10 and 20',
    ],
    [
      { metric: 'rowCount', mustNotBeBetween: [1, 2] },
      undefined,
      'Number of rows must not be between 1 and 2',
    ],
    [
      {
        type: 'sql',
        description: 'No zero quantities.',
        query: 'select 1',
        mustBe: 0,
      },
      undefined,
      'No zero quantities: query result must be 0',
    ],
    [
      { type: 'text', description: 'Prices are plausible' },
      undefined,
      'Prices are plausible',
    ],
  ] as const)('%j on %s reads "%s"', (rule, column, words) => {
    expect(describeQualityRule(rule as any, column)).toBe(words);
  });
});

describe('describeSlaProperty', () => {
  it.each([
    [{ property: 'latency', value: 30, unit: 'm' }, 'Latency: 30 minutes'],
    [{ property: 'retention', value: 7, unit: 'y' }, 'Retention: 7 years'],
    [
      { property: 'availability', value: 99.5, unit: 'percent' },
      'Availability: 99.5%',
    ],
    [
      { property: 'timeOfAvailability', value: '09:00-18:00' },
      'TimeOfAvailability: 09:00-18:00',
    ],
  ])('%j reads "%s"', (sla, words) => {
    expect(describeSlaProperty(sla)).toBe(words);
  });
});
