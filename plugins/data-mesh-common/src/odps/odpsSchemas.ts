import odpsV100 from '../schemas/vendor/odps-json-schema-v1.0.0.json';
import { ajvErrorsToProblems, compileSchema } from '../validation/ajv';
import {
  toValidationResult,
  ValidationResult,
} from '../validation/ValidationResult';

/** ODPS versions `toOdps` can write. @public */
export type OdpsVersion = 'v1.1.0' | 'v1.0.0';

/** The official ODPS v1.0.0 JSON Schema, vendored unmodified. @public */
export const ODPS_V1_0_0_SCHEMA: object = odpsV100;

type Schema = {
  properties: Record<string, unknown>;
  required?: string[];
  $defs: Record<string, any>;
};

/**
 * ODPS v1.1.0 as its changelog describes it relative to v1.0.0: new optional top-level `type`,
 * `deprecated`, `synonyms`, `context`; an optional `id` on every element; `deprecated` on ports;
 * `synonyms` and `context` on output ports; only `apiVersion`, `kind`, `id` (top level) and `name`
 * (ports) required. Derived from the official v1.0.0 file so nothing else drifts.
 */
function deriveOdpsV110(): object {
  const schema = JSON.parse(JSON.stringify(odpsV100)) as Schema;
  const anything = { type: 'object' };
  schema.properties.apiVersion = {
    type: 'string',
    enum: ['v1.1.0', 'v1.0.0', 'v0.9.0'],
  };
  Object.assign(schema.properties, {
    type: { type: 'string' },
    deprecated: { type: 'boolean' },
    synonyms: { type: 'array', items: anything },
    context: anything,
  });
  schema.required = ['apiVersion', 'kind', 'id'];
  for (const def of Object.values(schema.$defs)) {
    if (def.properties) {
      def.properties.id ??= { type: 'string' };
    }
  }
  for (const port of ['InputPort', 'OutputPort', 'ManagementPort']) {
    schema.$defs[port].properties.deprecated = { type: 'boolean' };
  }
  schema.$defs.OutputPort.properties.synonyms = {
    type: 'array',
    items: anything,
  };
  schema.$defs.OutputPort.properties.context = anything;
  schema.$defs.InputPort.required = ['name'];
  schema.$defs.OutputPort.required = ['name'];
  return schema;
}

let odpsV110: object | undefined;

/** The schema an ODPS document of the given version must satisfy. @public */
export function getOdpsSchema(version: OdpsVersion): object {
  if (version === 'v1.0.0') {
    return odpsV100;
  }
  odpsV110 ??= deriveOdpsV110();
  return odpsV110;
}

/** Validates an ODPS document against the schema of its `apiVersion`. @public */
export function validateOdpsDocument(document: unknown): ValidationResult {
  const version =
    (document as { apiVersion?: string })?.apiVersion === 'v1.0.0'
      ? 'v1.0.0'
      : 'v1.1.0';
  const validate = compileSchema(getOdpsSchema(version));
  if (validate(document)) {
    return { valid: true, problems: [] };
  }
  return toValidationResult(ajvErrorsToProblems(validate.errors));
}
