import { ReactNode } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { JsonValue } from '@backstage/types';
import { DeploymentLog, DeploymentStatus, DeploymentStep } from '../../api';
import { LogTable } from '../LogTable';

const statusColors: Record<DeploymentStatus, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  running: '#1565c0',
  pending: '#757575',
};

export function StatusChip(props: { status: DeploymentStatus; of: string }) {
  return (
    <Chip
      size="small"
      label={props.status}
      aria-label={`Status of ${props.of}: ${props.status}`}
      style={{ backgroundColor: statusColors[props.status], color: '#fff' }}
    />
  );
}

export function formatTime(iso?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The keys providers usually put in `publicInfo`, in the order consumers read them. */
const knownInfo: Array<[string, string]> = [
  ['engine', 'Engine'],
  ['host', 'Host'],
  ['port', 'Port'],
  ['database', 'Database'],
  ['schema', 'Schema'],
  ['tables', 'Tables'],
  ['readerRole', 'Reader role'],
  ['access', 'Access'],
];

function renderValue(value: JsonValue): ReactNode {
  if (value === null) return '';
  if (Array.isArray(value)) {
    if (value.every(v => typeof v !== 'object' || v === null)) {
      return value.map(String).join(', ');
    }
    return JSON.stringify(value);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function InfoRow(props: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" style={{ width: '30%' }}>
        {props.label}
      </TableCell>
      <TableCell>{props.children}</TableCell>
    </TableRow>
  );
}

/** Connection details for consumers: the known keys first, anything else as key / value. */
export function ConnectionDetails(props: {
  port: string;
  info: Record<string, JsonValue | undefined>;
}) {
  const { info } = props;
  const known = new Set([...knownInfo.map(([key]) => key), 'exampleQuery']);
  const rows = [
    ...knownInfo
      .filter(([key]) => info[key] !== undefined)
      .map(([key, label]) => ({ key, label, value: info[key]! })),
    ...Object.keys(info)
      .filter(key => !known.has(key) && info[key] !== undefined)
      .sort()
      .map(key => ({ key, label: key, value: info[key]! })),
  ];
  const exampleQuery = info.exampleQuery;
  if (rows.length === 0 && exampleQuery === undefined) {
    return null;
  }
  return (
    <Box mt={1}>
      <Typography variant="subtitle2" component="h4">
        Connection details
      </Typography>
      {rows.length > 0 && (
        <Table size="small" aria-label={`Connection details of ${props.port}`}>
          <TableBody>
            {rows.map(row => (
              <InfoRow key={row.key} label={row.label}>
                {renderValue(row.value)}
              </InfoRow>
            ))}
          </TableBody>
        </Table>
      )}
      {exampleQuery !== undefined && (
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            Example query
          </Typography>
          <Box
            component="pre"
            p={1}
            m={0}
            bgcolor="action.hover"
            style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}
          >
            {renderValue(exampleQuery)}
          </Box>
        </Box>
      )}
    </Box>
  );
}

export function StepView(props: { step: DeploymentStep }) {
  const { step } = props;
  return (
    <Box mt={2} component="section" aria-label={`Output port ${step.port}`}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="subtitle1" component="h3">
          {step.port}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {step.provider}
        </Typography>
        <StatusChip status={step.status} of={step.port} />
      </Box>
      {step.message && <Typography variant="body2">{step.message}</Typography>}
      {step.resources.length > 0 && (
        <Table size="small" aria-label={`Resources of ${step.port}`}>
          <TableHead>
            <TableRow>
              <TableCell>Kind</TableCell>
              <TableCell>Name</TableCell>
              <TableCell>Action</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {step.resources.map(r => (
              <TableRow key={`${r.kind}:${r.name}`}>
                <TableCell>{r.kind}</TableCell>
                <TableCell>
                  <code>{r.name}</code>
                  {r.details && (
                    <Typography variant="caption" display="block">
                      {r.details}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{r.action}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ConnectionDetails port={step.port} info={step.publicInfo ?? {}} />
    </Box>
  );
}

export function DeploymentLogView(props: { logs: DeploymentLog[] }) {
  const { logs } = props;
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="subtitle2">
          Log ({logs.length} {logs.length === 1 ? 'line' : 'lines'})
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <LogTable
          lines={logs}
          label="Deployment log"
          sourceTitle="Phase"
          sourceOf={log => [log.port, log.phase].filter(Boolean).join(' / ')}
          formatTimestamp={formatTime}
        />
      </AccordionDetails>
    </Accordion>
  );
}
