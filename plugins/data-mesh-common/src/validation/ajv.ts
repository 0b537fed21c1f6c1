import Ajv2019, { ErrorObject, ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { ValidationProblem } from './ValidationResult';

let sharedAjv: Ajv2019 | undefined;

/** One Ajv instance for every schema: compiling is the expensive part, so validators are cached. */
export function getAjv(): Ajv2019 {
  if (!sharedAjv) {
    // strict: false because the official ODCS/ODPS schemas use annotation keywords Ajv's strict
    // mode rejects (e.g. `examples` in odd places); they are still fully validated.
    sharedAjv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(sharedAjv);
  }
  return sharedAjv;
}

const compiled = new WeakMap<object, ValidateFunction>();

export function compileSchema(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = getAjv().compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** `/spec/outputPorts/0/name` → `spec.outputPorts[0].name` */
export function pointerToPath(pointer: string, prefix = ''): string {
  let path = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) {
      path += `[${segment}]`;
    } else {
      path += path ? `.${segment}` : segment;
    }
  }
  return path;
}

function join(path: string, key: string) {
  return path ? `${path}.${key}` : key;
}

/**
 * Turns Ajv errors into problems that name the exact field. `oneOf`/`anyOf` umbrella errors are
 * dropped when a more precise error at or below the same place exists.
 */
export function ajvErrorsToProblems(
  errors: ErrorObject[] | null | undefined,
  prefix = '',
): ValidationProblem[] {
  if (!errors) {
    return [];
  }
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  const precise = errors.filter(
    e => !['oneOf', 'anyOf', 'if'].includes(e.keyword),
  );
  const list = precise.length > 0 ? precise : errors;
  for (const error of list) {
    let path = pointerToPath(error.instancePath, prefix);
    let message = error.message ?? 'is invalid';
    switch (error.keyword) {
      case 'required':
        path = join(path, String(error.params.missingProperty));
        message = 'is required';
        break;
      case 'additionalProperties':
        path = join(path, String(error.params.additionalProperty));
        message = 'is not an allowed property here';
        break;
      case 'enum':
        message = `must be one of ${(error.params.allowedValues as unknown[])
          .map(v => JSON.stringify(v))
          .join(', ')}`;
        break;
      case 'const':
        message = `must be ${JSON.stringify(error.params.allowedValue)}`;
        break;
      default:
        break;
    }
    const key = `${path}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ path, message });
    }
  }
  return problems;
}
