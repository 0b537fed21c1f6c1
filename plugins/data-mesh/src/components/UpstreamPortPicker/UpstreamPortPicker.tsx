import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  DATA_PRODUCT_KIND,
  DataProductEntity,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import useAsync from 'react-use/esm/useAsync';

/** One upstream output port, as the `data-mesh:product:generate` action takes it. */
export interface UpstreamPort {
  dataProduct: string;
  outputPort: string;
  contractId: string;
}

interface PortOption extends UpstreamPort {
  label: string;
  domain: string;
}

const key = (p: UpstreamPort) => `${p.dataProduct}#${p.outputPort}`;

/** Every output port of every data product in the catalogue, grouped by domain. */
export async function listUpstreamPorts(
  getEntities: (request: {
    filter: Record<string, string>;
    fields: string[];
  }) => Promise<{ items: unknown[] }>,
): Promise<PortOption[]> {
  const { items } = await getEntities({
    filter: { kind: DATA_PRODUCT_KIND },
    fields: [
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'spec.domain',
      'spec.outputPorts',
    ],
  });
  return (items as DataProductEntity[])
    .flatMap(product =>
      (product.spec.outputPorts ?? []).map(port => ({
        dataProduct:
          (product.metadata.namespace ?? 'default') === 'default'
            ? product.metadata.name
            : `dataproduct:${product.metadata.namespace}/${product.metadata.name}`,
        outputPort: port.name,
        contractId: port.contractId,
        domain: product.spec.domain ?? '',
        label: `${product.metadata.title ?? product.metadata.name} › ${
          port.name
        }`,
      })),
    )
    .sort(
      (a, b) =>
        a.domain.localeCompare(b.domain) || a.label.localeCompare(b.label),
    );
}

/**
 * Scaffolder field `UpstreamPortPicker`: picks input ports among the output ports of the data
 * products in the catalogue. Its value is a list of `{ dataProduct, outputPort, contractId }`.
 */
export function UpstreamPortPicker(
  props: FieldExtensionComponentProps<UpstreamPort[]>,
) {
  const { formData, onChange, schema, rawErrors, required, idSchema } = props;
  const catalogApi = useApi(catalogApiRef);
  const {
    value: options = [],
    loading,
    error,
  } = useAsync(
    () => listUpstreamPorts(request => catalogApi.getEntities(request)),
    [catalogApi],
  );
  const selected = (formData ?? []).map(
    value =>
      options.find(o => key(o) === key(value)) ?? {
        ...value,
        label: `${value.dataProduct} › ${value.outputPort}`,
        domain: '',
      },
  );

  return (
    <Autocomplete
      multiple
      id={idSchema?.$id ?? 'upstream-ports'}
      loading={loading}
      options={options}
      value={selected}
      groupBy={option => option.domain || 'no domain'}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, value) => key(option) === key(value)}
      onChange={(_, value: PortOption[]) =>
        onChange(
          value.map(({ dataProduct, outputPort, contractId }) => ({
            dataProduct,
            outputPort,
            contractId,
          })),
        )
      }
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? 'Input ports'}
          helperText={
            error
              ? `Could not load data products: ${error.message}`
              : schema.description
          }
          error={Boolean(error) || Boolean(rawErrors?.length)}
          required={required}
          margin="normal"
          variant="outlined"
        />
      )}
    />
  );
}
