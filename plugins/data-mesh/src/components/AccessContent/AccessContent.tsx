import { useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  agreementCreatePermission,
  DataProductEntity,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshApiRef } from '../../api';
import { resolvePorts } from '../DataProductPortsCard/usePortEntities';
import { RequestAccessDialog } from '../RequestAccessDialog';
import { AgreementsTable } from './AgreementsTable';

/**
 * The Access tab of a data product: its output ports, each with "Request access", and the
 * access agreements on them with their history and the actions the caller may take.
 */
export function AccessContent() {
  const { entity } = useEntity<DataProductEntity>();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(dataMeshApiRef);
  const { outputPorts } = useMemo(() => resolvePorts(entity), [entity]);
  const agreements = useAsyncRetry(
    () => api.listAgreements({ dataProduct: entityRef }),
    [api, entityRef],
  );
  // Asking is not tied to one agreement, so this is the only button not driven by allowedActions.
  const canRequest = usePermission({ permission: agreementCreatePermission });
  // The port the request dialog was opened for; undefined while it is closed.
  const [requestPort, setRequestPort] = useState<string>();

  let emptyHint =
    'Press "Request access" next to an output port above, say what you need the data for and for how long. The approvers of the role you pick, or the product\'s owners, decide; you see the decision here.';
  if (outputPorts.length === 0) {
    emptyHint = 'This product has no output ports to request access to.';
  } else if (!canRequest.loading && !canRequest.allowed) {
    emptyHint = 'You are not allowed to request access to data products.';
  }

  let list;
  if (agreements.error) {
    list = <ResponseErrorPanel error={agreements.error} />;
  } else if (!agreements.value) {
    list = <Progress />;
  } else if (agreements.value.length === 0) {
    list = (
      <EmptyState
        missing="data"
        title="No one has access to this product yet"
        description={emptyHint}
      />
    );
  } else {
    list = (
      <AgreementsTable
        agreements={agreements.value}
        onChanged={agreements.retry}
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Output ports">
          {outputPorts.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No output ports declared.
            </Typography>
          ) : (
            outputPorts.map(({ port, contractRef }) => (
              <Box
                key={port.name}
                component="section"
                aria-label={`Output port ${port.name}`}
                display="flex"
                alignItems="center"
                justifyContent="space-between"
                py={1}
                style={{ gap: 16 }}
              >
                <Box>
                  <Typography variant="subtitle1" component="h3">
                    {port.name}
                    {port.deprecated && (
                      <Typography
                        variant="body2"
                        component="span"
                        color="error"
                      >
                        {' '}
                        (deprecated)
                      </Typography>
                    )}
                  </Typography>
                  {port.description && (
                    <Typography variant="body2">{port.description}</Typography>
                  )}
                  <Typography variant="body2" color="textSecondary">
                    Contract:{' '}
                    <EntityRefLink entityRef={contractRef}>
                      {port.contractId}
                    </EntityRefLink>
                  </Typography>
                </Box>
                {canRequest.allowed && (
                  <Button
                    variant="outlined"
                    color="primary"
                    onClick={() => setRequestPort(port.name)}
                  >
                    Request access
                  </Button>
                )}
              </Box>
            ))
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {list}
      </Grid>
      {requestPort !== undefined && (
        // Mounted per opening, so every request starts from a clean form.
        <RequestAccessDialog
          open
          entity={entity}
          port={requestPort}
          onClose={() => setRequestPort(undefined)}
          onRequested={() => {
            setRequestPort(undefined);
            agreements.retry();
          }}
        />
      )}
    </Grid>
  );
}
