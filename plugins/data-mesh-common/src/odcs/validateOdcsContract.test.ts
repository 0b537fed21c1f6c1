import fs from 'node:fs';
import path from 'node:path';
import { exampleContractFiles, REPO_ROOT } from '../__testUtils__/examples';
import {
  parseOdcsContract,
  validateOdcsContract,
} from './validateOdcsContract';

const salesOrders = fs.readFileSync(
  path.join(
    REPO_ROOT,
    'examples/xclusiv/products/sales-orders/contracts/sales-orders.orders.odcs.yaml',
  ),
  'utf8',
);

describe('ODCS contracts', () => {
  it('finds the example contracts', () => {
    expect(exampleContractFiles().length).toBeGreaterThanOrEqual(12);
  });

  it.each(exampleContractFiles().map(f => [path.relative(REPO_ROOT, f)]))(
    '%s is valid against the official ODCS v3.1.0 schema',
    file => {
      const parsed = parseOdcsContract(
        fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'),
      );
      expect(parsed.problems).toEqual([]);
      expect(parsed.contract?.apiVersion).toBe('v3.1.0');
      expect(path.basename(file)).toBe(`${parsed.contract?.id}.odcs.yaml`);
    },
  );

  it('points at the exact field of a schema error, under a prefix', () => {
    const parsed = parseOdcsContract(
      salesOrders.replace('logicalType: timestamp', 'logicalType: datetime'),
      'spec.definition',
    );
    expect(parsed.problems).toContainEqual({
      path: 'spec.definition.schema[0].properties[4].logicalType',
      message: expect.stringContaining('must be one of "string"'),
    });
  });

  it('reports missing required top-level fields', () => {
    const result = validateOdcsContract({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'x',
    });
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: 'version', message: 'is required' },
        { path: 'status', message: 'is required' },
      ]),
    );
  });

  it('reports YAML that does not parse, without throwing', () => {
    const parsed = parseOdcsContract('id: [unclosed', 'spec.definition');
    expect(parsed.contract).toBeUndefined();
    expect(parsed.problems[0]).toEqual({
      path: 'spec.definition',
      message: expect.stringMatching(/^is not valid YAML: /),
    });
  });

  it('refuses a document that is not a mapping', () => {
    expect(parseOdcsContract('- a\n- b').problems).toEqual([
      { path: '', message: 'must be an ODCS data contract (a YAML mapping)' },
    ]);
  });
});
