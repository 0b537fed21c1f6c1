import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { PortQuality } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { HealthChip } from '../HealthChip';
import { ChecksTable, ResultsTable } from './ChecksTable';
import { TrendTarget } from './CheckTrendDialog';
import {
  describeCheckSchedule,
  describeFailingTime,
  describeSlo,
} from './format';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-label={props.title} mt={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function SloFacts(props: { port: PortQuality }) {
  const windows = [7, 30] as const;
  return (
    <Grid container spacing={2}>
      {windows.map(days => {
        const slo = props.port.slo.find(s => s.days === days);
        return (
          <Grid item key={days} xs={6} sm={4}>
            <Typography variant="overline" component="div">
              Last {days} days
            </Typography>
            <Typography variant="h6" component="div">
              {describeSlo(slo)}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {slo && slo.percent !== null
                ? `not failing (${describeFailingTime(slo)})`
                : 'The share of time not failing shows once health has been recorded.'}
            </Typography>
          </Grid>
        );
      })}
    </Grid>
  );
}

/** One output port on the Quality tab: its health, schedule, SLOs, checks and other results. */
export function PortQualityPanel(props: {
  port: PortQuality;
  namespace: string;
  onShowTrend(target: TrendTarget): void;
}) {
  const { port, namespace, onShowTrend } = props;
  const { health } = port;
  return (
    <Box role="tabpanel" aria-label={`Quality of ${port.port}`}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <HealthChip status={health.status} subject={port.port} />
        <Typography variant="body2">
          {health.since && `since ${formatDateTime(health.since)}`}
          {health.lastCheckedAt &&
            ` · last checked ${formatDateTime(health.lastCheckedAt)}`}
        </Typography>
        {port.contractId && (
          <Typography variant="body2" color="textSecondary">
            · contract{' '}
            <EntityRefLink
              entityRef={{ kind: 'api', namespace, name: port.contractId }}
            >
              {port.contractId}
            </EntityRefLink>
          </Typography>
        )}
      </Box>
      <Typography variant="body2">
        {describeCheckSchedule(port.schedule)}
        {port.nextRunAt && ` · next run ${formatDateTime(port.nextRunAt)}`}
      </Typography>

      <Section title="SLO compliance">
        <SloFacts port={port} />
      </Section>

      <Section title="Checks">
        <ChecksTable
          port={port.port}
          checks={port.checks}
          onShowTrend={check =>
            onShowTrend({
              port: port.port,
              checkKey: check.key,
              name: check.name,
              unit: check.unit,
              threshold: check.threshold,
              description: check.description,
            })
          }
        />
      </Section>

      {port.unsupported.length > 0 && (
        <Section title="Rules the platform does not check">
          <Typography variant="body2" color="textSecondary" paragraph>
            These rules of the contract are not measured here; import their
            results from the tool that runs them to see them above.
          </Typography>
          <Box component="ul" m={0} pl={3}>
            {port.unsupported.map((rule, i) => (
              <li key={i}>
                <Typography variant="body2">
                  {[rule.table, rule.column].filter(Boolean).join('.') ||
                    'Contract'}
                  {rule.ruleId && (
                    <>
                      {' '}
                      (<code>{rule.ruleId}</code>)
                    </>
                  )}
                  : {rule.reason}
                </Typography>
              </li>
            ))}
          </Box>
        </Section>
      )}

      <Section title="Imported results">
        {port.external.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No results of checks outside the contract. Results that dbt, the
            datacontract CLI or OpenLineage report for this port appear here.
          </Typography>
        ) : (
          <ResultsTable
            label={`Imported results of ${port.port}`}
            results={port.external}
            onShowTrend={result =>
              onShowTrend({
                port: port.port,
                checkKey: result.checkKey,
                name: result.name,
                unit: result.unit,
                threshold: result.threshold,
              })
            }
          />
        )}
      </Section>
    </Box>
  );
}
