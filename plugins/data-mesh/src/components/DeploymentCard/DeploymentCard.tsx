import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DeployRequest, DeploymentWithDetails } from '../../api';
import {
  DeploymentLogView,
  StatusChip,
  StepView,
  formatTime,
} from './DeploymentDetails';
import { isActive, useLatestDeployment } from './useLatestDeployment';

/** @public */
export interface DeploymentCardProps {
  /** How often a pending or running deployment is refreshed. Default 2000 ms. */
  pollIntervalMs?: number;
}

function UnprovisionDialog(props: {
  open: boolean;
  onClose(): void;
  onConfirm(removeData: boolean): void;
}) {
  const [removeData, setRemoveData] = useState(false);
  const close = () => {
    setRemoveData(false);
    props.onClose();
  };
  return (
    <Dialog
      open={props.open}
      onClose={close}
      aria-labelledby="unprovision-title"
    >
      <DialogTitle id="unprovision-title">
        Unprovision data product?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Drops the access roles and output ports of this data product in the
          data platform. Its data is kept unless you also remove it.
        </DialogContentText>
        <FormControlLabel
          control={
            <Checkbox
              checked={removeData}
              onChange={e => setRemoveData(e.target.checked)}
            />
          }
          label="Also remove data"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={() => {
            const value = removeData;
            setRemoveData(false);
            props.onConfirm(value);
          }}
        >
          Unprovision
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function Summary(props: { deployment: DeploymentWithDetails }) {
  const { deployment } = props;
  const verb =
    deployment.operation === 'unprovision'
      ? `Unprovision${deployment.removeData ? ' (data removed)' : ''}`
      : 'Provision';
  return (
    <Box>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <StatusChip status={deployment.status} of="the deployment" />
        <Typography variant="body2">
          {verb} requested by {deployment.requestedBy} at{' '}
          {formatTime(deployment.createdAt)}
          {deployment.finishedAt &&
            `, finished at ${formatTime(deployment.finishedAt)}`}
        </Typography>
      </Box>
      {deployment.message && (
        <Box mt={1}>
          <Typography variant="body2">{deployment.message}</Typography>
        </Box>
      )}
    </Box>
  );
}

/**
 * The latest deployment of a data product: status, steps with their resources and connection
 * details, the log of the run; re-deploy and unprovision for those allowed to.
 */
export function DeploymentCard(props: DeploymentCardProps) {
  const { pollIntervalMs = 2000 } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const state = useLatestDeployment(entityRef, pollIntervalMs);
  const canDeploy = usePermission({
    permission: dataProductDeployPermission,
    resourceRef: entityRef,
  });
  const canUnprovision = usePermission({
    permission: dataProductUnprovisionPermission,
    resourceRef: entityRef,
  });
  const [submitting, setSubmitting] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  const [dialogOpen, setDialogOpen] = useState(false);

  const run = async (request: Omit<DeployRequest, 'entityRef'>) => {
    setSubmitting(true);
    setActionError(undefined);
    try {
      await state.start(request);
    } catch (e) {
      setActionError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  const { deployment } = state;
  const busy = submitting || (!!deployment && isActive(deployment.status));
  const actions = (
    <Box display="flex" style={{ gap: 8 }}>
      {canDeploy.allowed && (
        <Button
          color="primary"
          variant="contained"
          disabled={busy}
          onClick={() => run({ operation: 'provision' })}
        >
          Deploy
        </Button>
      )}
      {canUnprovision.allowed && deployment && (
        <Button
          variant="outlined"
          disabled={busy}
          onClick={() => setDialogOpen(true)}
        >
          Unprovision
        </Button>
      )}
    </Box>
  );

  let content;
  if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else if (state.loading) {
    content = <Progress />;
  } else if (!deployment) {
    content = (
      <Box>
        <Typography variant="body1">Not deployed yet</Typography>
        <Typography variant="body2" color="textSecondary">
          Its output ports have no storage or access in the data platform yet.
        </Typography>
      </Box>
    );
  } else {
    content = (
      <Box>
        <Summary deployment={deployment} />
        {deployment.steps.map(step => (
          <StepView key={step.id} step={step} />
        ))}
        <Box mt={2}>
          <DeploymentLogView logs={deployment.logs} />
        </Box>
      </Box>
    );
  }

  return (
    <InfoCard title="Deployment">
      {actionError && (
        <Box mb={2}>
          <ResponseErrorPanel error={actionError} />
        </Box>
      )}
      {content}
      {!state.error && !state.loading && <Box mt={2}>{actions}</Box>}
      <UnprovisionDialog
        open={dialogOpen}
        onClose={() => setDialogOpen(false)}
        onConfirm={removeData => {
          setDialogOpen(false);
          run({ operation: 'unprovision', removeData });
        }}
      />
    </InfoCard>
  );
}
