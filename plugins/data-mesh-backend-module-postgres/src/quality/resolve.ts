import { OdcsSchemaObject } from '@backstage-data-mesh/plugin-data-mesh-common';
import { QualityScanRequest } from '@backstage-data-mesh/plugin-data-mesh-node';
import { buildPortModel, PortModel } from '../provider/model';

/** An ODCS table of the port and where the provider put it. */
export interface ResolvedTable {
  /** `schema[].name` in the contract. */
  name: string;
  schema: string;
  /** The warehouse table, as the provider names it. */
  table: string;
  object: OdcsSchemaObject;
  /** ODCS property name → warehouse column. */
  columns: Map<string, string>;
}

export interface ResolvedPort {
  model: PortModel;
  tables: Map<string, ResolvedTable>;
}

/**
 * The port's schema, owner role and tables, named exactly as the provider and the pipeline engine
 * name them (`buildPortModel`): `physicalName ?? name`, lower-cased.
 */
export function resolvePort(
  request: QualityScanRequest,
): ResolvedPort | { error: string } {
  const { dataProduct, contract } = request;
  const port = dataProduct.spec?.outputPorts?.find(
    p => p.name === request.port,
  ) ?? { name: request.port, contractId: contract.id };
  const { model, errors } = buildPortModel({ dataProduct, port, contract });
  if (!model) {
    return {
      error: `the contract of output port '${
        request.port
      }' does not describe warehouse tables: ${errors.join('; ')}`,
    };
  }
  const tables = new Map<string, ResolvedTable>();
  for (const object of contract.schema ?? []) {
    if (!object?.name) continue;
    const physical = (object.physicalName ?? object.name).toLowerCase();
    if (!model.tables.some(t => t.name === physical)) continue;
    const columns = new Map<string, string>();
    for (const property of object.properties ?? []) {
      if (!property?.name) continue;
      columns.set(
        property.name,
        (property.physicalName ?? property.name).toLowerCase(),
      );
    }
    tables.set(object.name, {
      name: object.name,
      schema: model.schema,
      table: physical,
      object,
      columns,
    });
  }
  return { model, tables };
}
