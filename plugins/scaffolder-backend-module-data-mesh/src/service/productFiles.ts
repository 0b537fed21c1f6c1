import {
  Entity,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DATA_MESH_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductEntity,
  DataProductPipeline,
  DataProductType,
  formatProblems,
  OdcsContract,
  OdcsSchemaObject,
  validateDataProductEntity,
  validateOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { JsonObject } from '@backstage/types';
import { parseAllDocuments, stringify } from 'yaml';
import {
  commentText,
  defaultSchemaName,
  IDENTIFIER,
  stepSql,
  StepSqlInput,
  tableColumns,
  upstreamTable,
} from './pipelineSql';

/** The logical column types a template offers, and the PostgreSQL type each becomes. */
export const COLUMN_TYPES = {
  string: 'text',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
} as const;

export type ColumnType = keyof typeof COLUMN_TYPES;

export interface ColumnInput {
  name: string;
  type: ColumnType;
  /** Overrides the PostgreSQL type derived from `type`, e.g. `varchar(20)` or `numeric(12,2)`. */
  physicalType?: string;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  classification?: string;
}

export interface OutputPortInput {
  name: string;
  description?: string;
  columns: ColumnInput[];
}

export interface InputPortInput {
  /** The upstream product, `sales-orders` or `dataproduct:default/sales-orders`. */
  dataProduct: string;
  outputPort: string;
  contractId: string;
}

export interface ServiceLevelInput {
  /** Data is at most this many hours old. */
  freshnessHours?: number;
  frequency?: 'hourly' | 'daily' | 'weekly' | 'monthly';
  /** Percentage of time the port is queryable, e.g. 99.5. */
  availabilityPercent?: number;
  retentionDays?: number;
}

/** What a person fills in the template's form. */
export interface ProductInput {
  name: string;
  title?: string;
  description: string;
  usage?: string;
  limitations?: string;
  domain: string;
  owner: string;
  type: DataProductType;
  lifecycle?: string;
  tags?: string[];
  /** Classification of columns that do not set their own. */
  classification?: string;
  outputPorts: OutputPortInput[];
  inputPorts?: InputPortInput[];
  slo?: ServiceLevelInput;
}

/** Where the warehouse is, as written in each generated contract's `servers` entry. */
export interface WarehouseLocation {
  host: string;
  port: number;
  database: string;
  /** `servers[].environment`, e.g. `prod`; omitted when unset. */
  environment?: string;
}

/** The XclusiV examples' warehouse; `dataMesh.scaffolder.warehouse` overrides each field. */
export const DEFAULT_WAREHOUSE: WarehouseLocation = {
  host: 'localhost',
  port: 5432,
  database: 'warehouse',
};

/** The cron expression (UTC) of the pipeline for each update frequency of the form. */
export const PIPELINE_SCHEDULES: Record<
  NonNullable<ServiceLevelInput['frequency']>,
  string
> = {
  hourly: '0 * * * *',
  daily: '0 2 * * *',
  weekly: '0 3 * * 1',
  monthly: '0 4 1 * *',
};

/**
 * The contract of the product's first input port, as read from the catalogue, or why it could not
 * be read. The generated pipeline reads its table; without it, the SQL is a placeholder.
 */
export type UpstreamContract = { contract: OdcsContract } | { problem: string };

export interface GenerateOptions {
  warehouse?: Partial<WarehouseLocation>;
  /** For the first input port; absent: it was not looked up. */
  upstream?: UpstreamContract;
}

export interface GeneratedFile {
  path: string;
  content: string;
}

export interface GeneratedProduct {
  entityRef: string;
  entity: DataProductEntity;
  contracts: Entity[];
  files: GeneratedFile[];
}

const entityNames = makeValidator();

/** `domain:default/sales` → `sales`; refs in other namespaces stay whole. */
function shortRef(ref: string, kind: string, field: string): string {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
    if (parsed.kind.toLocaleLowerCase('en-US') !== kind) {
      throw new Error(`expected a ${kind}, got a ${parsed.kind}`);
    }
    return parsed.namespace === 'default'
      ? parsed.name
      : `${parsed.namespace}/${parsed.name}`;
  } catch (error) {
    throw new InputError(`${field}: ${(error as Error).message}`);
  }
}

function ownerRef(ref: string): string {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    return `${parsed.kind.toLocaleLowerCase('en-US')}:${parsed.namespace}/${
      parsed.name
    }`;
  } catch (error) {
    throw new InputError(`owner: ${(error as Error).message}`);
  }
}

/** A physical name for a port's table: the port name with dashes as underscores. */
export function tableName(portName: string): string {
  return portName.replace(/-/g, '_');
}

function serviceLevels(slo: ServiceLevelInput | undefined): JsonObject[] {
  const properties: JsonObject[] = [];
  if (slo?.freshnessHours !== undefined) {
    properties.push({
      property: 'latency',
      value: slo.freshnessHours,
      unit: 'h',
    });
  }
  if (slo?.frequency) {
    properties.push({ property: 'frequency', value: slo.frequency });
  }
  if (slo?.availabilityPercent !== undefined) {
    properties.push({
      property: 'availability',
      value: slo.availabilityPercent,
      unit: '%',
    });
  }
  if (slo?.retentionDays !== undefined) {
    properties.push({
      property: 'retention',
      value: slo.retentionDays,
      unit: 'd',
    });
  }
  return properties;
}

function contractFor(
  input: ProductInput,
  port: OutputPortInput,
  index: number,
  domain: string,
  server: JsonObject,
): JsonObject {
  const where = `outputPorts[${index}]`;
  if (!port.columns?.length) {
    throw new InputError(
      `${where}.columns: output port '${port.name}' of data product '${input.name}' needs at least one column`,
    );
  }
  let primaryKeyPosition = 0;
  const properties = port.columns.map((column, c) => {
    const logical = column.type ?? 'string';
    if (!(logical in COLUMN_TYPES)) {
      throw new InputError(
        `${where}.columns[${c}].type: '${logical}' is not one of ${Object.keys(
          COLUMN_TYPES,
        ).join(', ')}`,
      );
    }
    const property: JsonObject = {
      name: column.name,
      logicalType: logical,
      physicalType: column.physicalType?.trim() || COLUMN_TYPES[logical],
    };
    if (column.description) property.description = column.description;
    if (column.primaryKey) {
      primaryKeyPosition += 1;
      property.primaryKey = true;
      property.primaryKeyPosition = primaryKeyPosition;
    }
    if (column.required || column.primaryKey) property.required = true;
    if (column.unique) property.unique = true;
    const classification = column.classification || input.classification;
    if (classification) property.classification = classification;
    return property;
  });
  const contract: JsonObject = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `${input.name}.${port.name}`,
    name: `${input.title || input.name} ${port.name}`,
    version: '1.0.0',
    status: input.lifecycle === 'production' ? 'active' : 'draft',
    domain,
    description: {
      purpose: port.description || input.description,
      ...(input.usage ? { usage: input.usage } : {}),
      ...(input.limitations ? { limitations: input.limitations } : {}),
    },
    servers: [server],
    schema: [
      {
        name: tableName(port.name),
        physicalName: tableName(port.name),
        physicalType: 'table',
        description: port.description || input.description,
        properties,
      },
    ],
  };
  if (input.tags?.length) contract.tags = input.tags;
  const sla = serviceLevels(input.slo);
  if (sla.length) contract.slaProperties = sla;
  return contract;
}

/** The warehouse server of every generated contract: the product's schema in the configured database. */
function warehouseServer(
  input: ProductInput,
  options: GenerateOptions,
): { server: JsonObject; schema: string } {
  const schema = defaultSchemaName(input.name);
  if (!IDENTIFIER.test(schema)) {
    throw new InputError(
      `name: '${input.name}' cannot name the product's warehouse schema '${schema}' (it must match ${IDENTIFIER.source}: start with a letter)`,
    );
  }
  const given = options.warehouse ?? {};
  const warehouse: WarehouseLocation = {
    host: given.host ?? DEFAULT_WAREHOUSE.host,
    port: given.port ?? DEFAULT_WAREHOUSE.port,
    database: given.database ?? DEFAULT_WAREHOUSE.database,
    environment: given.environment ?? DEFAULT_WAREHOUSE.environment,
  };
  return {
    schema,
    server: {
      server: 'warehouse',
      type: 'postgres',
      ...(warehouse.environment ? { environment: warehouse.environment } : {}),
      host: warehouse.host,
      port: warehouse.port,
      database: warehouse.database,
      schema,
    },
  };
}

/** The name of the first input port's product, without kind and namespace. */
function upstreamProductName(ref: string): string {
  return parseEntityRef(ref, {
    defaultKind: 'dataproduct',
    defaultNamespace: 'default',
  }).name;
}

/**
 * One step per output port, `load-<port>`, replacing the port's table with the rows of a SELECT
 * of the first input port's table (see {@link stepSql}); scheduled from the form's frequency.
 */
function pipelineFor(
  input: ProductInput,
  entity: DataProductEntity,
  contracts: JsonObject[],
  schema: string,
  options: GenerateOptions,
): { pipeline: DataProductPipeline; files: GeneratedFile[] } {
  const firstInput = entity.spec.inputPorts?.[0];
  const steps: DataProductPipeline['steps'] = [];
  const files: GeneratedFile[] = [];
  input.outputPorts.forEach((port, index) => {
    const contract = contracts[index] as unknown as OdcsContract;
    const object = contract.schema![0] as OdcsSchemaObject;
    const columns = tableColumns(
      object,
      i =>
        `outputPorts[${index}].columns[${i}].name (contract ${contract.id} schema[0].properties[${i}])`,
    );
    const name = `load-${port.name}`;
    let upstream: StepSqlInput['upstream'];
    if (firstInput) {
      const found = options.upstream;
      if (!found) {
        upstream = {
          inputPort: firstInput.name,
          problem: `api:default/${commentText(
            firstInput.contractId,
          )} was not looked up in the catalogue`,
        };
      } else if ('problem' in found) {
        upstream = { inputPort: firstInput.name, problem: found.problem };
      } else {
        const table = upstreamTable(
          found.contract,
          upstreamProductName(firstInput.dataProduct),
          firstInput.name,
          columns,
        );
        upstream =
          'problem' in table
            ? { inputPort: firstInput.name, problem: table.problem }
            : table;
      }
    }
    const sql = stepSql({
      product: input.name,
      step: name,
      stepIndex: index,
      port: port.name,
      schema,
      table: object.name,
      columns,
      upstream,
    });
    steps.push({
      name,
      description: `Loads ${object.name} of output port ${port.name}.`,
      port: port.name,
      table: object.name,
      mode: 'replace',
      sql,
    });
    files.push({ path: `pipeline/${name}.sql`, content: sql });
  });
  const schedule = input.slo?.frequency
    ? PIPELINE_SCHEDULES[input.slo.frequency]
    : undefined;
  return { pipeline: { ...(schedule ? { schedule } : {}), steps }, files };
}

/**
 * The files of a new data product's repository: `catalog-info.yaml` (the DataProduct and one
 * `odcs` API entity per output port, whose definition is read from the contract file),
 * `contracts/<product>.<port>.odcs.yaml` (with the warehouse as its server) and
 * `pipeline/load-<port>.sql`, the SQL of the pipeline step loading each port's table, which
 * catalog-info.yaml reads with `$text`. Everything is checked against the DataProduct and ODCS
 * schemas here, so a bad form value fails before anything is written or published. The returned
 * entity carries the SQL itself, as the catalogue has it once it has read the files.
 */
export function generateProduct(
  input: ProductInput,
  options: GenerateOptions = {},
): GeneratedProduct {
  const domain = shortRef(input.domain, 'domain', 'domain');
  const owner = ownerRef(input.owner);
  const lifecycle = input.lifecycle || 'experimental';
  if (!entityNames.isValidEntityName(input.name)) {
    throw new InputError(
      `name: '${input.name}' is not a valid entity name (letters, digits, '-', '_' and '.', at most 63, starting and ending with a letter or digit)`,
    );
  }
  if (!input.outputPorts?.length) {
    throw new InputError(
      `outputPorts: data product '${input.name}' needs at least one output port`,
    );
  }

  const entity: DataProductEntity = {
    apiVersion: DATA_MESH_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: {
      name: input.name,
      ...(input.title ? { title: input.title } : {}),
      description: input.description,
      ...(input.tags?.length ? { tags: input.tags } : {}),
    },
    spec: {
      owner,
      domain,
      lifecycle,
      type: input.type,
      version: '1.0.0',
      status: lifecycle === 'production' ? 'active' : 'draft',
      description: {
        purpose: input.description,
        ...(input.usage ? { usage: input.usage } : {}),
        ...(input.limitations ? { limitations: input.limitations } : {}),
      },
      ...(input.inputPorts?.length
        ? {
            inputPorts: input.inputPorts.map(p => ({
              name: `${shortRef(
                p.dataProduct,
                'dataproduct',
                'inputPorts.dataProduct',
              )}-${p.outputPort}`,
              dataProduct: shortRef(
                p.dataProduct,
                'dataproduct',
                'inputPorts.dataProduct',
              ),
              outputPort: p.outputPort,
              contractId: p.contractId,
            })),
          }
        : {}),
      outputPorts: input.outputPorts.map(port => ({
        name: port.name,
        ...(port.description ? { description: port.description } : {}),
        version: '1.0.0',
        type: 'tables',
        contractId: `${input.name}.${port.name}`,
      })),
    },
  };
  const entityRef = `dataproduct:default/${input.name}`;
  const check = () => {
    const checked = validateDataProductEntity(entity);
    if (!checked.valid) {
      throw new InputError(
        `Data product ${entityRef} is invalid: ${formatProblems(
          checked.problems,
        )}`,
      );
    }
  };
  check();

  const { server, schema } = warehouseServer(input, options);
  const files: GeneratedFile[] = [];
  const contracts: Entity[] = [];
  const definitions: JsonObject[] = [];
  input.outputPorts.forEach((port, index) => {
    const contract = contractFor(input, port, index, domain, server);
    const { problems } = validateOdcsContract(contract);
    if (problems.length > 0) {
      throw new InputError(
        `The contract of output port '${
          port.name
        }' of ${entityRef} is invalid: ${formatProblems(problems)}`,
      );
    }
    definitions.push(contract);
    const file = `contracts/${contract.id}.odcs.yaml`;
    files.push({ path: file, content: stringify(contract) });
    contracts.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: String(contract.id),
        title: `${input.title || input.name} ${port.name} contract`,
        description: `Data contract of the ${port.name} output port of ${
          input.title || input.name
        }.`,
        tags: ['odcs'],
      },
      spec: {
        type: 'odcs',
        lifecycle,
        owner,
        // Inline here (the validate action sends it); the published file reads it from disk.
        definition: contract,
      },
    });
  });

  const pipeline = pipelineFor(input, entity, definitions, schema, options);
  entity.spec.pipeline = pipeline.pipeline;
  check();
  files.push(...pipeline.files);

  const catalogInfo = [
    {
      ...entity,
      spec: {
        ...entity.spec,
        pipeline: {
          ...pipeline.pipeline,
          steps: pipeline.pipeline.steps.map(step => ({
            ...step,
            sql: { $text: `./pipeline/${step.name}.sql` },
          })),
        },
      },
    },
    ...contracts.map(c => ({
      ...c,
      spec: {
        ...c.spec,
        definition: { $text: `./contracts/${c.metadata.name}.odcs.yaml` },
      },
    })),
  ]
    .map(doc => stringify(doc))
    .join('---\n');
  files.unshift({
    path: 'catalog-info.yaml',
    content: `# Generated by the data-product template of Backstage Data Mesh.\n${catalogInfo}`,
  });
  return { entityRef, entity, contracts, files };
}

/** `{ $text: path }` → path; anything else → undefined. */
function textReference(value: unknown): string | undefined {
  const ref =
    value && typeof value === 'object' && !Array.isArray(value)
      ? (value as { $text?: unknown }).$text
      : undefined;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * Reads a product's `catalog-info.yaml` as written by {@link generateProduct} (or by hand): the
 * DataProduct entity and its `odcs` API entities, with `$text` contract definitions and pipeline
 * step SQL read from the files beside it through `readFile`, as the catalogue reads them.
 */
export async function readProduct(
  catalogInfo: string,
  readFile: (relativePath: string) => Promise<string>,
): Promise<{ entity: Entity; contracts: Entity[] }> {
  const docs = parseAllDocuments(catalogInfo);
  const entities: Entity[] = [];
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length > 0) {
      throw new InputError(
        `catalog-info.yaml document ${index + 1}: ${doc.errors[0].message}`,
      );
    }
    const value = doc.toJSON();
    if (value) entities.push(value as Entity);
  }
  const products = entities.filter(e => e.kind === DATA_PRODUCT_KIND);
  if (products.length !== 1) {
    throw new InputError(
      `catalog-info.yaml: expected exactly one ${DATA_PRODUCT_KIND}, found ${products.length}`,
    );
  }
  // Pipeline SQL files, as the catalogue's `$text` reads them: the file's text, unchanged.
  let product = products[0];
  const steps = (product.spec as { pipeline?: { steps?: unknown } })?.pipeline
    ?.steps;
  if (Array.isArray(steps) && steps.some(s => textReference(s?.sql))) {
    const resolved = [];
    for (const step of steps) {
      const ref = textReference(step?.sql);
      resolved.push(ref ? { ...step, sql: await readFile(ref) } : step);
    }
    const spec = product.spec as JsonObject;
    product = {
      ...product,
      spec: {
        ...spec,
        pipeline: { ...(spec.pipeline as JsonObject), steps: resolved },
      },
    };
  }
  const contracts: Entity[] = [];
  for (const api of entities.filter(
    e => e.kind === 'API' && (e.spec as { type?: string })?.type === 'odcs',
  )) {
    const definition = (api.spec as { definition?: unknown }).definition;
    const textRef = textReference(definition);
    if (textRef) {
      const parsed = parseAllDocuments(await readFile(textRef));
      contracts.push({
        ...api,
        spec: { ...api.spec, definition: parsed[0]?.toJSON() },
      });
    } else {
      contracts.push(api);
    }
  }
  return { entity: product, contracts };
}
