import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ResolvedInputPort } from './usePortEntities';

type InputPortRow = ResolvedInputPort & { upstream?: Entity; id: string };

const columns: TableColumn<InputPortRow>[] = [
  { title: 'Port', field: 'port.name' },
  {
    title: 'Upstream product',
    render: ({ port, productRef, upstream }) =>
      productRef ? (
        <EntityRefLink entityRef={productRef}>
          {upstream?.metadata.title ?? productRef.name}
        </EntityRefLink>
      ) : (
        port.dataProduct
      ),
  },
  { title: 'Upstream output port', field: 'port.outputPort' },
  {
    title: 'Contract',
    render: ({ port, contractRef }) => (
      <EntityRefLink entityRef={contractRef}>{port.contractId}</EntityRefLink>
    ),
  },
];

/** The upstream output ports a product reads, each with the contract it relies on. */
export function InputPortsTable(props: {
  inputPorts: ResolvedInputPort[];
  upstreamProducts: Map<string, Entity>;
}) {
  const rows: InputPortRow[] = props.inputPorts.map((inputPort, index) => ({
    ...inputPort,
    id: `${inputPort.port.name}-${index}`,
    upstream: inputPort.productRef
      ? props.upstreamProducts.get(stringifyEntityRef(inputPort.productRef))
      : undefined,
  }));
  return (
    <Table<InputPortRow>
      columns={columns}
      data={rows}
      options={{
        paging: false,
        search: false,
        toolbar: false,
        padding: 'dense',
      }}
    />
  );
}
