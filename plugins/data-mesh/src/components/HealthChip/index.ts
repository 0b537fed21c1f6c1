export { HealthChip } from './HealthChip';
export type { HealthChipProps } from './HealthChip';
export { StatusChip, statusIcon } from './StatusChip';
export {
  HEALTH_COLORS,
  HEALTH_LABELS,
  HEALTH_ORDER,
  healthColor,
  knownHealth,
} from './healthStatus';
