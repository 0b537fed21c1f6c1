import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { dataProductPipelineRunPermission } from '@backstage-data-mesh/plugin-data-mesh-common';
import { PipelineRun, PipelineSummary } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { RefLink } from '../RefLink';
import { describeSchedule, formatDuration } from './format';
import { PipelineRunDialog } from './PipelineRunDialog';
import { RunStatusChip } from './RunStatusChip';
import { isActive, usePipeline } from './usePipeline';

/** @public */
export interface PipelineCardProps {
  /** How often a queued or running run is refreshed. Default 2000 ms. */
  pollIntervalMs?: number;
}

const EXAMPLE =
  "pipeline: { schedule: '0 6 * * *', steps: [{ name: load-orders, port: orders, table: orders, sql: 'SELECT … FROM …' }] }";

function NoPipeline() {
  return (
    <Box>
      <Typography variant="body1">
        This product declares no pipeline: add <code>spec.pipeline</code> to
        catalog-info.yaml
      </Typography>
      <Typography variant="body2" color="textSecondary">
        For example, under <code>spec</code>:
      </Typography>
      <Box
        component="pre"
        p={1}
        m={0}
        mt={1}
        bgcolor="action.hover"
        style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}
      >
        {EXAMPLE}
      </Box>
    </Box>
  );
}

function ScheduleAndSteps(props: { summary: PipelineSummary }) {
  const { summary } = props;
  return (
    <Box>
      <Typography variant="body1">
        {describeSchedule(summary.schedule)}
      </Typography>
      {summary.nextRunAt && (
        <Typography variant="body2" color="textSecondary">
          Next run: {formatDateTime(summary.nextRunAt)}
        </Typography>
      )}
      {summary.steps.length > 0 && (
        <Box mt={1} component="section" aria-label="Steps">
          <Typography variant="subtitle2" component="h3">
            Steps
          </Typography>
          <Box component="ol" m={0} pl={3}>
            {summary.steps.map(step => (
              <li key={step.name}>
                <Typography variant="body2">
                  {step.name}:{' '}
                  {step.mode === 'append' ? 'appends to' : 'replaces'}{' '}
                  <code>{step.table}</code> of port {step.port}
                </Typography>
              </li>
            ))}
          </Box>
        </Box>
      )}
    </Box>
  );
}

function RunsTable(props: {
  runs: PipelineRun[];
  onShowLog(runId: string): void;
}) {
  const { runs, onShowLog } = props;
  if (runs.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No runs yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Last runs">
      <TableHead>
        <TableRow>
          <TableCell>Status</TableCell>
          <TableCell>Trigger</TableCell>
          <TableCell>Started</TableCell>
          <TableCell>Duration</TableCell>
          <TableCell align="right">Rows written</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {runs.map(run => (
          <TableRow key={run.id}>
            <TableCell>
              <RunStatusChip status={run.status} />
            </TableCell>
            <TableCell>
              {run.trigger === 'manual' ? (
                <>
                  manual{run.requestedBy && ' by '}
                  <RefLink value={run.requestedBy} />
                </>
              ) : (
                'schedule'
              )}
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {run.startedAt
                ? formatDateTime(run.startedAt)
                : `queued ${formatDateTime(run.createdAt)}`}
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {isActive(run.status) ? '…' : formatDuration(run.durationMs)}
            </TableCell>
            <TableCell align="right">
              {run.rowsWritten?.toLocaleString() ?? ''}
            </TableCell>
            <TableCell>
              <Button
                size="small"
                onClick={() => onShowLog(run.id)}
                aria-label={`Log of the run started ${formatDateTime(
                  run.startedAt ?? run.createdAt,
                )}`}
              >
                Log
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * A data product's pipeline: its schedule in words and the next run, its steps, the last runs
 * and their logs; "Run now" for those allowed to run it (the product's owners).
 */
export function PipelineCard(props: PipelineCardProps) {
  const { pollIntervalMs = 2000 } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { summary, error, runNow } = usePipeline(entityRef, pollIntervalMs);
  const canRun = usePermission({
    permission: dataProductPipelineRunPermission,
    resourceRef: entityRef,
  });
  const [submitting, setSubmitting] = useState(false);
  const [runError, setRunError] = useState<Error>();
  const [logRunId, setLogRunId] = useState<string>();

  const startRun = async () => {
    setSubmitting(true);
    setRunError(undefined);
    try {
      await runNow();
    } catch (e) {
      setRunError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!summary) {
    content = <Progress />;
  } else if (!summary.declared) {
    content = <NoPipeline />;
  } else {
    const running = summary.runs.some(run => isActive(run.status));
    content = (
      <Box>
        <ScheduleAndSteps summary={summary} />
        <Box mt={2}>
          <RunsTable runs={summary.runs} onShowLog={setLogRunId} />
        </Box>
        {canRun.allowed && (
          <Box mt={2}>
            <Button
              color="primary"
              variant="contained"
              disabled={submitting || running}
              onClick={startRun}
            >
              Run now
            </Button>
          </Box>
        )}
      </Box>
    );
  }

  return (
    <InfoCard title="Pipeline">
      {runError && (
        <Box mb={2}>
          <ResponseErrorPanel error={runError} />
        </Box>
      )}
      {content}
      {logRunId && (
        <PipelineRunDialog
          runId={logRunId}
          pollIntervalMs={pollIntervalMs}
          onClose={() => setLogRunId(undefined)}
        />
      )}
    </InfoCard>
  );
}
