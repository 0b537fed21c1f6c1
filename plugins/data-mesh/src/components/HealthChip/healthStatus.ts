// The colours and words of health, shared by the chip and the lineage graph. Kept free of React
// and Material UI so that the lineage graph view can use it on its own page.
import type { HealthStatus } from '@backstage-data-mesh/plugin-data-mesh-common';

export const HEALTH_COLORS: Record<HealthStatus, string> = {
  healthy: '#2e7d32',
  degraded: '#ef6c00',
  failing: '#c62828',
  unknown: '#9e9e9e',
};

export const HEALTH_LABELS: Record<HealthStatus, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  unknown: 'Unknown',
};

/** Best first, as legends list them. */
export const HEALTH_ORDER: HealthStatus[] = [
  'healthy',
  'degraded',
  'failing',
  'unknown',
];

/** A status from a newer backend that this frontend does not know reads as unknown. */
export function knownHealth(status?: string): HealthStatus {
  return status && status in HEALTH_COLORS
    ? (status as HealthStatus)
    : 'unknown';
}

export function healthColor(status?: string): string {
  return HEALTH_COLORS[knownHealth(status)];
}
