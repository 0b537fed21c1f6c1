import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { dataMeshApiRef, QualityRun, QualityRunWithResults } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { LogTable, usePolledRun } from '../LogTable';
import { formatDuration } from '../PipelineCard/format';
import { ResultsTable } from './ChecksTable';
import { QualityRunStatusChip } from './chips';
import { sourceLabel } from './format';

const TRIGGERS: Record<QualityRun['trigger'], string> = {
  schedule: 'Scheduled run',
  manual: 'Run by hand',
  pipeline: 'Run after the pipeline',
  import: 'Import',
};

/** "Scheduled run of positions (Platform)", "Import of positions (dbt)". */
export function describeRun(run: QualityRun): string {
  const trigger = TRIGGERS[run.trigger] ?? run.trigger;
  return `${trigger} of ${run.port} (${sourceLabel(run.source)})`;
}

/** One quality run: what it found and its log, refreshed while it is running. */
export function QualityRunDialog(props: {
  runId: string;
  onClose(): void;
  pollIntervalMs: number;
}) {
  const { runId, onClose, pollIntervalMs } = props;
  const api = useApi(dataMeshApiRef);
  const { run, error } = usePolledRun<QualityRunWithResults>(
    () => api.getQualityRun(runId),
    d => d.status === 'running',
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
          <QualityRunStatusChip status={run.status} />
          <Typography variant="body2">
            {describeRun(run)}, started {formatDateTime(run.startedAt)}
            {run.durationMs !== undefined &&
              `, took ${formatDuration(run.durationMs)}`}
            {run.queries !== undefined &&
              `, ${run.queries} quer${run.queries === 1 ? 'y' : 'ies'}`}
          </Typography>
        </Box>
        {run.message && (
          <Typography variant="body2" paragraph>
            {run.message}
          </Typography>
        )}
        <Typography variant="subtitle2" component="h3">
          Results
        </Typography>
        {run.results.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            {run.status === 'running'
              ? 'No results yet.'
              : 'This run recorded no results.'}
          </Typography>
        ) : (
          <ResultsTable label="Results of the run" results={run.results} />
        )}
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            Log
          </Typography>
          <LogTable
            lines={run.logs}
            label="Run log"
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
      aria-labelledby="quality-run-title"
    >
      <DialogTitle id="quality-run-title">Check run</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
