import Chip from '@material-ui/core/Chip';
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
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { LineageDifference } from '../../api';
import { formatDateTime } from '../Agreements/format';

const KIND_LABELS: Record<LineageDifference['kind'], string> = {
  undeclaredConsumer: 'Undeclared consumer',
  undeclaredInput: 'Undeclared input',
  declaredInputNeverRead: 'Declared input never read',
};

const KIND_COLORS: Record<LineageDifference['kind'], string> = {
  undeclaredConsumer: '#ef6c00',
  undeclaredInput: '#c62828',
  declaredInputNeverRead: '#757575',
};

/** Where the input ports a product declares and what its runs show disagree. */
export function DifferencesPanel(props: {
  loading: boolean;
  error?: Error;
  differences?: LineageDifference[];
}) {
  const { loading, error, differences } = props;
  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (loading || !differences) {
    content = <Progress />;
  } else if (differences.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        Declared and observed lineage agree: every input port has been read by a
        run, and every reader is declared.
      </Typography>
    );
  } else {
    content = (
      <Table
        size="small"
        aria-label="Differences between declared and observed lineage"
      >
        <TableHead>
          <TableRow>
            <TableCell>Kind</TableCell>
            <TableCell>Difference</TableCell>
            <TableCell>Other product</TableCell>
            <TableCell>Last seen</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {differences.map((d, i) => (
            <TableRow
              key={`${d.kind}:${d.entityRef ?? ''}:${d.job ?? ''}:${i}`}
            >
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                <Chip
                  size="small"
                  label={KIND_LABELS[d.kind] ?? d.kind}
                  style={{
                    backgroundColor: KIND_COLORS[d.kind] ?? '#757575',
                    color: '#fff',
                  }}
                />
              </TableCell>
              <TableCell>{d.message}</TableCell>
              <TableCell>
                {d.entityRef ? <EntityRefLink entityRef={d.entityRef} /> : '–'}
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {d.lastSeenAt ? formatDateTime(d.lastSeenAt) : '–'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return (
    <InfoCard
      title="Declared vs observed"
      subheader="Input ports this product declares, against what runs reported reading and writing"
    >
      {content}
    </InfoCard>
  );
}
