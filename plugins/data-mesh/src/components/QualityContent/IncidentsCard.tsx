import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { QualityIncident } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { HealthChip } from '../HealthChip';
import { IncidentStatusChip } from './chips';
import { elapsedBetween } from './format';

/** Open incidents first, newest first within each group. */
export function sortIncidents(incidents: QualityIncident[]): QualityIncident[] {
  return [...incidents].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
    return b.openedAt.localeCompare(a.openedAt);
  });
}

/** A product's incidents: a port failing, from when it started to when it recovered. */
export function IncidentsCard(props: { incidents: QualityIncident[] }) {
  const incidents = sortIncidents(props.incidents);
  return (
    <InfoCard title="Incidents">
      {incidents.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No incidents: no port of this product has failed its checks.
        </Typography>
      ) : (
        <Table size="small" aria-label="Incidents">
          <TableHead>
            <TableRow>
              <TableCell>Status</TableCell>
              <TableCell>Incident</TableCell>
              <TableCell>Port</TableCell>
              <TableCell>Opened</TableCell>
              <TableCell>Closed</TableCell>
              <TableCell>Duration</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {incidents.map(incident => (
              <TableRow key={incident.id}>
                <TableCell>
                  <IncidentStatusChip status={incident.status} />
                </TableCell>
                <TableCell>
                  <Typography variant="body2">{incident.title}</Typography>
                  {incident.causes.length > 0 && (
                    <Box
                      component="ul"
                      m={0}
                      pl={0}
                      style={{ listStyle: 'none' }}
                      aria-label={`Causes of ${incident.title}`}
                    >
                      {incident.causes.map((cause, i) => (
                        <Box
                          component="li"
                          key={i}
                          display="flex"
                          alignItems="center"
                          mt={0.5}
                          style={{ gap: 8 }}
                        >
                          <HealthChip
                            status={cause.status}
                            subject={incident.port}
                          />
                          <Typography variant="body2" color="textSecondary">
                            {cause.message}
                          </Typography>
                        </Box>
                      ))}
                    </Box>
                  )}
                </TableCell>
                <TableCell>{incident.port}</TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(incident.openedAt)}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {incident.closedAt ? formatDateTime(incident.closedAt) : '—'}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {incident.status === 'open'
                    ? `open for ${elapsedBetween(incident.openedAt)}`
                    : elapsedBetween(incident.openedAt, incident.closedAt)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
