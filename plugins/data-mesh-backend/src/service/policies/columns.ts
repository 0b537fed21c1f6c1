import {
  OdcsContract,
  OdcsSchemaProperty,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** A column of a contract, nested ones included, with its path in the contract. */
export interface ContractColumn {
  /** e.g. `schema[0].properties[2]`. */
  path: string;
  /** e.g. `orders.customer_id` (physical names when given). */
  name: string;
  property: OdcsSchemaProperty;
}

function walk(
  properties: OdcsSchemaProperty[] | undefined,
  path: string,
  prefix: string,
  out: ContractColumn[],
) {
  (properties ?? []).forEach((property, i) => {
    const here = `${path}.properties[${i}]`;
    const name = `${prefix}.${property.physicalName ?? property.name}`;
    out.push({ path: here, name, property });
    walk(property.properties, here, name, out);
    if (property.items) {
      walk(property.items.properties, `${here}.items`, name, out);
    }
  });
}

/** Every column of every table (`schema[]` object) of the contract. */
export function contractColumns(contract: OdcsContract): ContractColumn[] {
  const out: ContractColumn[] = [];
  (contract.schema ?? []).forEach((object, i) => {
    walk(
      object.properties,
      `schema[${i}]`,
      object.physicalName ?? object.name,
      out,
    );
  });
  return out;
}
