import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { OdcsContract } from '../odcs/OdcsContract';
import { validateOdcsContract } from '../odcs/validateOdcsContract';
import { compileQualityChecks } from './compileQualityChecks';
import { UnsupportedQualityRule } from './QualityCheck';

// Every official ODCS example with quality rules or SLA properties (see
// __fixtures__/odcs-examples/README.md), compiled: per file the exact number of checks, the
// checks that are not schema conformance, and every rule that gave no check with its reason, so
// that nothing in the standard's own examples is dropped without a word.

const ROOT = path.join(__dirname, '__fixtures__', 'odcs-examples');

interface Expected {
  sha256: string;
  /** Whether the official v3.1.0 JSON Schema accepts it (contracts only; snippets are parts). */
  validV310?: boolean;
  checks: number;
  /** Keys of the checks other than schema conformance, in order. */
  ruleChecks: string[];
  unsupported: UnsupportedQualityRule[];
}

const custom = (engine: string) =>
  `type custom (engine ${engine}) is not run by the platform`;
const noTab1 = (property: string, tables: string) => ({
  reason: `SLA ${property}: element 'tab1.txn_ref_dt' names no table of the contract (${tables})`,
});
const fullExampleRuleChecks = [
  'tbl.rcvr_cntry_code.nullValues',
  'tbl.rowCount',
];
const fullExampleSla = [
  noTab1('latency', 'tbl, receivers'),
  noTab1('retention', 'tbl, receivers'),
  noTab1('frequency', 'tbl, receivers'),
];
const tableSla = [
  noTab1('latency', 'it has none'),
  noTab1('retention', 'it has none'),
  noTab1('frequency', 'it has none'),
];
const snippet = { table: 'snippet', column: 'value' };

const EXPECTED: Record<string, Expected> = {
  'v3.1.0/all/full-example.odcs.yaml': {
    sha256: 'e28351dc34833315263e4c983b31f5dc6e1b5ec5fc6658fc04ffbc89d3547aa5',
    validV310: true,
    // tbl: 3 columns × (present, type), its key; receivers: 4 × (present, type), 3 required,
    // 1 unique, its key.
    checks: 22,
    ruleChecks: fullExampleRuleChecks,
    unsupported: fullExampleSla,
  },
  'v3.1.0/quality/column-accuracy.odcs.yaml': {
    sha256: 'd33c0bd2251d2d430b74d54fc8d9ce5bccb13e65019a31706c3e1da8fdf8a9ef',
    validV310: true,
    checks: 3,
    ruleChecks: ['Air_Quality.DataValue.sql'],
    unsupported: [],
  },
  'v3.1.0/quality/column-completeness.odcs.yaml': {
    sha256: '592c683ba84c56d9a5cbd288d07cb5f5ccd26607c5c05e68cc25c594eba25307',
    validV310: true,
    checks: 4,
    ruleChecks: ['Air_Quality.UniqueID.nullValues'],
    unsupported: [],
  },
  'v3.1.0/quality/column-custom.odcs.yaml': {
    sha256: '25adf3a44d0d45665d2a45e680bf120f7dace0a31827cf4e6f2e968a81d7f369',
    validV310: true,
    checks: 3,
    ruleChecks: [],
    unsupported: [
      { table: 'Air_Quality', column: 'UniqueID', reason: custom('soda') },
      { table: 'Air_Quality', column: 'UniqueID', reason: custom('soda') },
    ],
  },
  'v3.1.0/quality/column-validity.odcs.yaml': {
    sha256: '1da7644ed944a85606eb6fa3e55c1fe5bffeaff9db0bddbe0ef31f3bcb94fc58',
    validV310: true,
    checks: 4,
    ruleChecks: ['Air_Quality.air_quality_status.invalidValues'],
    unsupported: [],
  },
  'v3.1.0/sla/database-table-sla.odcs.yaml': {
    sha256: '3f404bc3520a07878e292828baa7684c2fb6ab69fc663b5025abe1e44a118cd7',
    validV310: true,
    checks: 0,
    ruleChecks: [],
    unsupported: tableSla,
  },
  'v3.2.0-dev/all/full-example.odcs.yaml': {
    sha256: '7a82af5da8d18962031c3a01b2706b6991dce7bd111e5fb9e0a3b214739e1031',
    validV310: false,
    // The v3.1.0 example plus a map-typed column (present, type).
    checks: 24,
    ruleChecks: fullExampleRuleChecks,
    unsupported: fullExampleSla,
  },
  'v3.2.0-dev/quality/column-accuracy.odcs.yaml': {
    sha256: '892f138c2f0976061147ad74e671094df57a80b535aa925d454f59faeb0e935e',
    validV310: false,
    checks: 3,
    ruleChecks: ['Air_Quality.DataValue.sql'],
    unsupported: [],
  },
  'v3.2.0-dev/quality/column-completeness.odcs.yaml': {
    sha256: '908f342d8d4f3caad0456d286f23392d1f0f43946e989698c611a1b109bc5e02',
    validV310: true,
    checks: 4,
    ruleChecks: ['Air_Quality.UniqueID.nullValues'],
    unsupported: [],
  },
  'v3.2.0-dev/quality/column-custom.odcs.yaml': {
    sha256: '335eca5a008cba634f02c048a4d57cac087f4db81d04b8fb513ce068c350a98c',
    validV310: false,
    checks: 3,
    ruleChecks: [],
    unsupported: [
      { table: 'Air_Quality', column: 'UniqueID', reason: custom('soda') },
      { table: 'Air_Quality', column: 'UniqueID', reason: custom('soda') },
    ],
  },
  'v3.2.0-dev/quality/column-validity.odcs.yaml': {
    sha256: '7ec5097485a44735717c22040a2dcc49d4fe2a15c0dacd751e902abe1df16768',
    validV310: false,
    checks: 4,
    ruleChecks: ['Air_Quality.air_quality_status.invalidValues'],
    unsupported: [],
  },
  'v3.2.0-dev/sla/database-table-sla.odcs.yaml': {
    sha256: '308372546507c80f8f2289155b81aae9ac8fc23332e6bb4479344fb6eba26ee7',
    validV310: false,
    checks: 0,
    ruleChecks: [],
    unsupported: tableSla,
  },
  'v3.2.0-dev/tags/tags.odcs.yaml': {
    sha256: '338bae5577f8e8ebd61a48710a13d4b428cca42db1bd446d08d17960186740a4',
    validV310: false,
    checks: 5,
    ruleChecks: [],
    // The rule relies on the property's v3.2 `enum`; ODCS does not say that invalidValues reads it.
    unsupported: [
      {
        table: 'payments',
        column: 'status',
        reason:
          'invalidValues needs arguments.validValues or arguments.pattern to tell valid values',
      },
    ],
  },
  'data-quality-md/01-text.yaml': {
    sha256: '041f498298c7c2719109107ab16d3418dfa5b21ed023016fcc1c73d9ae6c51b0',
    checks: 1,
    ruleChecks: [],
    unsupported: [
      {
        ...snippet,
        ruleId: 'email_verified_text',
        reason: 'text rules are descriptions, not checks',
      },
    ],
  },
  'data-quality-md/02-library.yaml': {
    sha256: 'c650f85a2a06ed68e11d0d47d7883176bec32de3e3ed6bfec920c516f9d2936d',
    checks: 2,
    ruleChecks: ['order_id_no_nulls'],
    unsupported: [],
  },
  'data-quality-md/03-library.yaml': {
    sha256: '3abb86552988b86f37cf9b161a4453022ed1b98b720e12d6f4bc9d555ce4610b',
    checks: 2,
    ruleChecks: ['order_id_no_nulls_simplified'],
    unsupported: [],
  },
  'data-quality-md/04-null-values.yaml': {
    sha256: '3e7ef30e95cb9e9d0e4227533cb80d26541281169fabaad914011ee9a4a7d6bf',
    checks: 2,
    ruleChecks: ['customer_id_no_nulls'],
    unsupported: [],
  },
  'data-quality-md/05-null-values.yaml': {
    sha256: '5cdd77976ab15a22e107bc218f8e3879cf2201b63148a0553c0230c1750bdbfb',
    checks: 2,
    ruleChecks: ['order_status_null_percent'],
    unsupported: [],
  },
  'data-quality-md/06-missing-values.yaml': {
    sha256: 'd684455f6e294127144b72bdcfb8f5f72d2ffd018817aa9a28ffddabce41c23b',
    checks: 2,
    ruleChecks: ['email_missing_values'],
    unsupported: [],
  },
  'data-quality-md/07-invalid-values.yaml': {
    sha256: 'c798bc05066eaa7b301b1a7d25cca33cb7035fd8bd6b29177143a15e7b5b52f1',
    checks: 2,
    ruleChecks: ['line_item_unit_valid_values'],
    unsupported: [],
  },
  'data-quality-md/08-invalid-values.yaml': {
    sha256: '351c09f157d0ee30480c0bac89aa7017aef34d9cef1508f9b21aebcfe4828537',
    checks: 1,
    ruleChecks: [],
    // The snippet's `pattern` is indented as a sibling of an empty `arguments`.
    unsupported: [
      {
        table: 'snippet',
        column: 'iban',
        ruleId: 'iban_pattern_check',
        reason:
          'invalidValues needs arguments.validValues or arguments.pattern to tell valid values',
      },
    ],
  },
  'data-quality-md/09-duplicate-values.yaml': {
    sha256: '48ae9bf76f1c9dedb1d0f5a255ff6fe8fe803404c9eb2fa5d5891c2d871148b4',
    checks: 2,
    ruleChecks: ['email_duplicate_values'],
    unsupported: [],
  },
  'data-quality-md/10-duplicate-values.yaml': {
    sha256: '5c52447d84d6a0f1f73009d282543bb4170c0dad28e51d6742cbcc7b14e5b3cb',
    checks: 2,
    ruleChecks: ['phone_duplicate_percent'],
    unsupported: [],
  },
  'data-quality-md/11-row-count-schema-level.yaml': {
    sha256: '85ea430e109c6400c1b53cfa6054382d8adec1b329712c32773c8be6cad4377a',
    checks: 1,
    ruleChecks: ['orders_row_count'],
    unsupported: [],
  },
  'data-quality-md/12-duplicates-schema-level.yaml': {
    sha256: 'd3b9ba2f2be0eeb57f7c5be22754a777c2acd944fff0468bd3d03f57cd983a0b',
    checks: 0,
    ruleChecks: [],
    // The snippet shows the table without the properties it names.
    unsupported: [
      {
        table: 'orders',
        ruleId: 'orders_unique_tenant_order',
        reason:
          "arguments.properties names 'tenant_id', which is not a property of orders",
      },
    ],
  },
  'data-quality-md/13-sql.yaml': {
    sha256: '31aafbac0b95274a1e8be10149920781286535459fb47b0fdd3e6ec748a2e9d4',
    checks: 2,
    ruleChecks: ['sql_count_not_null'],
    unsupported: [],
  },
  'data-quality-md/14-soda-example.yaml': {
    sha256: '073f8599ab506ed65ded4b54dc720cba733c96f12f8869edca31fa7eb3ff3fbc',
    checks: 1,
    ruleChecks: [],
    unsupported: [
      { ...snippet, ruleId: 'soda_duplicate_percent', reason: custom('soda') },
    ],
  },
  'data-quality-md/15-great-expectation-example.yaml': {
    sha256: 'c74c76164a741e7a3886e57d832577833900d07f89b1043fdf9e4d20fd5bd281',
    checks: 1,
    ruleChecks: [],
    unsupported: [
      {
        ...snippet,
        ruleId: 'row_count_btwn_10_50',
        reason: custom('greatExpectations'),
      },
    ],
  },
  'data-quality-md/16-scheduling.yaml': {
    sha256: 'e16a62bd33adc214faffc50330185cbc1261212d76d2881d1b3ef5175321ca7d',
    checks: 2,
    ruleChecks: ['count_less_than_3600'],
    unsupported: [],
  },
  'data-quality-md/17-valid-properties-for-operator.yaml': {
    sha256: 'f5d44a8d2f9b58a1ce30bd4035e946b6c5a6f9f315f879f5e2ed5f1d11158f35',
    checks: 2,
    ruleChecks: ['snippet.value.sql'],
    unsupported: [],
  },
  'data-quality-md/18-valid-properties-for-operator.yaml': {
    sha256: '58bd0126e82e07b926337726604f10eeecf465b4b16cee6ec38974afe92dd0e4',
    checks: 1,
    ruleChecks: [],
    // The page shows it as the equivalent of mustBeBetween; the schema allows one operator.
    unsupported: [
      {
        ...snippet,
        reason:
          'the rule has several operators (mustBeGreaterThan, mustBeLessThan); ODCS allows one per rule',
      },
    ],
  },
};

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return entry.name.endsWith('.yaml') ? [full] : [];
  });
}

/**
 * The data-quality page shows parts of a contract: a `schema`, the `properties` of a table or the
 * `quality` of a property. They are placed in a minimal contract: properties in a table named
 * `snippet`, a quality list on its property `value` (its sql examples name `{property}`).
 */
function asContract(document: Record<string, unknown>): OdcsContract {
  if (document.kind === 'DataContract') return document as OdcsContract;
  const base = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract' as const,
    id: 'snippet',
    version: '1.0.0',
    status: 'active',
  };
  if (document.schema) return { ...base, schema: document.schema } as never;
  if (document.properties) {
    return {
      ...base,
      schema: [{ name: 'snippet', properties: document.properties }],
    } as never;
  }
  return {
    ...base,
    schema: [
      {
        name: 'snippet',
        properties: [{ name: 'value', quality: document.quality }],
      },
    ],
  } as never;
}

describe('the official ODCS examples', () => {
  it('are all listed here', () => {
    const listed = yamlFiles(ROOT)
      .map(f => path.relative(ROOT, f).split(path.sep).join('/'))
      .sort();
    expect(listed).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s', (file, expected) => {
    const bytes = fs.readFileSync(path.join(ROOT, file));
    // Byte-for-byte as published (README.md names the commit).
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(
      expected.sha256,
    );
    const document = parse(bytes.toString('utf8'));
    const valid =
      expected.validV310 === undefined
        ? undefined
        : validateOdcsContract(document).valid;
    expect(valid).toBe(expected.validV310);
    const compiled = compileQualityChecks(asContract(document));
    expect(compiled.unsupported).toEqual(expected.unsupported);
    expect(
      compiled.checks.filter(c => c.kind !== 'schema').map(c => c.key),
    ).toEqual(expected.ruleChecks);
    expect(compiled.checks).toHaveLength(expected.checks);
    const keys = compiled.checks.map(c => c.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('compile with the meaning the examples give them', () => {
    const read = (file: string) =>
      compileQualityChecks(
        asContract(parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))),
      ).checks;
    expect(
      read('v3.1.0/quality/column-validity.odcs.yaml').find(
        c => c.metric === 'invalidValues',
      ),
    ).toEqual({
      key: 'Air_Quality.air_quality_status.invalidValues',
      name: 'Invalid values in air_quality_status (allowed: , , n/a) must be at most 5 %',
      kind: 'library',
      metric: 'invalidValues',
      table: 'Air_Quality',
      column: 'air_quality_status',
      arguments: { validValues: ['', null, 'n/a'] },
      unit: 'percent',
      threshold: { operator: 'mustBeLessOrEqualTo', value: 5 },
      severity: 'error',
      dimension: 'conformity',
      description: 'This column should be filled in 95% of the time',
    });
    expect(
      read('v3.1.0/all/full-example.odcs.yaml').filter(
        c => c.kind === 'library',
      ),
    ).toEqual([
      expect.objectContaining({
        key: 'tbl.rcvr_cntry_code.nullValues',
        schedule: '0 20 * * *',
        threshold: { operator: 'mustBe', value: 0 },
      }),
      expect.objectContaining({
        key: 'tbl.rowCount',
        name: 'Number of rows in tbl must be greater than 1000000',
        threshold: { operator: 'mustBeGreaterThan', value: 1000000 },
      }),
    ]);
    expect(
      read('data-quality-md/11-row-count-schema-level.yaml')[0].threshold,
    ).toEqual({ operator: 'mustBeBetween', value: [100, 120] });
    expect(read('data-quality-md/06-missing-values.yaml')[1]).toMatchObject({
      arguments: { missingValues: [null, '', 'N/A', 'n/a'] },
      threshold: { operator: 'mustBeLessThan', value: 100 },
      unit: 'rows',
    });
  });
});
