import { Fragment, ReactNode, useState } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Divider from '@material-ui/core/Divider';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import {
  CodeSnippet,
  CopyTextButton,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  DataProductEntity,
  OnboardingPort,
  ProductOnboarding,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshApiRef } from '../../api';
import { myAccessRouteRef } from '../../routes';
import { errorMessage } from '../Agreements';
import { HealthChip } from '../HealthChip';
import { RefLink, useEntityPath } from '../RefLink';
import { RequestAccessDialog } from '../RequestAccessDialog';

/**
 * A connection string without a password, should one ever carry it
 * (`postgresql://reader:secret@host/db` → `postgresql://reader@host/db`).
 */
export function withoutPassword(connectionString: string): string {
  return connectionString.replace(
    /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+):[^@/\s]*@/i,
    '$1@',
  );
}

function ConnectionDetails(props: { port: OnboardingPort }) {
  const { port } = props;
  const server = port.server;
  if (!server) {
    return (
      <Typography variant="body2" color="textSecondary">
        Where the data is is not known yet: the port is neither deployed nor
        names a server in its contract.
      </Typography>
    );
  }
  const connectionString = server.connectionString
    ? withoutPassword(server.connectionString)
    : undefined;
  const rows: Array<[string, ReactNode]> = [
    ['Type', server.type],
    ['Host', server.host],
    ['Port', server.port],
    ['Database', server.database],
    ['Schema', server.schema],
    ['Role to read with', port.readerRole],
  ];
  return (
    <Table size="small" aria-label={`Connection details of ${port.port}`}>
      <TableBody>
        {rows
          .filter(([, value]) => value !== undefined && value !== '')
          .map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row" style={{ width: '30%' }}>
                {label}
              </TableCell>
              <TableCell>
                <code>{value}</code>
              </TableCell>
            </TableRow>
          ))}
        {connectionString && (
          <TableRow>
            <TableCell component="th" scope="row">
              Connection string
            </TableCell>
            <TableCell>
              <Box display="flex" alignItems="center" style={{ gap: 4 }}>
                <code style={{ wordBreak: 'break-all' }}>
                  {connectionString}
                </code>
                <CopyTextButton
                  text={connectionString}
                  tooltipText="Connection string copied"
                  aria-label={`Copy the connection string of ${port.port}`}
                />
              </Box>
            </TableCell>
          </TableRow>
        )}
      </TableBody>
    </Table>
  );
}

function Tables(props: { port: OnboardingPort }) {
  const { tables } = props.port;
  if (tables.length === 0) return null;
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h5" gutterBottom>
        Tables
      </Typography>
      {tables.map(table => (
        <Accordion
          key={table.name}
          defaultExpanded={tables.length === 1}
          TransitionProps={{ unmountOnExit: true }}
        >
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography variant="body2">
              <code>{table.qualifiedName}</code>{' '}
              <Typography
                component="span"
                variant="caption"
                color="textSecondary"
              >
                {table.columns.length}{' '}
                {table.columns.length === 1 ? 'column' : 'columns'}
              </Typography>
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <Table size="small" aria-label={`Columns of ${table.name}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Column</TableCell>
                  <TableCell>Type</TableCell>
                  <TableCell>Classification</TableCell>
                  <TableCell>Description</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {table.columns.map(column => (
                  <TableRow key={column.name}>
                    <TableCell>
                      <code>{column.name}</code>
                    </TableCell>
                    <TableCell>
                      {[column.logicalType, column.physicalType]
                        .filter(Boolean)
                        .join(' / ')}
                    </TableCell>
                    <TableCell>{column.classification ?? ''}</TableCell>
                    <TableCell>{column.description ?? ''}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </AccordionDetails>
        </Accordion>
      ))}
    </Box>
  );
}

/** "Request access", with the product's entity loaded from the catalog when not at hand. */
function RequestAccessButton(props: {
  entityRef: string;
  entity?: DataProductEntity;
  port: string;
  onRequested: () => void;
}) {
  const { entityRef, port, onRequested } = props;
  const catalogApi = useApi(catalogApiRef);
  const [open, setOpen] = useState(false);
  const [entity, setEntity] = useState(props.entity);
  const [error, setError] = useState<string>();

  const start = async () => {
    setError(undefined);
    if (!entity) {
      try {
        const found = await catalogApi.getEntityByRef(entityRef);
        if (!found) {
          setError(`${entityRef} is not in the catalog`);
          return;
        }
        setEntity(found as DataProductEntity);
      } catch (e) {
        setError(errorMessage(e));
        return;
      }
    }
    setOpen(true);
  };

  return (
    <>
      <Button
        variant="contained"
        color="primary"
        size="small"
        onClick={start}
        aria-label={`Request access to ${port}`}
      >
        Request access
      </Button>
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {open && entity && (
        <RequestAccessDialog
          open
          entity={entity}
          port={port}
          onClose={() => setOpen(false)}
          onRequested={() => {
            setOpen(false);
            onRequested();
          }}
        />
      )}
    </>
  );
}

function AccessStatus(props: {
  port: OnboardingPort;
  entityRef: string;
  entity?: DataProductEntity;
  onRequested: () => void;
}) {
  const { port, entityRef, entity, onRequested } = props;
  const myAccess = useRouteRef(myAccessRouteRef);
  const myAccessLink = myAccess ? (
    <>
      {' '}
      <Link to={myAccess()}>My access</Link> lists it.
    </>
  ) : null;
  switch (port.access) {
    case 'owner':
      return (
        <Alert severity="success">
          Your team owns this product: you can read this port.
        </Alert>
      );
    case 'granted':
      return (
        <Alert severity="success">
          You have access to this port.{myAccessLink}
        </Alert>
      );
    case 'requested':
      return (
        <Alert severity="info">
          You asked for access; the request waits for a decision.
          {myAccessLink}
        </Alert>
      );
    default:
      return (
        <Alert
          severity="warning"
          action={
            <RequestAccessButton
              entityRef={entityRef}
              entity={entity}
              port={port.port}
              onRequested={onRequested}
            />
          }
        >
          You have no access to this port yet: ask for it, the owners decide.
        </Alert>
      );
  }
}

function PortSection(props: {
  port: OnboardingPort;
  entityRef: string;
  entity?: DataProductEntity;
  onRequested: () => void;
}) {
  const { port } = props;
  return (
    <Box component="section" aria-label={`How to use ${port.port}`} mb={3}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <Typography variant="h6" component="h4">
          {port.port}
        </Typography>
        <HealthChip status={port.health} subject={port.port} />
        <Typography variant="caption" color="textSecondary">
          contract {port.contractId}
          {port.contractVersion ? ` v${port.contractVersion}` : ''}
        </Typography>
      </Box>
      {port.description && (
        <Typography variant="body2" paragraph>
          {port.description}
        </Typography>
      )}
      <AccessStatus {...props} />
      <Box mt={2}>
        <Typography variant="subtitle2" component="h5" gutterBottom>
          Connection
        </Typography>
        <ConnectionDetails port={port} />
      </Box>
      {port.exampleQuery && (
        <Box mt={2} role="group" aria-label={`Example query of ${port.port}`}>
          <Typography variant="subtitle2" component="h5" gutterBottom>
            Example query
          </Typography>
          <CodeSnippet
            text={port.exampleQuery}
            language="sql"
            showCopyCodeButton
            wrapLongLines
          />
        </Box>
      )}
      <Tables port={port} />
    </Box>
  );
}

function WhoToAsk(props: { onboarding: ProductOnboarding }) {
  const { owner, contacts, support } = props.onboarding;
  const entityPath = useEntityPath();
  return (
    <Box component="section" aria-label="Who to ask">
      <Typography variant="h6" component="h4" gutterBottom>
        Who to ask
      </Typography>
      <Typography variant="body2" paragraph>
        Owner: <RefLink value={owner} defaultKind="group" />
      </Typography>
      {contacts.length > 0 && (
        <Box component="ul" pl={2} mt={0}>
          {contacts.map(contact => (
            <li key={contact.entityRef ?? contact.email ?? contact.name}>
              <Typography variant="body2">
                {contact.entityRef ? (
                  <Link to={entityPath(contact.entityRef)}>{contact.name}</Link>
                ) : (
                  contact.name
                )}
                {contact.role && ` (${contact.role})`}
                {contact.email && (
                  <>
                    {' · '}
                    <Link to={`mailto:${contact.email}`}>{contact.email}</Link>
                  </>
                )}
              </Typography>
            </li>
          ))}
        </Box>
      )}
      {support.length > 0 && (
        <Typography variant="body2" component="div">
          Support:{' '}
          {support.map((channel, i) => (
            <Fragment key={`${channel.url}-${i}`}>
              {i > 0 && ', '}
              <Link to={channel.url}>{channel.channel}</Link>
              {channel.tool && ` (${channel.tool})`}
            </Fragment>
          ))}
        </Typography>
      )}
    </Box>
  );
}

/** @public */
export interface ProductOnboardingViewProps {
  /** The data product, `dataproduct:<namespace>/<name>`. */
  entityRef: string;
  /** The product's entity when at hand (its page); else loaded when access is requested. */
  entity?: DataProductEntity;
}

/**
 * "How do I use this": per output port, where the data is (never a password), its tables and
 * columns, an example query to copy, whether I have access (with "Request access" when I have
 * none), and who to ask.
 */
export function ProductOnboardingView(props: ProductOnboardingViewProps) {
  const { entityRef, entity } = props;
  const api = useApi(dataMeshApiRef);
  const onboarding = useAsyncRetry(
    () => api.getProductOnboarding(entityRef),
    [api, entityRef],
  );

  if (onboarding.error) {
    return <ResponseErrorPanel error={onboarding.error} />;
  }
  if (!onboarding.value) {
    return <Progress />;
  }
  const value = onboarding.value;
  return (
    <Box>
      {value.usage && (
        <Typography variant="body2" paragraph>
          <b>Usage:</b> {value.usage}
        </Typography>
      )}
      {value.limitations && (
        <Typography variant="body2" paragraph>
          <b>Limitations:</b> {value.limitations}
        </Typography>
      )}
      {value.ports.length === 0 ? (
        <Typography variant="body2" color="textSecondary" paragraph>
          This product has no output ports to read from.
        </Typography>
      ) : (
        value.ports.map(port => (
          <PortSection
            key={port.port}
            port={port}
            entityRef={entityRef}
            entity={entity}
            onRequested={onboarding.retry}
          />
        ))
      )}
      <Divider />
      <Box mt={2}>
        <WhoToAsk onboarding={value} />
      </Box>
    </Box>
  );
}
