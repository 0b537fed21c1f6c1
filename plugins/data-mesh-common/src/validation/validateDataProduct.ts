import { parseEntityRef } from '@backstage/catalog-model';
import dataProductSchema from '../schemas/DataProduct.v1alpha1.schema.json';
import { DataProductEntity } from '../entity/DataProductEntity';
import { ajvErrorsToProblems, compileSchema } from './ajv';
import {
  toValidationResult,
  ValidationProblem,
  ValidationResult,
} from './ValidationResult';

/** The JSON Schema of the DataProduct entity (draft 2019-09). @public */
export const DATA_PRODUCT_ENTITY_SCHEMA: object = dataProductSchema;

function checkRef(
  problems: ValidationProblem[],
  path: string,
  ref: string,
  defaultKind: string,
  expectedKinds?: string[],
) {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind,
      defaultNamespace: 'default',
    });
    if (
      expectedKinds &&
      !expectedKinds.includes(parsed.kind.toLocaleLowerCase('en-US'))
    ) {
      problems.push({
        path,
        message: `must refer to a ${expectedKinds.join(
          ' or ',
        )} entity, got kind "${parsed.kind}"`,
      });
    }
  } catch (e) {
    problems.push({
      path,
      message: `is not a valid entity reference: ${(e as Error).message}`,
    });
  }
}

function checkUnique(
  problems: ValidationProblem[],
  items: Array<Record<string, unknown>>,
  key: string,
  basePath: string,
) {
  const firstIndex = new Map<unknown, number>();
  items.forEach((item, index) => {
    const value = item[key];
    if (value === undefined) return;
    const previous = firstIndex.get(value);
    if (previous !== undefined) {
      problems.push({
        path: `${basePath}[${index}].${key}`,
        message: `duplicates ${basePath}[${previous}].${key} (${JSON.stringify(
          value,
        )})`,
      });
    } else {
      firstIndex.set(value, index);
    }
  });
}

function isSelfRef(ref: string, name: string, namespace = 'default') {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'DataProduct',
      defaultNamespace: namespace,
    });
    return parsed.name === name && parsed.namespace === namespace;
  } catch {
    return false;
  }
}

/**
 * Validates a DataProduct entity: the JSON Schema first, then what a schema cannot say (unique
 * port names and contracts, well-formed entity references).
 * @public
 */
export function validateDataProductEntity(entity: unknown): ValidationResult {
  const validate = compileSchema(dataProductSchema);
  if (!validate(entity)) {
    return toValidationResult(ajvErrorsToProblems(validate.errors));
  }
  const { spec, metadata } = entity as DataProductEntity;
  const problems: ValidationProblem[] = [];
  checkRef(problems, 'spec.owner', spec.owner, 'Group', ['group', 'user']);
  checkRef(problems, 'spec.domain', spec.domain, 'Domain', ['domain']);
  if (spec.system) {
    checkRef(problems, 'spec.system', spec.system, 'System', ['system']);
  }
  const outputs = spec.outputPorts as unknown as Array<Record<string, unknown>>;
  checkUnique(problems, outputs, 'name', 'spec.outputPorts');
  checkUnique(problems, outputs, 'id', 'spec.outputPorts');
  checkUnique(problems, outputs, 'contractId', 'spec.outputPorts');
  const inputs = (spec.inputPorts ?? []) as unknown as Array<
    Record<string, unknown>
  >;
  checkUnique(problems, inputs, 'name', 'spec.inputPorts');
  (spec.inputPorts ?? []).forEach((port, index) => {
    checkRef(
      problems,
      `spec.inputPorts[${index}].dataProduct`,
      port.dataProduct,
      'DataProduct',
      ['dataproduct'],
    );
    if (isSelfRef(port.dataProduct, metadata.name, metadata.namespace)) {
      problems.push({
        path: `spec.inputPorts[${index}].dataProduct`,
        message: 'must not refer to the data product itself',
      });
    }
  });
  if (spec.pipeline) {
    const steps = spec.pipeline.steps as unknown as Array<
      Record<string, unknown>
    >;
    checkUnique(problems, steps, 'name', 'spec.pipeline.steps');
    const ports = new Set(spec.outputPorts.map(p => p.name));
    spec.pipeline.steps.forEach((step, index) => {
      if (!ports.has(step.port)) {
        problems.push({
          path: `spec.pipeline.steps[${index}].port`,
          message: `'${step.port}' is not an output port of this product (${[
            ...ports,
          ].join(', ')})`,
        });
      }
    });
  }
  return toValidationResult(problems);
}

/** Type guard form of {@link validateDataProductEntity}. @public */
export function isValidDataProductEntity(
  entity: unknown,
): entity is DataProductEntity {
  return validateDataProductEntity(entity).valid;
}
