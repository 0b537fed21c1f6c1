// Words for quality results, schedules, SLOs and durations. Values and thresholds are put in words
// by -common, as the backend does in its messages, so the tab and the notifications agree.
import {
  describeQualityThreshold,
  describeQualityValue,
  QualityResultSource,
  QualityThreshold,
  QualityUnit,
  SloCompliance,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { describeCron, formatDuration } from '../PipelineCard/format';

export const SOURCE_LABELS: Record<QualityResultSource, string> = {
  platform: 'Platform',
  openlineage: 'OpenLineage',
  datacontract: 'datacontract CLI',
  dbt: 'dbt',
};

/** A result source in words; one from a newer backend is shown as sent. */
export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source as QualityResultSource] ?? source;
}

const UNITS: QualityUnit[] = ['rows', 'percent', 'seconds', 'flag'];

/** The unit of a check; results imported from other tools may name units of their own. */
export function asQualityUnit(unit?: string): QualityUnit | undefined {
  return UNITS.find(u => u === unit);
}

/** A value in its unit ("7 rows", "0.4 %", "7 hours"); other units are shown as given. */
export function describeValue(value: number, unit?: string): string {
  const known = asQualityUnit(unit);
  if (known) return describeQualityValue(value, known);
  return unit ? `${value} ${unit}` : String(value);
}

/**
 * What was measured against what was expected: "7 rows — must be 0", "7 hours — must be at most
 * 6 hours". A conformance flag reads "conforms" / "does not conform"; nothing measured reads
 * "not measured".
 */
export function describeResult(result: {
  value: number | null;
  unit?: string;
  threshold?: QualityThreshold;
}): string {
  const { value, unit, threshold } = result;
  if (value === null || value === undefined || Number.isNaN(value)) {
    return 'not measured';
  }
  const measured = describeValue(value, unit);
  if (!threshold || unit === 'flag') return measured;
  // Thresholds in an unknown unit read as plain numbers.
  const words = describeQualityThreshold(
    threshold,
    asQualityUnit(unit) ?? 'rows',
  );
  return `${measured} — ${words}`;
}

/** "Checks run every day at 06:00 UTC", or on demand only. */
export function describeCheckSchedule(schedule?: string): string {
  if (!schedule) return 'Checks run on demand only (no schedule)';
  const words = describeCron(schedule);
  return words ? `Checks run ${words}` : `Checks run on cron ${schedule} (UTC)`;
}

/** 45 s, 3 min 5 s, 1 h 2 min, 2 d 3 h. */
export function formatElapsed(ms: number): string {
  if (ms < 86_400_000) return formatDuration(ms);
  const hours = Math.floor(ms / 3_600_000);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "99.2 %" of the window not failing, or that there is no history to tell yet. */
export function describeSlo(slo?: SloCompliance): string {
  if (!slo || slo.percent === null) return 'no history yet';
  const percent = Math.round(slo.percent * 10) / 10;
  return `${percent} %`;
}

/** "6 h 3 min failing", "never failing". */
export function describeFailingTime(slo: SloCompliance): string {
  if (slo.failingMinutes <= 0) return 'never failing';
  return `${formatElapsed(slo.failingMinutes * 60_000)} failing`;
}

/** The time from `from` to `to` (or now) in words. */
export function elapsedBetween(from: string, to?: string, now = Date.now()) {
  const end = to ? Date.parse(to) : now;
  return formatElapsed(Math.max(0, end - Date.parse(from)));
}
