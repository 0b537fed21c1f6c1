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
  'openlineage/OpenLineage.json':
    '69f68bee00b9beac88a87059c0102410e7bb05f3f43c46d02a0409831eceb0d2',
  'openlineage/facets/ColumnLineageDatasetFacet.json':
    '04d96b4985ca32470c7f9d73163da76678fb160bc8d80cbbc5abf312e9537466',
  'openlineage/facets/DataQualityAssertionsDatasetFacet.json':
    '65c785790728ccf3f1fe326a0a064a91934b242807a015c2c3e99bde913abc56',
  'openlineage/facets/DataQualityMetricsInputDatasetFacet.json':
    '6218d4b24ccbbf4bcac0768caa8edf86786a00a104d2c13c5bc2713ce41d2633',
  'openlineage/facets/DatasourceDatasetFacet.json':
    'f18db2745c1cc96ae49a52a8cbc30dd45a88446e73b4cf96def9faa5166cbfeb',
  'openlineage/facets/DocumentationDatasetFacet.json':
    'bad5c041d679e73b2faea43506860428f48d80710ad1354a2d2393475143285f',
  'openlineage/facets/ErrorMessageRunFacet.json':
    'b11b4ee8b0f99f6846264f87cad48390255c7ef142ce623216660c7097be0ea6',
  'openlineage/facets/JobTypeJobFacet.json':
    '11c12cab95a411ca31066c80d2bb4aefd37bbcadbda5e4d343d2069853b907d5',
  'openlineage/facets/OwnershipDatasetFacet.json':
    '9a18a508746627eff18fa84ca1694e1a9f2d556ac0052dbdb6970d8a35f75231',
  'openlineage/facets/ParentRunFacet.json':
    'efdd06ef87537849f1ec7984cc2e36cbdcea40083635c20fd9af1934ba601d57',
  'openlineage/facets/SQLJobFacet.json':
    '674e44564cd48134f19ba202fbd48c09185d4d49e209bc5a5b11e63e9ac91a60',
  'openlineage/facets/SchemaDatasetFacet.json':
    '50236a779aa64baa0bad0055391838bd22fcb36ce667c41d60ada80915e899b6',
  'openlineage/facets/SymlinksDatasetFacet.json':
    '228a565040d359e72dff295373ea2b628684a395075c0bc55b93a2a08acfde34',
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
