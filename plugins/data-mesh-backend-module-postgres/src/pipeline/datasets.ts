import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  contractDatasets,
  DataProductEntity,
  LineageName,
  normalizeNamespace,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  PipelineLogLevel,
  PipelineStepRequest,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { buildPortModel } from '../provider/model';

/** A warehouse table that one of the request's contracts describes. */
export interface KnownTable {
  schema: string;
  table: string;
  /** The contract's OpenLineage name for it, when its server names one. */
  dataset?: LineageName;
  /** The output port that serves it, e.g. `transactions`. */
  port: string;
  /** Entity ref of the product that owns the port. */
  product: string;
  /** True for the step's own product. */
  own: boolean;
}

function key(schema: string, table: string): string {
  return `${schema}.${table}`;
}

function index(
  into: Map<string, KnownTable>,
  dataProduct: DataProductEntity,
  portName: string,
  contract: OdcsContract,
  own: boolean,
  log: (level: PipelineLogLevel, message: string) => void,
) {
  const port = dataProduct.spec.outputPorts.find(p => p.name === portName) ?? {
    name: portName,
    contractId: contract.id,
  };
  const { model, errors } = buildPortModel({ dataProduct, port, contract });
  if (!model) {
    log(
      'DEBUG',
      `Contract ${
        contract.id
      } does not describe warehouse tables (${errors.join(
        '; ',
      )}); tables it would name are named after the warehouse`,
    );
    return;
  }
  const datasets = contractDatasets(contract);
  for (const object of contract.schema ?? []) {
    const table = (object.physicalName ?? object.name ?? '').toLowerCase();
    if (!model.tables.some(t => t.name === table)) continue;
    const k = key(model.schema, table);
    if (into.has(k)) continue;
    into.set(k, {
      schema: model.schema,
      table,
      dataset: datasets.find(d => d.table === object.name),
      port: portName,
      product: stringifyEntityRef(dataProduct),
      own,
    });
  }
}

/**
 * The request's own and upstream contracts, indexed by the warehouse table they describe, so that
 * what a step read is named after the contract of the port that serves it.
 */
export function knownTables(
  request: PipelineStepRequest,
  log: (level: PipelineLogLevel, message: string) => void,
): Map<string, KnownTable> {
  const tables = new Map<string, KnownTable>();
  for (const [port, contract] of Object.entries(request.contracts ?? {})) {
    index(tables, request.dataProduct, port, contract, true, log);
  }
  for (const [inputName, contract] of Object.entries(
    request.upstreamContracts ?? {},
  )) {
    const input = request.dataProduct.spec.inputPorts?.find(
      p => p.name === inputName,
    );
    let ref = { kind: 'dataproduct', namespace: 'default', name: inputName };
    try {
      if (input?.dataProduct) {
        ref = parseEntityRef(input.dataProduct, { defaultKind: 'dataproduct' });
      }
    } catch {
      // A malformed ref only costs the fallback schema name below.
    }
    const outputPort = input?.outputPort ?? inputName;
    // buildPortModel needs the product only for its name (the schema when the contract names
    // none) and the port's name: the upstream entity itself is not in the request.
    const upstream = {
      apiVersion: request.dataProduct.apiVersion,
      kind: request.dataProduct.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
      spec: {
        outputPorts: [{ name: outputPort, contractId: contract.id }],
      },
    } as unknown as DataProductEntity;
    index(tables, upstream, outputPort, contract, false, log);
  }
  return tables;
}

/** Names warehouse tables per the OpenLineage naming spec. */
export class DatasetNamer {
  constructor(
    private readonly tables: Map<string, KnownTable>,
    /** `postgres://host:port` of the warehouse, for tables no contract describes. */
    private readonly namespace: string,
    /** current_database() */
    private readonly database: string,
  ) {}

  known(schema: string, table: string): KnownTable | undefined {
    return this.tables.get(key(schema, table));
  }

  name(schema: string, table: string): LineageName {
    const dataset = this.known(schema, table)?.dataset;
    return dataset
      ? { namespace: dataset.namespace, name: dataset.name }
      : {
          namespace: this.namespace,
          name: `${this.database}.${schema}.${table}`,
        };
  }
}

/**
 * The namespace of the warehouse itself: the public host and port (as the provider shows them),
 * else the namespace the output contract's server gives, else `postgres://localhost:5432`.
 */
export function warehouseNamespace(
  publicHost: string | undefined,
  publicPort: number | undefined,
  outputContract: OdcsContract | undefined,
): string {
  if (publicHost) {
    return normalizeNamespace(`postgres://${publicHost}:${publicPort ?? 5432}`);
  }
  const fromContract = outputContract
    ? contractDatasets(outputContract)[0]?.namespace
    : undefined;
  return fromContract ?? 'postgres://localhost:5432';
}
