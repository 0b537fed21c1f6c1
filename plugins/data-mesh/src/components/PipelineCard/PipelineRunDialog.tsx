import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { dataMeshApiRef, PipelineRunWithLogs } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { LogTable, usePolledRun } from '../LogTable';
import { formatDuration } from './format';
import { RunStatusChip } from './RunStatusChip';
import { isActive } from './usePipeline';

/** One run's steps and log, refreshed while the run goes on. */
export function PipelineRunDialog(props: {
  runId: string;
  onClose(): void;
  pollIntervalMs: number;
}) {
  const { runId, onClose, pollIntervalMs } = props;
  const api = useApi(dataMeshApiRef);
  const { run, error } = usePolledRun<PipelineRunWithLogs>(
    () => api.getPipelineRun(runId),
    d => isActive(d.status),
    pollIntervalMs,
    [api, runId],
  );

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!run) {
    content = <Progress />;
  } else {
    content = (
      <>
        <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={2}>
          <RunStatusChip status={run.status} />
          <Typography variant="body2">
            {run.trigger === 'manual' ? 'Run by hand' : 'Scheduled run'}{' '}
            {run.id}, created {formatDateTime(run.createdAt)}
            {run.durationMs !== undefined &&
              `, took ${formatDuration(run.durationMs)}`}
          </Typography>
        </Box>
        {run.message && (
          <Typography variant="body2" paragraph>
            {run.message}
          </Typography>
        )}
        {run.steps.length > 0 && (
          <Table size="small" aria-label="Steps of the run">
            <TableHead>
              <TableRow>
                <TableCell>Step</TableCell>
                <TableCell>Writes</TableCell>
                <TableCell>Status</TableCell>
                <TableCell align="right">Rows</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {run.steps.map(step => (
                <TableRow key={step.name}>
                  <TableCell>{step.name}</TableCell>
                  <TableCell>
                    <code>{step.output}</code>
                  </TableCell>
                  <TableCell>{step.status}</TableCell>
                  <TableCell align="right">
                    {step.rowsWritten?.toLocaleString()}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Box mt={2}>
          <LogTable
            lines={run.logs}
            label="Run log"
            sourceTitle="Step"
            sourceOf={log => log.step ?? ''}
            formatTimestamp={formatDateTime}
          />
        </Box>
      </>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="pipeline-run-title"
    >
      <DialogTitle id="pipeline-run-title">Pipeline run</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
