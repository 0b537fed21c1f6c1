import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { QualityRun } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { formatDuration } from '../PipelineCard/format';
import { RefLink } from '../RefLink';
import { QualityRunStatusChip } from './chips';
import { sourceLabel } from './format';

/** "2 passed, 2 failed, 1 not measured". */
export function describeCounts(run: QualityRun): string {
  const parts = [`${run.passed} passed`, `${run.failed} failed`];
  if (run.errored > 0) parts.push(`${run.errored} not measured`);
  return parts.join(', ');
}

/** The product's last check runs and imports, newest first, each with its log. */
export function RunsCard(props: {
  runs: QualityRun[];
  onShowLog(runId: string): void;
}) {
  const { runs, onShowLog } = props;
  return (
    <InfoCard title="Check runs">
      {runs.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No runs yet: checks run on their schedule, after the pipeline, or with
          Run checks; results of other tools arrive as imports.
        </Typography>
      ) : (
        <Table size="small" aria-label="Check runs">
          <TableHead>
            <TableRow>
              <TableCell>Status</TableCell>
              <TableCell>Port</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>Trigger</TableCell>
              <TableCell>Started</TableCell>
              <TableCell>Duration</TableCell>
              <TableCell>Results</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {runs.map(run => (
              <TableRow key={run.id}>
                <TableCell>
                  <QualityRunStatusChip status={run.status} />
                </TableCell>
                <TableCell>{run.port}</TableCell>
                <TableCell>{sourceLabel(run.source)}</TableCell>
                <TableCell>
                  {run.trigger}
                  {run.requestedBy && (
                    <>
                      {' by '}
                      <RefLink value={run.requestedBy} />
                    </>
                  )}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(run.startedAt)}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {run.status === 'running'
                    ? '…'
                    : formatDuration(run.durationMs)}
                </TableCell>
                <TableCell>
                  <Typography variant="body2">{describeCounts(run)}</Typography>
                  {run.status === 'failed' && run.message && (
                    <Typography variant="caption" color="error">
                      {run.message}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => onShowLog(run.id)}
                    aria-label={`Log of the run of ${
                      run.port
                    } started ${formatDateTime(run.startedAt)}`}
                  >
                    Log
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
