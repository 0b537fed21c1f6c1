import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// The vendored standards must stay exactly as published: a formatter or a hand edit would make
// our validation diverge from what other tools check against.
const PUBLISHED_SHA256: Record<string, string> = {
  'odcs-json-schema-v3.1.0.json':
    '1a35de14c688b400fef306564f66e2af3304f057cd5cd6e7b847c1a8bf252c5b',
  'odps-json-schema-v1.0.0.json':
    '1724c7a1bba8cbf5da971f2b16a354a5daa79b888b4ef4aeeefd8d3cd7a6d34f',
};

describe('vendored schemas', () => {
  it.each(Object.entries(PUBLISHED_SHA256))(
    '%s is byte-for-byte the published file',
    (file, sha) => {
      const content = fs.readFileSync(path.join(__dirname, 'vendor', file));
      expect(crypto.createHash('sha256').update(content).digest('hex')).toBe(
        sha,
      );
    },
  );

  it('ships the licence they are published under', () => {
    expect(
      fs.readFileSync(path.join(__dirname, 'vendor', 'LICENSE'), 'utf8'),
    ).toContain('Apache License');
  });
});
