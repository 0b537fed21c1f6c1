import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';

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
