import { OdcsQualityRule, OdcsSlaProperty } from './OdcsContract';

const METRIC_WORDS: Record<string, string> = {
  rowCount: 'Number of rows',
  nullValues: 'Null values',
  missingValues: 'Missing values',
  invalidValues: 'Invalid values',
  duplicateValues: 'Duplicate values',
};

/** A threshold in words, e.g. `must be between 1 and 10`; undefined when the rule has none. @public */
export function describeThreshold(rule: OdcsQualityRule): string | undefined {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (rule.mustBe !== undefined) return `must be ${show(rule.mustBe)}`;
  if (rule.mustNotBe !== undefined)
    return `must not be ${show(rule.mustNotBe)}`;
  if (rule.mustBeGreaterThan !== undefined)
    return `must be greater than ${rule.mustBeGreaterThan}`;
  if (rule.mustBeGreaterOrEqualTo !== undefined)
    return `must be at least ${rule.mustBeGreaterOrEqualTo}`;
  if (rule.mustBeLessThan !== undefined)
    return `must be less than ${rule.mustBeLessThan}`;
  if (rule.mustBeLessOrEqualTo !== undefined)
    return `must be at most ${rule.mustBeLessOrEqualTo}`;
  if (rule.mustBeBetween)
    return `must be between ${rule.mustBeBetween[0]} and ${rule.mustBeBetween[1]}`;
  if (rule.mustNotBeBetween)
    return `must not be between ${rule.mustNotBeBetween[0]} and ${rule.mustNotBeBetween[1]}`;
  return undefined;
}

function describeArguments(rule: OdcsQualityRule): string {
  const args = rule.arguments ?? {};
  const parts: string[] = [];
  if (Array.isArray(args.validValues))
    parts.push(`allowed: ${args.validValues.join(', ')}`);
  if (typeof args.pattern === 'string') parts.push(`pattern ${args.pattern}`);
  if (Array.isArray(args.missingValues))
    parts.push(
      `counting ${args.missingValues
        .map(v => JSON.stringify(v))
        .join(', ')} as missing`,
    );
  if (Array.isArray(args.properties))
    parts.push(`over ${args.properties.join(', ')}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/**
 * An ODCS quality rule in one sentence, for people: "Null values in total_amount must be 0".
 * `column` is the property the rule is attached to, if any.
 * @public
 */
export function describeQualityRule(
  rule: OdcsQualityRule,
  column?: string,
): string {
  const threshold = describeThreshold(rule);
  const unit = rule.unit === 'percent' ? ' %' : '';
  const metric =
    rule.metric ??
    (rule.type === undefined || rule.type === 'library'
      ? rule.rule
      : undefined);
  if (metric) {
    const subject = `${METRIC_WORDS[metric] ?? metric}${
      column ? ` in ${column}` : ''
    }`;
    return `${subject}${describeArguments(rule)} ${threshold ?? 'is measured'}${
      threshold ? unit : ''
    }`;
  }
  if (rule.type === 'sql') {
    const what = rule.description ?? 'The result of a SQL query';
    return threshold
      ? `${what.replace(/\.$/, '')}: query result ${threshold}`
      : what;
  }
  if (rule.type === 'custom') {
    return `${rule.description ?? 'Custom check'} (${
      rule.engine ?? 'custom engine'
    })`;
  }
  return rule.description ?? rule.name ?? 'Quality expectation';
}

const UNIT_WORDS: Record<string, string> = {
  d: 'days',
  day: 'days',
  days: 'days',
  h: 'hours',
  hr: 'hours',
  hours: 'hours',
  m: 'minutes',
  min: 'minutes',
  minutes: 'minutes',
  s: 'seconds',
  y: 'years',
  yr: 'years',
  years: 'years',
  percent: '%',
};

/** An SLA property in words: "Latency: 30 minutes". @public */
export function describeSlaProperty(sla: OdcsSlaProperty): string {
  const name = sla.property.charAt(0).toUpperCase() + sla.property.slice(1);
  const unit = sla.unit ? UNIT_WORDS[sla.unit.toLowerCase()] ?? sla.unit : '';
  const value =
    typeof sla.value === 'string' ? sla.value : JSON.stringify(sla.value);
  const separator = unit === '%' ? '' : ' ';
  return `${name}: ${value}${unit ? separator + unit : ''}`;
}
