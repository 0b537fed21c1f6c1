import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { parse, parseAllDocuments, stringify } from 'yaml';

const XCLUSIV = path.resolve(__dirname, '../../../../examples/xclusiv');

/** Replaces `$text: <file>` placeholders, as the catalog does, relative to `dir`. */
function resolveText(value: unknown, dir: string): unknown {
  if (Array.isArray(value)) return value.map(v => resolveText(v, dir));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$text === 'string') {
      return fs.readFileSync(path.resolve(dir, record.$text), 'utf8');
    }
    return Object.fromEntries(keys.map(k => [k, resolveText(record[k], dir)]));
  }
  return value;
}

function readEntities(file: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(e => e && typeof e === 'object' && e.kind)
    .map(e => resolveText(e, path.dirname(file)) as Entity);
}

/** The XclusiV organisation, domains, data products and contracts, as the catalog serves them. */
export function exampleEntities(): Entity[] {
  const products = path.join(XCLUSIV, 'products');
  return [
    ...readEntities(path.join(XCLUSIV, 'org.yaml')),
    ...readEntities(path.join(XCLUSIV, 'domains.yaml')),
    ...fs
      .readdirSync(products)
      .sort()
      .flatMap(p => readEntities(path.join(products, p, 'catalog-info.yaml'))),
  ].map(e => ({
    ...e,
    metadata: { namespace: 'default', ...e.metadata },
  }));
}

/** A deep copy to modify in a test. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** The entity of that kind and name; throws when there is none. */
export function findEntity(
  entities: Entity[],
  kind: string,
  name: string,
): Entity {
  const found = entities.find(
    e =>
      e.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US') &&
      e.metadata.name === name,
  );
  if (!found) throw new Error(`No ${kind} ${name} in the test entities`);
  return found;
}

/** A copy of a contract (`API` entity) whose ODCS definition `edit` changed. */
export function withDefinition(
  contract: Entity,
  edit: (definition: any) => void,
): Entity {
  const changed = copy(contract);
  const spec = changed.spec as { definition: unknown };
  const definition =
    typeof spec.definition === 'string'
      ? parse(spec.definition)
      : copy(spec.definition);
  edit(definition);
  spec.definition = stringify(definition);
  return changed;
}

/**
 * A copy of sales-orders named `name`, its port run by `provisioner` (else the default), with its
 * own contract `<name>.orders` whose warehouse schema is `<name>` with underscores.
 */
export function productVariant(
  entities: Entity[],
  name: string,
  provisioner?: string,
): [product: Entity, contract: Entity] {
  const product = copy(findEntity(entities, 'DataProduct', 'sales-orders'));
  product.metadata.name = name;
  const port = (product.spec as any).outputPorts[0];
  port.contractId = `${name}.orders`;
  if (provisioner) {
    port.customProperties = [{ property: 'provisioner', value: provisioner }];
  }
  const contract = withDefinition(
    findEntity(entities, 'API', 'sales-orders.orders'),
    definition => {
      definition.id = `${name}.orders`;
      definition.servers[0].schema = name.replace(/-/g, '_');
    },
  );
  contract.metadata.name = `${name}.orders`;
  return [product, contract];
}
