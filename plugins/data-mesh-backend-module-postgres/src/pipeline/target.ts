import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  DataProductPipelineStep,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { PipelineStepRequest } from '@backstage-data-mesh/plugin-data-mesh-node';
import { buildPortModel, DesiredTable, PortModel } from '../provider/model';

/** What a step writes, resolved from the request alone. */
export interface StepTarget {
  /** `spec.pipeline.steps[i]`, for messages. */
  field: string;
  model: PortModel;
  table: DesiredTable;
  contract: OdcsContract;
  /** `schema[].name` of the table in the contract. */
  contractTable: string;
  mode: 'replace' | 'append';
}

/** `spec.pipeline.steps[i]` of the step in its product, or its name when it is not found there. */
export function stepField(request: PipelineStepRequest): string {
  const steps = request.dataProduct.spec?.pipeline?.steps ?? [];
  let i = steps.indexOf(request.step);
  if (i < 0) i = steps.findIndex(s => s.name === request.step?.name);
  return i >= 0
    ? `spec.pipeline.steps[${i}]`
    : `spec.pipeline.steps['${request.step?.name ?? ''}']`;
}

function list(values: string[]): string {
  return values.length > 0 ? values.join(', ') : 'none';
}

/**
 * Resolves the step's port, contract and table; every error names the step field and says what
 * would be valid.
 */
export function resolveTarget(
  request: PipelineStepRequest,
): { target: StepTarget } | { error: string } {
  const field = stepField(request);
  const step: Partial<DataProductPipelineStep> = request.step ?? {};
  const product = stringifyEntityRef(request.dataProduct);
  const outputPorts = request.dataProduct.spec?.outputPorts ?? [];

  const port = outputPorts.find(p => p.name === step.port);
  if (!port) {
    return {
      error: `${field}.port: '${
        step.port ?? ''
      }' is not an output port of ${product} (${list(
        outputPorts.map(p => p.name),
      )})`,
    };
  }
  const contract = request.contracts?.[port.name];
  if (!contract) {
    return {
      error: `${field}.port: output port '${port.name}' has no contract (${port.contractId}) in the request, so the engine cannot tell its tables`,
    };
  }
  const objects = contract.schema ?? [];
  const object = objects.find(
    o => o.name === step.table || o.physicalName === step.table,
  );
  if (!object) {
    return {
      error: `${field}.table: '${step.table ?? ''}' is not a table of port '${
        port.name
      }' (${list(objects.map(o => o.physicalName ?? o.name))})`,
    };
  }
  const mode = step.mode ?? 'replace';
  if (mode !== 'replace' && mode !== 'append') {
    return {
      error: `${field}.mode: '${String(
        mode,
      )}' is not a mode (replace or append)`,
    };
  }
  const { model, errors } = buildPortModel({
    dataProduct: request.dataProduct,
    port,
    contract,
  });
  if (!model) {
    return {
      error: `${field}.port: the contract of output port '${
        port.name
      }' cannot be used: ${errors.join('; ')}`,
    };
  }
  const physical = (object.physicalName ?? object.name).toLowerCase();
  const table = model.tables.find(t => t.name === physical);
  if (!table) {
    return {
      error: `${field}.table: '${step.table}' has no valid table name in contract ${contract.id}`,
    };
  }
  return {
    target: {
      field,
      model,
      table,
      contract,
      contractTable: object.name,
      mode,
    },
  };
}
