import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { FIXTURES } from './__testUtils__/fixtures';

interface Source {
  file: string;
  origin: 'verbatim' | 'derived' | 'handmade';
  repo?: string;
  commit?: string;
  path?: string;
  blob?: string;
  note: string;
}

const sources: { licences: Record<string, string>; files: Source[] } =
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sources.json'), 'utf8'));

/** What `git hash-object` prints: the blob id the file has in its upstream repository. */
function gitBlobId(file: string): string {
  const content = fs.readFileSync(path.join(FIXTURES, file));
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

describe('importer fixtures', () => {
  const documentation = new Set(['README.md', 'generate.py']);

  it('lists every fixture file in sources.json, and only those', () => {
    const files = ['openlineage', 'dbt', 'datacontract'].flatMap(dir =>
      fs
        .readdirSync(path.join(FIXTURES, dir))
        .filter(f => !documentation.has(f))
        .map(f => `${dir}/${f}`),
    );
    expect(sources.files.map(s => s.file).sort()).toEqual(files.sort());
  });

  it('names repository, commit and path for every file taken from one, and its licence', () => {
    for (const source of sources.files.filter(s => s.origin !== 'handmade')) {
      expect(source.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.path).toBeTruthy();
      expect(sources.licences[source.repo!]).toMatch(/^(Apache-2\.0|MIT)$/);
    }
  });

  it.each(
    sources.files.filter(s => s.origin === 'verbatim').map(s => [s.file, s]),
  )('%s is byte for byte the upstream file', (file, source) => {
    expect(gitBlobId(file as string)).toBe((source as Source).blob);
  });
});
