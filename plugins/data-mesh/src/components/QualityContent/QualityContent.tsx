import { useCallback, useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Alert from '@material-ui/lab/Alert';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { dataProductQualityRunPermission } from '@backstage-data-mesh/plugin-data-mesh-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshApiRef } from '../../api';
import { HealthChip } from '../HealthChip';
import { CheckTrendDialog, TrendTarget } from './CheckTrendDialog';
import { HealthSummaryCard, RunState } from './HealthSummaryCard';
import { IncidentsCard } from './IncidentsCard';
import { PortQualityPanel } from './PortQualityPanel';
import { QualityRunDialog } from './QualityRunDialog';
import { RunsCard } from './RunsCard';
import { useSelectedPort } from './useSelectedPort';

/** @public */
export interface QualityContentProps {
  /** How often the log of a running check run is refreshed. Default 2000 ms. */
  pollIntervalMs?: number;
  /** How often the tab is refreshed while a run started elsewhere goes on. Default 5000 ms. */
  refreshIntervalMs?: number;
}

/**
 * The Quality tab of a data product: its health and why, per output port the checks with their
 * latest values against their thresholds (each with its trend), SLO compliance, rules not
 * checked and imported results; the incidents, the check runs with their logs, and "Run checks"
 * for the product's owners.
 */
export function QualityContent(props: QualityContentProps) {
  const { pollIntervalMs = 2000, refreshIntervalMs = 5000 } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const namespace = entity.metadata.namespace ?? 'default';
  const api = useApi(dataMeshApiRef);
  // useAsyncRetry keeps the data while reloading, so the tab does not flash after a run.
  const quality = useAsyncRetry(
    () => api.getQuality(entityRef),
    [api, entityRef],
  );
  const canRun = usePermission({
    permission: dataProductQualityRunPermission,
    resourceRef: entityRef,
  });
  const ports = quality.value?.ports.map(p => p.port) ?? [];
  const selected = useSelectedPort(ports);
  const [runState, setRunState] = useState<RunState>({ running: false });
  const [trend, setTrend] = useState<TrendTarget>();
  const [logRunId, setLogRunId] = useState<string>();
  const { retry } = quality;

  // A scheduled run, or one started by someone else, shows up as running: look again until it
  // has ended. A run started here is awaited instead.
  const othersRunning =
    !runState.running &&
    !!quality.value?.runs.some(run => run.status === 'running');
  useEffect(() => {
    if (!othersRunning) return undefined;
    // retry() does nothing while a load is under way, so ticks never pile up.
    const timer = setInterval(retry, refreshIntervalMs);
    return () => clearInterval(timer);
  }, [othersRunning, retry, refreshIntervalMs]);

  const runChecks = useCallback(async () => {
    setRunState({ running: true });
    try {
      const finished = await api.runQualityChecks(entityRef);
      setRunState({ running: false, finished });
      retry();
    } catch (e) {
      setRunState({ running: false, error: e as Error });
    }
  }, [api, entityRef, retry]);

  if (quality.error) {
    return <ResponseErrorPanel error={quality.error} />;
  }
  if (!quality.value) {
    return <Progress />;
  }
  const value = quality.value;
  if (value.ports.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No quality checks for this product yet"
        description="Checks come from the quality rules, schema and SLA properties of the contracts of the product's output ports. This product has no output port with a contract."
      />
    );
  }
  const port =
    value.ports.find(p => p.port === selected.port) ?? value.ports[0];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <HealthSummaryCard
          quality={value}
          canRun={canRun.allowed}
          runState={runState}
          onRun={runChecks}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Output ports">
          {selected.missing && (
            <Box mb={2}>
              <Alert severity="info">
                This product has no output port {selected.missing} with checks;
                showing {port.port}.
              </Alert>
            </Box>
          )}
          <Tabs
            value={port.port}
            onChange={(_event, next: string) => selected.select(next)}
            indicatorColor="primary"
            textColor="primary"
            variant="scrollable"
            aria-label="Output ports"
          >
            {value.ports.map(p => (
              <Tab
                key={p.port}
                value={p.port}
                label={
                  <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                    {p.port}
                    <HealthChip status={p.health.status} subject={p.port} />
                  </Box>
                }
              />
            ))}
          </Tabs>
          <Box mt={2}>
            <PortQualityPanel
              port={port}
              namespace={namespace}
              onShowTrend={setTrend}
            />
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <IncidentsCard incidents={value.incidents} />
      </Grid>
      <Grid item xs={12}>
        <RunsCard runs={value.runs} onShowLog={setLogRunId} />
      </Grid>
      {trend && (
        <CheckTrendDialog
          entityRef={entityRef}
          target={trend}
          onClose={() => setTrend(undefined)}
        />
      )}
      {logRunId && (
        <QualityRunDialog
          runId={logRunId}
          pollIntervalMs={pollIntervalMs}
          onClose={() => setLogRunId(undefined)}
        />
      )}
    </Grid>
  );
}
