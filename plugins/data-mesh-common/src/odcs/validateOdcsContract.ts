import { parseDocument } from 'yaml';
import odcsSchema from '../schemas/vendor/odcs-json-schema-v3.1.0.json';
import { ajvErrorsToProblems, compileSchema } from '../validation/ajv';
import {
  toValidationResult,
  ValidationProblem,
  ValidationResult,
} from '../validation/ValidationResult';
import { OdcsContract } from './OdcsContract';

/** The official ODCS v3.1.0 JSON Schema, vendored unmodified. @public */
export const ODCS_V3_1_0_SCHEMA: object = odcsSchema;

/** Validates a parsed ODCS document against the official v3.1.0 schema. @public */
export function validateOdcsContract(
  contract: unknown,
  pathPrefix = '',
): ValidationResult {
  const validate = compileSchema(odcsSchema);
  if (validate(contract)) {
    return { valid: true, problems: [] };
  }
  return toValidationResult(ajvErrorsToProblems(validate.errors, pathPrefix));
}

/** @public */
export type ParsedOdcsContract =
  | { contract: OdcsContract; problems: [] }
  | { contract?: undefined; problems: ValidationProblem[] };

/**
 * Parses an ODCS contract from YAML or JSON text (or takes an already parsed object) and
 * validates it. Problems carry `pathPrefix` so they can point into an enclosing entity, e.g.
 * `spec.definition`.
 * @public
 */
export function parseOdcsContract(
  definition: unknown,
  pathPrefix = '',
): ParsedOdcsContract {
  let document: unknown = definition;
  if (typeof definition === 'string') {
    const parsed = parseDocument(definition, { prettyErrors: true });
    if (parsed.errors.length > 0) {
      return {
        problems: parsed.errors.map(e => ({
          path: pathPrefix,
          message: `is not valid YAML: ${e.message.split('\n')[0]}`,
        })),
      };
    }
    document = parsed.toJS();
  }
  if (
    typeof document !== 'object' ||
    document === null ||
    Array.isArray(document)
  ) {
    return {
      problems: [
        {
          path: pathPrefix,
          message: 'must be an ODCS data contract (a YAML mapping)',
        },
      ],
    };
  }
  const result = validateOdcsContract(document, pathPrefix);
  if (!result.valid) {
    return { problems: result.problems };
  }
  return { contract: document as OdcsContract, problems: [] };
}
