import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  CodeSnippet,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { JsonValue } from '@backstage/types';
import useAsync from 'react-use/esm/useAsync';
import { Agreement, dataMeshApiRef } from '../../api';

/** The keys a connection usually has, in the order a consumer needs them. */
const KNOWN: Array<[string, string]> = [
  ['engine', 'Engine'],
  ['host', 'Host'],
  ['port', 'Port'],
  ['database', 'Database'],
  ['schema', 'Schema'],
  ['tables', 'Tables'],
  ['principal', 'Principal'],
];

function show(value: JsonValue): string {
  if (value === null) return '';
  if (Array.isArray(value) && value.every(v => typeof v !== 'object')) {
    return value.map(String).join(', ');
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * How to connect to an active agreement's port: the port's connection details, the warehouse
 * principal to use, and an example query.
 */
export function ConnectionPanel(props: { agreement: Agreement }) {
  const { id, updatedAt, outputPort } = props.agreement;
  const api = useApi(dataMeshApiRef);
  const { value, loading, error } = useAsync(
    () => api.getAgreement(id),
    [api, id, updatedAt],
  );

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (loading) {
    content = <Progress />;
  } else if (!value?.connection || Object.keys(value.connection).length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No connection details yet: the port has not been deployed successfully.
      </Typography>
    );
  } else {
    const connection = value.connection;
    const known = new Set([...KNOWN.map(([key]) => key), 'exampleQuery']);
    const rows = [
      ...KNOWN.filter(([key]) => connection[key] !== undefined).map(
        ([key, label]) => ({ key, label, value: connection[key]! }),
      ),
      ...Object.keys(connection)
        .filter(key => !known.has(key) && connection[key] !== undefined)
        .sort()
        .map(key => ({ key, label: key, value: connection[key]! })),
    ];
    const exampleQuery = connection.exampleQuery;
    content = (
      <>
        <Table size="small" aria-label={`Connection details of ${outputPort}`}>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.key}>
                <TableCell component="th" scope="row" style={{ width: '30%' }}>
                  {row.label}
                </TableCell>
                <TableCell>
                  <code>{show(row.value)}</code>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {typeof exampleQuery === 'string' && (
          <Box mt={2} aria-label="Example query" role="group">
            <Typography variant="caption" color="textSecondary">
              Example query
            </Typography>
            <CodeSnippet
              text={exampleQuery}
              language="sql"
              showCopyCodeButton
              wrapLongLines
            />
          </Box>
        )}
      </>
    );
  }

  return (
    <Box component="section" aria-label={`Connect to ${outputPort}`} mt={2}>
      <Typography variant="subtitle2" component="h4" gutterBottom>
        Connect
      </Typography>
      {content}
    </Box>
  );
}
