import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { ProductQuality, QualityRunWithResults } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { HealthChip } from '../HealthChip';
import { AlertPreferenceSwitch } from './AlertPreferenceSwitch';
import { describeCounts } from './RunsCard';

/** The newest check result time over every port. */
function lastChecked(quality: ProductQuality): string | undefined {
  return quality.ports
    .map(p => p.health.lastCheckedAt)
    .filter((t): t is string => !!t)
    .sort()
    .pop();
}

function Reasons(props: { quality: ProductQuality }) {
  const { quality } = props;
  const reasons = quality.ports.flatMap(port =>
    port.health.reasons.map(reason => ({ port: port.port, ...reason })),
  );
  if (reasons.length > 0) {
    return (
      <Box
        component="ul"
        m={0}
        pl={0}
        style={{ listStyle: 'none' }}
        aria-label="Why"
      >
        {reasons.map((reason, i) => (
          <Box
            component="li"
            key={i}
            display="flex"
            alignItems="center"
            mt={1}
            style={{ gap: 8 }}
          >
            <HealthChip status={reason.status} subject={reason.port} />
            <Typography variant="body2">
              <strong>{reason.port}</strong>: {reason.message}
            </Typography>
          </Box>
        ))}
      </Box>
    );
  }
  let text = 'Every check of every port passes.';
  if (quality.health === 'unknown') {
    text = 'Nothing has been measured yet: the checks have not run.';
  }
  return (
    <Typography variant="body2" color="textSecondary">
      {text}
    </Typography>
  );
}

export interface RunState {
  running: boolean;
  error?: Error;
  /** The runs of the last "Run checks", once they ended. */
  finished?: QualityRunWithResults[];
}

function RunOutcome(props: { state: RunState }) {
  const { running, error, finished } = props.state;
  if (running) {
    return (
      <Box mt={2} role="status">
        <Typography variant="body2">
          Running the checks of every port; the results appear here when they
          are done…
        </Typography>
        <LinearProgress aria-label="Running the checks" />
      </Box>
    );
  }
  if (error) {
    return (
      <Box mt={2}>
        <ResponseErrorPanel error={error} title="The checks could not run" />
      </Box>
    );
  }
  if (finished) {
    if (finished.length === 0) {
      return (
        <Box mt={2} role="status">
          <Alert severity="info">There were no checks to run.</Alert>
        </Box>
      );
    }
    return (
      <Box mt={2} role="status">
        {finished.map(run => {
          let severity: 'success' | 'warning' | 'error' = 'success';
          if (run.status === 'failed') severity = 'error';
          else if (run.failed > 0 || run.errored > 0) severity = 'warning';
          return (
            <Alert key={run.id} severity={severity} style={{ marginTop: 8 }}>
              Checks of {run.port}:{' '}
              {run.status === 'failed'
                ? `the run failed${run.message ? `: ${run.message}` : ''}`
                : describeCounts(run)}
            </Alert>
          );
        })}
      </Box>
    );
  }
  return null;
}

/** The product's health and why, with "Run checks" for owners and the alert preference. */
export function HealthSummaryCard(props: {
  quality: ProductQuality;
  canRun: boolean;
  runState: RunState;
  onRun(): void;
}) {
  const { quality, canRun, runState, onRun } = props;
  const checked = lastChecked(quality);
  return (
    <InfoCard title="Health">
      <Grid container spacing={2}>
        <Grid item xs={12} md={8}>
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 8 }}
          >
            <HealthChip
              status={quality.health}
              subject="this product"
              size="medium"
            />
            <Typography variant="body2">
              {quality.since && `since ${formatDateTime(quality.since)}`}
              {checked && ` · last checked ${formatDateTime(checked)}`}
            </Typography>
          </Box>
          <Box mt={1}>
            <Reasons quality={quality} />
          </Box>
        </Grid>
        <Grid item xs={12} md={4}>
          {canRun && (
            <Box mb={2}>
              <Button
                color="primary"
                variant="contained"
                disabled={runState.running}
                onClick={onRun}
              >
                Run checks
              </Button>
            </Box>
          )}
          <AlertPreferenceSwitch />
        </Grid>
      </Grid>
      <RunOutcome state={runState} />
    </InfoCard>
  );
}
