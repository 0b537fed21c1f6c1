import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import ErrorIcon from '@material-ui/icons/Error';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import ScheduleIcon from '@material-ui/icons/Schedule';
import SyncIcon from '@material-ui/icons/Sync';
import WarningIcon from '@material-ui/icons/Warning';
import {
  QualityCheckStatus,
  QualityIncident,
  QualityRunStatus,
} from '../../api';
import { HEALTH_COLORS, StatusChip, statusIcon } from '../HealthChip';

const CHECK_STATUS = {
  pass: { label: 'Pass', color: HEALTH_COLORS.healthy, icon: CheckCircleIcon },
  fail: { label: 'Fail', color: HEALTH_COLORS.failing, icon: CancelIcon },
  // Not measured: the check says nothing about the data, so it is not a failure.
  error: { label: 'Error', color: HEALTH_COLORS.degraded, icon: WarningIcon },
  none: {
    label: 'Not run',
    color: HEALTH_COLORS.unknown,
    icon: HelpOutlineIcon,
  },
};

/** The outcome of a check's latest result: pass, fail, error, or not run yet. */
export function CheckStatusChip(props: { status?: QualityCheckStatus }) {
  const key =
    props.status && props.status in CHECK_STATUS ? props.status : 'none';
  const { label, color, icon } = CHECK_STATUS[key];
  return (
    <StatusChip
      color={color}
      icon={statusIcon(icon, color)}
      label={label}
      ariaLabel={`Result: ${key === 'none' ? 'not run yet' : key}`}
    />
  );
}

const RUN_STATUS = {
  running: { color: '#1565c0', icon: SyncIcon },
  completed: { color: HEALTH_COLORS.healthy, icon: CheckCircleIcon },
  failed: { color: HEALTH_COLORS.failing, icon: ErrorIcon },
};

/** A check run: running, completed (whatever its checks found) or failed (it could not run). */
export function QualityRunStatusChip(props: { status: QualityRunStatus }) {
  const { color, icon } = RUN_STATUS[props.status] ?? {
    color: HEALTH_COLORS.unknown,
    icon: ScheduleIcon,
  };
  return (
    <StatusChip
      color={color}
      icon={statusIcon(icon, color)}
      label={props.status}
      ariaLabel={`Status of the run: ${props.status}`}
    />
  );
}

export function IncidentStatusChip(props: {
  status: QualityIncident['status'];
}) {
  const open = props.status === 'open';
  const color = open ? HEALTH_COLORS.failing : HEALTH_COLORS.unknown;
  return (
    <StatusChip
      color={color}
      icon={statusIcon(open ? ErrorIcon : CheckCircleIcon, color)}
      label={open ? 'Open' : 'Closed'}
      ariaLabel={`Incident: ${props.status}`}
    />
  );
}
