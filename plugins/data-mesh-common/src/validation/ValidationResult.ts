/** One problem found in a document, located by a readable path such as `spec.outputPorts[0].name`. @public */
export interface ValidationProblem {
  path: string;
  message: string;
}

/** @public */
export type ValidationResult =
  | { valid: true; problems: [] }
  | { valid: false; problems: ValidationProblem[] };

/** @public */
export function toValidationResult(
  problems: ValidationProblem[],
): ValidationResult {
  return problems.length === 0
    ? { valid: true, problems: [] }
    : { valid: false, problems };
}

/** Renders problems as one line each, `path: message`. @public */
export function formatProblems(problems: ValidationProblem[]): string {
  return problems.map(p => `${p.path || '(root)'}: ${p.message}`).join('; ');
}
