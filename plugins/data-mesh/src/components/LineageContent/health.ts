import type { LineageHealth, LineageProvenance } from '../../api';

export const HEALTH_COLORS: Record<LineageHealth, string> = {
  healthy: '#2e7d32',
  degraded: '#ef6c00',
  failing: '#c62828',
  unknown: '#9e9e9e',
};

export const HEALTH_ORDER: LineageHealth[] = [
  'healthy',
  'degraded',
  'failing',
  'unknown',
];

export function healthColor(health?: LineageHealth): string {
  return HEALTH_COLORS[health ?? 'unknown'] ?? HEALTH_COLORS.unknown;
}

export const PROVENANCE_LABELS: Record<LineageProvenance, string> = {
  declared: 'Declared (input port)',
  observed: 'Observed (runs)',
  both: 'Declared and observed',
};
