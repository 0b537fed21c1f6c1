import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import { Entity } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ODCS_API_TYPE,
  parseOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { useMemo } from 'react';
import { ContractProblems } from '../ContractProblems';
import { ContractView } from '../ContractView';
import { ResolvedOutputPort } from './usePortEntities';

function PortContract(props: { contractId: string; contractEntity?: Entity }) {
  const { contractId, contractEntity } = props;
  const definition = contractEntity?.spec?.definition;
  const parsed = useMemo(
    () =>
      definition === undefined
        ? undefined
        : parseOdcsContract(definition, 'spec.definition'),
    [definition],
  );

  if (!contractEntity) {
    return (
      <Alert severity="warning">
        The contract {contractId} was not found in the catalog. Register its API
        entity (spec.type {ODCS_API_TYPE}) next to the data product.
      </Alert>
    );
  }
  if (contractEntity.spec?.type !== ODCS_API_TYPE) {
    return (
      <Alert severity="warning">
        The contract {contractId} is an API of type{' '}
        {String(contractEntity.spec?.type)}, not an ODCS data contract.
      </Alert>
    );
  }
  if (!parsed?.contract) {
    return (
      <ContractProblems
        severity="warning"
        title={`The contract ${contractId} is not valid ODCS`}
        problems={
          parsed?.problems ?? [
            { path: 'spec.definition', message: 'is missing' },
          ]
        }
      />
    );
  }
  return <ContractView contract={parsed.contract} />;
}

/** One output port: what it is, a link to its contract entity and the contract itself. */
export function OutputPortPanel(props: {
  outputPort: ResolvedOutputPort;
  contractEntity?: Entity;
  defaultExpanded?: boolean;
}) {
  const { port, contractRef } = props.outputPort;
  const facts = [port.version && `v${port.version}`, port.type]
    .filter(Boolean)
    .join(' · ');
  return (
    <Accordion
      defaultExpanded={props.defaultExpanded}
      // Contracts can be large; only render the ones a reader opens.
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="subtitle1" component="h4">
          {port.name}
          {facts && (
            <Typography variant="body2" component="span" color="textSecondary">
              {' '}
              {facts}
            </Typography>
          )}
          {port.deprecated && (
            <Typography variant="body2" component="span" color="error">
              {' '}
              (deprecated)
            </Typography>
          )}
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Box width="100%">
          {port.description && (
            <Typography variant="body2" paragraph>
              {port.description}
            </Typography>
          )}
          <Typography variant="body2" paragraph>
            Contract:{' '}
            <EntityRefLink entityRef={contractRef}>
              {port.contractId}
            </EntityRefLink>
          </Typography>
          <PortContract
            contractId={port.contractId}
            contractEntity={props.contractEntity}
          />
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}
