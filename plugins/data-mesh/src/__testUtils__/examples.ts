// Tests render the real XclusiV example mesh, so they break when the examples and the UI drift.
// eslint-disable-next-line no-restricted-imports -- tests read example files from the repository
import fs from 'fs';
// eslint-disable-next-line no-restricted-imports -- as above
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import { DataProductEntity } from '@backstage-data-mesh/plugin-data-mesh-common';

const PRODUCTS_DIR = path.resolve(
  __dirname,
  '../../../../examples/xclusiv/products',
);

/**
 * The entities of one example product's catalog-info.yaml, with `$text` placeholders resolved
 * the way the catalog does it, so `spec.definition` is the contract text.
 */
export function loadExampleProductEntities(product: string): Entity[] {
  const dir = path.join(PRODUCTS_DIR, product);
  const text = fs.readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8');
  return parseAllDocuments(text).map(doc => {
    const entity = doc.toJS() as Entity;
    const definition = entity.spec?.definition as
      | { $text?: string }
      | undefined;
    if (definition && typeof definition.$text === 'string') {
      entity.spec!.definition = fs.readFileSync(
        path.join(dir, definition.$text),
        'utf8',
      );
    }
    return entity;
  });
}

export function loadExampleDataProduct(product: string): DataProductEntity {
  const found = loadExampleProductEntities(product).find(
    e => e.kind === 'DataProduct',
  );
  if (!found) {
    throw new Error(`No DataProduct in example ${product}`);
  }
  return found as DataProductEntity;
}

export function loadExampleContract(contractId: string): Entity {
  const product = contractId.split('.')[0];
  const found = loadExampleProductEntities(product).find(
    e => e.kind === 'API' && e.metadata.name === contractId,
  );
  if (!found) {
    throw new Error(`No API entity ${contractId} in example ${product}`);
  }
  return found;
}

/** Every example product and contract entity, as the catalog would serve them. */
export function loadAllExampleEntities(): Entity[] {
  return fs
    .readdirSync(PRODUCTS_DIR)
    .filter(name =>
      fs.existsSync(path.join(PRODUCTS_DIR, name, 'catalog-info.yaml')),
    )
    .flatMap(loadExampleProductEntities);
}
