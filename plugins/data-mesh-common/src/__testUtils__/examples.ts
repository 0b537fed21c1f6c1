import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

function walk(dir: string, predicate: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' ? [] : walk(full, predicate);
    return predicate(full) ? [full] : [];
  });
}

/** Every ODCS contract shipped in examples/ and templates/. */
export function exampleContractFiles(): string[] {
  return ['examples', 'templates'].flatMap(dir =>
    walk(path.join(REPO_ROOT, dir), f => f.endsWith('.odcs.yaml')),
  );
}

/** `{ $text: ./file }` placeholders replaced by the file's text, as the catalogue does. */
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

/** Every entity in examples/, with the file it came from and its `$text` placeholders read. */
export function exampleEntities(): Array<{ file: string; entity: Entity }> {
  return walk(
    path.join(REPO_ROOT, 'examples'),
    f => /\.ya?ml$/.test(f) && !f.endsWith('.odcs.yaml'),
  )
    .flatMap(file =>
      parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc => ({
        file: path.relative(REPO_ROOT, file),
        entity: resolveText(doc.toJS(), path.dirname(file)) as Entity,
      })),
    )
    .filter(({ entity }) => entity && typeof entity.kind === 'string');
}

export function exampleDataProducts() {
  return exampleEntities().filter(
    ({ entity }) => entity.kind === 'DataProduct',
  );
}

export function readExampleProduct(name: string): Entity {
  const found = exampleDataProducts().find(
    e => e.entity.metadata.name === name,
  );
  if (!found) throw new Error(`example product ${name} not found`);
  return JSON.parse(JSON.stringify(found.entity));
}
