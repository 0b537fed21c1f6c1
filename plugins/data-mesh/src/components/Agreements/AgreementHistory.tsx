import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { Agreement, AgreementEvent, dataMeshApiRef } from '../../api';
import { eventLabel, formatDateTime } from './format';
import { RefLink } from '../RefLink';

function Details(props: { details?: AgreementEvent['details'] }) {
  const entries = Object.entries(props.details ?? {}).filter(
    ([, value]) => value !== null && value !== undefined && value !== '',
  );
  if (entries.length === 0) {
    return null;
  }
  return (
    <Typography
      variant="caption"
      display="block"
      color="textSecondary"
      style={{ whiteSpace: 'pre-wrap' }}
    >
      {entries
        .map(
          ([key, value]) =>
            `${key}: ${
              typeof value === 'string' ? value : JSON.stringify(value)
            }`,
        )
        .join('\n')}
    </Typography>
  );
}

/** The audit history of one agreement, oldest first, as the backend keeps it. */
export function AgreementHistory(props: { agreement: Agreement }) {
  const { id, updatedAt } = props.agreement;
  const api = useApi(dataMeshApiRef);
  // Reloaded when the agreement changes, so an open history follows a decision.
  const { value, loading, error } = useAsync(
    () => api.getAgreement(id),
    [api, id, updatedAt],
  );

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (loading && !value) {
    return <Progress />;
  }
  const events = value?.events ?? [];
  return (
    <Box px={2} py={1}>
      {events.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No history recorded.
        </Typography>
      ) : (
        <Table size="small" aria-label={`History of agreement ${id}`}>
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>What</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Reason</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {events.map(event => (
              <TableRow key={event.id}>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(event.at)}
                </TableCell>
                <TableCell>
                  <RefLink value={event.actor} />
                </TableCell>
                <TableCell>
                  {eventLabel(event.action)}
                  <Details details={event.details} />
                </TableCell>
                <TableCell>
                  {event.fromStatus || event.toStatus
                    ? `${event.fromStatus ?? '–'} → ${event.toStatus ?? '–'}`
                    : ''}
                </TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap' }}>
                  {event.reason}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
