import Chip from '@material-ui/core/Chip';
import { AgreementStatus } from '../../api';

const statusColors: Record<AgreementStatus, string> = {
  requested: '#ef6c00',
  approved: '#1565c0',
  active: '#2e7d32',
  rejected: '#c62828',
  revoked: '#6d4c41',
  cancelled: '#757575',
  expired: '#757575',
};

export function AgreementStatusChip(props: { status: AgreementStatus }) {
  const { status } = props;
  return (
    <Chip
      size="small"
      label={status}
      aria-label={`Status: ${status}`}
      style={{
        backgroundColor: statusColors[status] ?? '#757575',
        color: '#fff',
      }}
    />
  );
}
