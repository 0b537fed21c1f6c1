import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ajvErrorsToProblems } from '../validation/ajv';
import { ValidationProblem } from '../validation/ValidationResult';
import openLineageSchema from '../schemas/vendor/openlineage/OpenLineage.json';
import columnLineageFacet from '../schemas/vendor/openlineage/facets/ColumnLineageDatasetFacet.json';
import qualityAssertionsFacet from '../schemas/vendor/openlineage/facets/DataQualityAssertionsDatasetFacet.json';
import qualityMetricsFacet from '../schemas/vendor/openlineage/facets/DataQualityMetricsInputDatasetFacet.json';
import dataSourceFacet from '../schemas/vendor/openlineage/facets/DatasourceDatasetFacet.json';
import documentationFacet from '../schemas/vendor/openlineage/facets/DocumentationDatasetFacet.json';
import errorMessageFacet from '../schemas/vendor/openlineage/facets/ErrorMessageRunFacet.json';
import jobTypeFacet from '../schemas/vendor/openlineage/facets/JobTypeJobFacet.json';
import ownershipFacet from '../schemas/vendor/openlineage/facets/OwnershipDatasetFacet.json';
import parentFacet from '../schemas/vendor/openlineage/facets/ParentRunFacet.json';
import sqlFacet from '../schemas/vendor/openlineage/facets/SQLJobFacet.json';
import schemaFacet from '../schemas/vendor/openlineage/facets/SchemaDatasetFacet.json';
import symlinksFacet from '../schemas/vendor/openlineage/facets/SymlinksDatasetFacet.json';
import { OpenLineageEvent } from './openlineage';

/** What kind of event a valid body is. @public */
export type OpenLineageEventKind = 'run' | 'dataset' | 'job';

/** @public */
export type OpenLineageValidation =
  | { valid: true; kind: OpenLineageEventKind; event: OpenLineageEvent }
  | { valid: false; problems: ValidationProblem[] };

type FacetLocation = 'run' | 'job' | 'dataset' | 'input' | 'output';

// The facets this suite reads, by where they may appear. A facet is checked against its official
// schema only where we read it; any other facet is carried as it is, as OpenLineage intends.
const FACETS: Array<{ schema: object; key: string; at: FacetLocation[] }> = [
  { schema: schemaFacet, key: 'schema', at: ['dataset'] },
  { schema: columnLineageFacet, key: 'columnLineage', at: ['dataset'] },
  { schema: dataSourceFacet, key: 'dataSource', at: ['dataset'] },
  { schema: documentationFacet, key: 'documentation', at: ['dataset'] },
  { schema: ownershipFacet, key: 'ownership', at: ['dataset'] },
  { schema: symlinksFacet, key: 'symlinks', at: ['dataset'] },
  {
    schema: qualityAssertionsFacet,
    key: 'dataQualityAssertions',
    at: ['input'],
  },
  { schema: qualityMetricsFacet, key: 'dataQualityMetrics', at: ['input'] },
  { schema: sqlFacet, key: 'sql', at: ['job'] },
  { schema: jobTypeFacet, key: 'jobType', at: ['job'] },
  { schema: parentFacet, key: 'parent', at: ['run'] },
  { schema: errorMessageFacet, key: 'errorMessage', at: ['run'] },
];

interface Validators {
  kinds: Record<OpenLineageEventKind, ValidateFunction>;
  facets: Map<string, ValidateFunction>;
}

let validators: Validators | undefined;

function getValidators(): Validators {
  if (!validators) {
    // strict: false: the official schema uses annotations (`example`) that strict mode rejects.
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    // `uri` is not enforced: real producers send `producer: "producer"` or a dataSource uri of
    // `file` or `bigquery` (Spark does), and nothing here dereferences them. Formats this suite
    // relies on stay checked: `uuid` (run ids) and `date-time` (event times, with an offset).
    ajv.addFormat('uri', true);
    ajv.addSchema(openLineageSchema);
    const facets = new Map<string, ValidateFunction>();
    for (const facet of FACETS) {
      const validate = ajv.compile(facet.schema);
      for (const location of facet.at) {
        facets.set(`${location}:${facet.key}`, validate);
      }
    }
    const ref = (def: string) =>
      ajv.getSchema(`${openLineageSchema.$id}#/$defs/${def}`)!;
    validators = {
      kinds: {
        run: ref('RunEvent'),
        dataset: ref('DatasetEvent'),
        job: ref('JobEvent'),
      },
      facets,
    };
  }
  return validators;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(body: Record<string, unknown>): OpenLineageEventKind {
  if ('run' in body) return 'run';
  if ('dataset' in body) return 'dataset';
  return 'job';
}

function checkFacets(
  container: unknown,
  location: FacetLocation,
  path: string,
  problems: ValidationProblem[],
) {
  if (!isObject(container)) return;
  const { facets } = getValidators();
  for (const [key, facet] of Object.entries(container)) {
    const validate = facets.get(`${location}:${key}`);
    // A deleting facet (`_deleted: true`) carries no payload to check.
    if (!validate || (isObject(facet) && facet._deleted === true)) continue;
    if (!validate({ [key]: facet })) {
      problems.push(...ajvErrorsToProblems(validate.errors, path));
    }
  }
}

function checkDatasets(
  list: unknown,
  path: string,
  extra: 'input' | 'output' | undefined,
  problems: ValidationProblem[],
) {
  if (!Array.isArray(list)) return;
  list.forEach((dataset, i) => {
    if (!isObject(dataset)) return;
    checkFacets(dataset.facets, 'dataset', `${path}[${i}].facets`, problems);
    if (extra === 'input') {
      checkFacets(
        dataset.inputFacets,
        'input',
        `${path}[${i}].inputFacets`,
        problems,
      );
    }
  });
}

/**
 * Validates one OpenLineage event against the official 2-0-2 schema: a RunEvent, DatasetEvent or
 * JobEvent, and the facets this suite reads against their own schemas. Problems name the field,
 * e.g. `run.runId: must match format "uuid"`.
 * @public
 */
export function validateOpenLineageEvent(body: unknown): OpenLineageValidation {
  if (!isObject(body)) {
    return {
      valid: false,
      problems: [{ path: '', message: 'must be a JSON object (one event)' }],
    };
  }
  const kind = kindOf(body);
  const validate = getValidators().kinds[kind];
  if (!validate(body)) {
    return { valid: false, problems: ajvErrorsToProblems(validate.errors) };
  }
  const problems: ValidationProblem[] = [];
  if (kind === 'run') {
    const run = body.run as Record<string, unknown>;
    checkFacets(run.facets, 'run', 'run.facets', problems);
  }
  if (kind !== 'dataset') {
    const job = body.job as Record<string, unknown>;
    checkFacets(job.facets, 'job', 'job.facets', problems);
    checkDatasets(body.inputs, 'inputs', 'input', problems);
    checkDatasets(body.outputs, 'outputs', 'output', problems);
  } else {
    checkDatasets([body.dataset], 'dataset', undefined, problems);
    // checkDatasets names the single dataset `dataset[0]`; say `dataset`.
    for (const p of problems)
      p.path = p.path.replace(/^dataset\[0\]/, 'dataset');
  }
  if (problems.length > 0) return { valid: false, problems };
  return { valid: true, kind, event: body as unknown as OpenLineageEvent };
}
