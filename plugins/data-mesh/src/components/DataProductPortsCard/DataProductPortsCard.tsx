import { useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DataProductEntity } from '@backstage-data-mesh/plugin-data-mesh-common';
import { InputPortsTable } from './InputPortsTable';
import { OutputPortPanel } from './OutputPortPanel';
import { resolvePorts, usePortEntities } from './usePortEntities';

function SectionTitle(props: { children: string }) {
  return (
    <Typography variant="h6" component="h3" gutterBottom>
      {props.children}
    </Typography>
  );
}

/** The output ports of a data product with their contracts, and the upstream ports it reads. */
export function DataProductPortsCard() {
  const { entity } = useEntity<DataProductEntity>();
  const { outputPorts, inputPorts } = useMemo(
    () => resolvePorts(entity),
    [entity],
  );
  const refs = [
    ...outputPorts.map(p => p.contractRef),
    ...inputPorts.flatMap(p =>
      p.productRef ? [stringifyEntityRef(p.productRef), p.contractRef] : [],
    ),
  ];
  const { value: entities, loading, error } = usePortEntities(refs);

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else {
    const found = entities ?? new Map();
    content = (
      <>
        <Box component="section" aria-label="Output ports" mb={3}>
          <SectionTitle>Output ports</SectionTitle>
          {outputPorts.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No output ports declared.
            </Typography>
          ) : (
            outputPorts.map((outputPort, index) => (
              <OutputPortPanel
                key={`${outputPort.port.name}-${index}`}
                outputPort={outputPort}
                contractEntity={found.get(outputPort.contractRef)}
                // One port is opened for the reader; with several they pick.
                defaultExpanded={outputPorts.length === 1}
              />
            ))
          )}
        </Box>
        <Box component="section" aria-label="Input ports">
          <SectionTitle>Input ports</SectionTitle>
          {inputPorts.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              {entity.spec?.type === 'sourceAligned'
                ? 'No input ports: this product reads operational systems directly'
                : 'No input ports declared.'}
            </Typography>
          ) : (
            <InputPortsTable inputPorts={inputPorts} upstreamProducts={found} />
          )}
        </Box>
      </>
    );
  }

  return <InfoCard title="Ports">{content}</InfoCard>;
}
