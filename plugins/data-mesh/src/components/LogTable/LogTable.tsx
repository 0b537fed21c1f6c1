import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

/** A line of a deployment's, a pipeline run's or a quality run's log. */
export interface LogLine {
  id: number;
  timestamp: string;
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  message: string;
}

const levelColors: Record<LogLine['level'], string | undefined> = {
  DEBUG: '#757575',
  INFO: undefined,
  WARNING: '#ef6c00',
  ERROR: '#c62828',
};

/** A log as a table: time, level (coloured), where it comes from (when told), message. */
export function LogTable<T extends LogLine>(props: {
  lines: T[];
  /** The table's accessible name, e.g. `Run log`. */
  label: string;
  /**
   * The heading of the column that says where a line comes from, e.g. `Step`. Without it and
   * `sourceOf` the column is left out (a quality run's lines all come from the run).
   */
  sourceTitle?: string;
  sourceOf?: (line: T) => string;
  formatTimestamp: (iso: string) => string;
}) {
  const { lines, label, sourceTitle, sourceOf, formatTimestamp } = props;
  if (lines.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing logged yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Level</TableCell>
          {sourceOf && <TableCell>{sourceTitle}</TableCell>}
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {lines.map(line => (
          <TableRow key={line.id}>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {formatTimestamp(line.timestamp)}
            </TableCell>
            <TableCell style={{ color: levelColors[line.level] }}>
              {line.level}
            </TableCell>
            {sourceOf && <TableCell>{sourceOf(line)}</TableCell>}
            <TableCell style={{ whiteSpace: 'pre-wrap' }}>
              {line.message}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
