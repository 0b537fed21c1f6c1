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

/** Every entity in examples/, with the file it came from. */
export function exampleEntities(): Array<{ file: string; entity: Entity }> {
  return walk(
    path.join(REPO_ROOT, 'examples'),
    f => /\.ya?ml$/.test(f) && !f.endsWith('.odcs.yaml'),
  )
    .flatMap(file =>
      parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc => ({
        file: path.relative(REPO_ROOT, file),
        entity: doc.toJS() as Entity,
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
