import Chip from '@material-ui/core/Chip';
import { PipelineRunStatus } from '../../api';

const statusColors: Record<PipelineRunStatus, string> = {
  queued: '#757575',
  running: '#1565c0',
  succeeded: '#2e7d32',
  failed: '#c62828',
};

export function RunStatusChip(props: { status: PipelineRunStatus }) {
  const { status } = props;
  return (
    <Chip
      size="small"
      label={status}
      aria-label={`Status of the run: ${status}`}
      style={{
        backgroundColor: statusColors[status] ?? '#757575',
        color: '#fff',
      }}
    />
  );
}
