import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import WarningIcon from '@material-ui/icons/Warning';
import type { HealthStatus } from '@backstage-data-mesh/plugin-data-mesh-common';
import { HEALTH_COLORS, HEALTH_LABELS, knownHealth } from './healthStatus';
import { StatusChip, statusIcon } from './StatusChip';

const ICONS = {
  healthy: CheckCircleIcon,
  degraded: WarningIcon,
  failing: ErrorIcon,
  unknown: HelpOutlineIcon,
};

/** @public */
export interface HealthChipProps {
  /** Undefined, or a status this frontend does not know, shows as unknown. */
  status?: HealthStatus;
  /** Whose health, for the accessible name: "Health of orders: failing". */
  subject?: string;
  size?: 'small' | 'medium';
}

/** The health of a data product or port: colour, icon and word. @public */
export function HealthChip(props: HealthChipProps) {
  const { subject, size } = props;
  const status = knownHealth(props.status);
  const color = HEALTH_COLORS[status];
  return (
    <StatusChip
      size={size}
      color={color}
      icon={statusIcon(ICONS[status], color)}
      label={HEALTH_LABELS[status]}
      ariaLabel={`${subject ? `Health of ${subject}` : 'Health'}: ${status}`}
    />
  );
}
