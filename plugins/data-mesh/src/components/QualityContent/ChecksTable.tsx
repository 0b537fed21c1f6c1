import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { PortQuality, QualityResult } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { CheckStatusChip } from './chips';
import { describeResult, sourceLabel } from './format';

type Check = PortQuality['checks'][number];

/** Where a check looks: `table`, `table.column`. */
function location(item: { table?: string; column?: string }): string {
  return [item.table, item.column].filter(Boolean).join('.');
}

function ResultCell(props: {
  result?: Pick<QualityResult, 'value' | 'status' | 'message'>;
  unit?: string;
  threshold?: Check['threshold'];
}) {
  const { result, unit, threshold } = props;
  if (!result) {
    return (
      <Typography variant="body2" color="textSecondary">
        not run yet
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">
        {describeResult({ value: result.value, unit, threshold })}
      </Typography>
      {/* Why nothing could be measured; a failure's message only repeats the value. */}
      {result.value === null && result.message && (
        <Typography variant="caption" color="textSecondary">
          {result.message}
        </Typography>
      )}
    </>
  );
}

/** The checks of one port with their latest results; a check's name opens its trend. */
export function ChecksTable(props: {
  port: string;
  checks: Check[];
  onShowTrend(check: Check): void;
}) {
  const { port, checks, onShowTrend } = props;
  if (checks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The contract of this port has no checks the platform can run.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Checks of ${port}`}>
      <TableHead>
        <TableRow>
          <TableCell>Status</TableCell>
          <TableCell>Check</TableCell>
          <TableCell>Dimension</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Last value</TableCell>
          <TableCell>Measured</TableCell>
          <TableCell>Source</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {checks.map(check => (
          <TableRow key={check.key}>
            <TableCell>
              <CheckStatusChip status={check.latest?.status} />
            </TableCell>
            <TableCell>
              <Link
                component="button"
                variant="body2"
                align="left"
                onClick={() => onShowTrend(check)}
                title="Show the trend of this check"
              >
                {check.name}
              </Link>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                <code>{check.key}</code>
                {location(check) && ` on ${location(check)}`}
              </Typography>
            </TableCell>
            <TableCell>{check.dimension ?? ''}</TableCell>
            <TableCell>{check.severity}</TableCell>
            <TableCell>
              <ResultCell
                result={check.latest}
                unit={check.unit}
                threshold={check.threshold}
              />
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(check.latest?.measuredAt)}
            </TableCell>
            <TableCell>
              {check.latest ? sourceLabel(check.latest.source) : ''}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Results as they were measured: imported ones with no contract check, or those of one run. */
export function ResultsTable(props: {
  label: string;
  results: QualityResult[];
  onShowTrend?(result: QualityResult): void;
}) {
  const { label, results, onShowTrend } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Status</TableCell>
          <TableCell>Check</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Value</TableCell>
          <TableCell>Measured</TableCell>
          <TableCell>Source</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {results.map(result => (
          <TableRow key={`${result.checkKey} ${result.runId}`}>
            <TableCell>
              <CheckStatusChip status={result.status} />
            </TableCell>
            <TableCell>
              {onShowTrend ? (
                <Link
                  component="button"
                  variant="body2"
                  align="left"
                  onClick={() => onShowTrend(result)}
                  title="Show the trend of this check"
                >
                  {result.name}
                </Link>
              ) : (
                <Typography variant="body2">{result.name}</Typography>
              )}
              {location(result) && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  on {location(result)}
                </Typography>
              )}
            </TableCell>
            <TableCell>{result.severity}</TableCell>
            <TableCell>
              <ResultCell
                result={result}
                unit={result.unit}
                threshold={result.threshold}
              />
              {/* Imported results often have no threshold: the tool says what it expected. */}
              {result.value !== null && !result.threshold && result.message && (
                <Typography variant="caption" color="textSecondary">
                  {result.message}
                </Typography>
              )}
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(result.measuredAt)}
            </TableCell>
            <TableCell>{sourceLabel(result.source)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
