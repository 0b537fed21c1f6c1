import { useEffect, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  DataProductEntity,
  OdcsRole,
  parseOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AccessRequest, Agreement, dataMeshApiRef } from '../../api';
import { errorMessage } from '../Agreements';
import { RefLink } from '../RefLink';
import {
  resolvePorts,
  usePortEntities,
} from '../DataProductPortsCard/usePortEntities';
import { useConsumerOptions } from './useConsumerOptions';

/** @public */
export interface RequestAccessDialogProps {
  /** The data product whose output port is asked for. */
  entity: DataProductEntity;
  /** The port to preselect; the first one otherwise. */
  port?: string;
  open: boolean;
  onClose: () => void;
  /** Called with the new agreement once the backend has accepted the request. */
  onRequested: (agreement: Agreement) => void;
}

const DURATIONS = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '365', label: '1 year (365 days)' },
  { value: 'none', label: 'No end date' },
];

type PortRoles =
  | { state: 'known'; roles: OdcsRole[] }
  | { state: 'unknown'; why: string };

/** The roles of a port's contract, or why they could not be read. */
function rolesOf(contractId: string, contract?: Entity): PortRoles {
  if (!contract) {
    return {
      state: 'unknown',
      why: `The contract ${contractId} is not in the catalog`,
    };
  }
  const parsed = parseOdcsContract(
    contract.spec?.definition,
    'spec.definition',
  );
  if (!parsed.contract) {
    return {
      state: 'unknown',
      why: `The contract ${contractId} is not valid ODCS`,
    };
  }
  return { state: 'known', roles: parsed.contract.roles ?? [] };
}

function DecidersView(props: { role?: OdcsRole; owner?: string }) {
  const { role, owner } = props;
  return (
    <Box
      component="section"
      aria-label="Who decides"
      mt={2}
      p={1.5}
      bgcolor="action.hover"
    >
      <Typography variant="subtitle2" component="h3">
        Who decides
      </Typography>
      {role?.firstLevelApprovers && (
        <Typography variant="body2">
          First level:{' '}
          <RefLink value={role.firstLevelApprovers} defaultKind="group" />
        </Typography>
      )}
      {role?.secondLevelApprovers && (
        <Typography variant="body2">
          Second level:{' '}
          <RefLink value={role.secondLevelApprovers} defaultKind="group" />
        </Typography>
      )}
      <Typography variant="body2">
        Product owner: <RefLink value={owner} defaultKind="group" />
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {role?.firstLevelApprovers
          ? 'The approvers named in the contract decide, level by level; nobody approves their own request.'
          : "The product's owners decide; nobody approves their own request."}
      </Typography>
    </Box>
  );
}

/**
 * Asks for access to one output port of a data product: port, role of the port's contract,
 * purpose, duration and consumer (me, one of my groups or one of my products). Stays open with
 * the server's message when the request is refused.
 */
export function RequestAccessDialog(props: RequestAccessDialogProps) {
  const { entity, open, onClose, onRequested } = props;
  const api = useApi(dataMeshApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { outputPorts } = useMemo(() => resolvePorts(entity), [entity]);
  const contracts = usePortEntities(outputPorts.map(p => p.contractRef));
  const consumers = useConsumerOptions(entityRef);

  const [portName, setPortName] = useState(
    props.port ?? outputPorts[0]?.port.name ?? '',
  );
  const [roleName, setRoleName] = useState('');
  const [purpose, setPurpose] = useState('');
  const [duration, setDuration] = useState('90');
  const [consumer, setConsumer] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const selected = outputPorts.find(p => p.port.name === portName);
  const portRoles = useMemo<PortRoles | undefined>(
    () =>
      selected && contracts.value
        ? rolesOf(
            selected.port.contractId,
            contracts.value.get(selected.contractRef),
          )
        : undefined,
    [selected, contracts.value],
  );
  const roles = portRoles?.state === 'known' ? portRoles.roles : [];
  const role = roles.find(r => r.role === roleName);

  // A new port has other roles: start from its first one.
  useEffect(() => {
    setRoleName(
      portRoles?.state === 'known' ? portRoles.roles[0]?.role ?? '' : '',
    );
  }, [portRoles]);

  // Ask for myself unless told otherwise.
  useEffect(() => {
    if (consumers.value && !consumer) {
      setConsumer(consumers.value.me.ref);
    }
  }, [consumers.value, consumer]);

  const loading = contracts.loading || consumers.loading;
  const ready =
    !loading &&
    !consumers.error &&
    !!selected &&
    !!consumer &&
    purpose.trim().length > 0 &&
    (roles.length === 0 || !!role);

  const send = async () => {
    const request: AccessRequest = {
      dataProduct: entityRef,
      outputPort: portName,
      purpose: purpose.trim(),
      consumer,
    };
    // Without roles in the contract the backend picks the port's default role.
    if (role) request.role = role.role;
    if (duration !== 'none') request.durationDays = Number(duration);
    setSubmitting(true);
    setError(undefined);
    try {
      const agreement = await api.requestAccess(request);
      onRequested(agreement);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="request-access-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="request-access-title">
        Request access to {entity.metadata.title ?? entity.metadata.name}
      </DialogTitle>
      <DialogContent>
        {loading && <Progress />}
        {contracts.error && (
          <Alert severity="warning">
            The contracts could not be loaded ({contracts.error.message}); the
            port's default role is requested.
          </Alert>
        )}
        {consumers.error && (
          <Alert severity="error">
            Who you are could not be found out: {consumers.error.message}
          </Alert>
        )}
        <TextField
          id="request-access-port"
          select
          SelectProps={{ native: true }}
          label="Output port"
          value={portName}
          onChange={e => setPortName(e.target.value)}
          fullWidth
          margin="normal"
          variant="outlined"
        >
          {outputPorts.map(({ port }) => (
            <option key={port.name} value={port.name}>
              {port.name}
              {port.deprecated ? ' (deprecated)' : ''}
            </option>
          ))}
        </TextField>

        {portRoles?.state === 'unknown' && (
          <Alert severity="warning">
            {portRoles.why}, so its roles are unknown; the port's default role
            is requested.
          </Alert>
        )}
        {roles.length > 0 && (
          <TextField
            id="request-access-role"
            select
            SelectProps={{ native: true }}
            label="Role"
            value={roleName}
            onChange={e => setRoleName(e.target.value)}
            fullWidth
            margin="normal"
            variant="outlined"
            helperText={
              role &&
              [role.description, role.access && `access: ${role.access}`]
                .filter(Boolean)
                .join(' · ')
            }
          >
            {roles.map(r => (
              <option key={r.role} value={r.role}>
                {r.role}
              </option>
            ))}
          </TextField>
        )}

        <TextField
          id="request-access-purpose"
          label="Purpose"
          required
          value={purpose}
          onChange={e => setPurpose(e.target.value)}
          fullWidth
          multiline
          minRows={3}
          margin="normal"
          variant="outlined"
          helperText="What you will use the data for; the deciders read this."
        />

        <TextField
          id="request-access-duration"
          select
          SelectProps={{ native: true }}
          label="Duration"
          value={duration}
          onChange={e => setDuration(e.target.value)}
          fullWidth
          margin="normal"
          variant="outlined"
          helperText="Access starts once approved and granted."
        >
          {DURATIONS.map(d => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </TextField>

        {consumers.value && (
          <TextField
            id="request-access-consumer"
            select
            SelectProps={{ native: true }}
            label="For"
            value={consumer}
            onChange={e => setConsumer(e.target.value)}
            fullWidth
            margin="normal"
            variant="outlined"
            helperText={
              consumers.value.productsError
                ? `Your data products could not be listed: ${consumers.value.productsError.message}`
                : 'Who uses the access: you, a group of yours, or a data product your teams own.'
            }
          >
            <option value={consumers.value.me.ref}>
              {consumers.value.me.label}
            </option>
            {consumers.value.groups.length > 0 && (
              <optgroup label="My groups">
                {consumers.value.groups.map(g => (
                  <option key={g.ref} value={g.ref}>
                    {g.label}
                  </option>
                ))}
              </optgroup>
            )}
            {consumers.value.products.length > 0 && (
              <optgroup label="My data products">
                {consumers.value.products.map(p => (
                  <option key={p.ref} value={p.ref}>
                    {p.label}
                  </option>
                ))}
              </optgroup>
            )}
          </TextField>
        )}

        {!contracts.loading && (
          <DecidersView role={role} owner={entity.spec?.owner} />
        )}

        {error && (
          <Box mt={2}>
            <Alert severity="error">{error}</Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!ready || submitting}
          onClick={send}
        >
          Send request
        </Button>
      </DialogActions>
    </Dialog>
  );
}
