// Dataset identities per the OpenLineage naming spec (website/docs/spec/naming.md), and the node
// ids of Marquez's lineage API (`dataset:<ns>:<name>`, `datasetField:<ns>:<name>:<field>`,
// `job:<ns>:<name>`), plus `product:<entity ref>` for data products.
import { OdcsContract, OdcsServer } from '../odcs/OdcsContract';

/** A dataset or job as OpenLineage names it. @public */
export interface LineageName {
  namespace: string;
  name: string;
}

const DEFAULT_PORTS: Record<string, number> = {
  postgres: 5432,
  mysql: 3306,
  redshift: 5439,
  trino: 8080,
  kafka: 9092,
};

const SCHEME_ALIASES: Record<string, string> = { postgresql: 'postgres' };

/**
 * The canonical form of a namespace, so that producers naming one store differently meet in one
 * node: scheme and host lower-cased, `postgresql://` as `postgres://`, the default port made
 * explicit (the spec's `postgres://{host}:{port}`), no trailing slash. Other namespaces
 * (`bigquery`, a job namespace) are only trimmed.
 * @public
 */
export function normalizeNamespace(namespace: string): string {
  const trimmed = namespace.trim().replace(/\/+$/, '');
  const match =
    /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/:]*)(?::(\d+))?(\/.*)?$/.exec(trimmed);
  if (!match) return trimmed;
  const rawScheme = match[1].toLowerCase();
  const scheme = SCHEME_ALIASES[rawScheme] ?? rawScheme;
  const host = match[2].toLowerCase();
  const port = match[3] ?? DEFAULT_PORTS[scheme]?.toString();
  return `${scheme}://${host}${port && host ? `:${port}` : ''}${
    match[4] ?? ''
  }`;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The OpenLineage identity of one table of a contract, from its first server and the schema
 * object's physical name (STANDARDS.md 7.2). Undefined when the server type has no naming rule
 * here or lacks the fields the rule needs.
 * @public
 */
export function datasetNameForServer(
  server: OdcsServer,
  table: string,
): LineageName | undefined {
  const s = server as Record<string, unknown>;
  const type = String(server.type ?? '').toLowerCase();
  switch (type) {
    case 'postgres':
    case 'postgresql':
    case 'redshift':
    case 'trino': {
      const host = str(s.host);
      const database = str(s.database) ?? str(s.catalog);
      const schema = str(s.schema);
      if (!host || !database || !schema) return undefined;
      const port = s.port !== undefined ? `:${s.port}` : '';
      return {
        namespace: normalizeNamespace(`${type}://${host}${port}`),
        name: `${database}.${schema}.${table}`,
      };
    }
    case 'snowflake': {
      const account = str(s.account);
      const database = str(s.database);
      const schema = str(s.schema);
      if (!account || !database || !schema) return undefined;
      return {
        namespace: `snowflake://${account.toLowerCase()}`,
        name: `${database}.${schema}.${table}`.toUpperCase(),
      };
    }
    case 'bigquery': {
      const project = str(s.project);
      const dataset = str(s.dataset);
      if (!project || !dataset) return undefined;
      return { namespace: 'bigquery', name: `${project}.${dataset}.${table}` };
    }
    case 'kafka': {
      const host = str(s.host);
      return host
        ? { namespace: normalizeNamespace(`kafka://${host}`), name: table }
        : undefined;
    }
    case 's3': {
      const location = str(s.location);
      const match = location && /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(location);
      if (!match) return undefined;
      const prefix = match[2].replace(/\/+$/, '');
      return {
        namespace: `s3://${match[1]}`,
        name: prefix ? `${prefix}/${table}` : table,
      };
    }
    default:
      return undefined;
  }
}

/** One table of a contract and its OpenLineage identity. @public */
export interface ContractDataset extends LineageName {
  /** `schema[].name` of the contract. */
  table: string;
  /** Its columns (`physicalName` or `name`). */
  fields: string[];
}

/** The OpenLineage identities of every table of a contract, from its first server that names them. @public */
export function contractDatasets(contract: OdcsContract): ContractDataset[] {
  const result: ContractDataset[] = [];
  for (const object of contract.schema ?? []) {
    const table = object.physicalName ?? object.name;
    for (const server of contract.servers ?? []) {
      const name = datasetNameForServer(server, table);
      if (name) {
        result.push({
          ...name,
          table: object.name,
          fields: (object.properties ?? []).map(p => p.physicalName ?? p.name),
        });
        break;
      }
    }
  }
  return result;
}

/** A node of the lineage graph, by the id Marquez's API uses. @public */
export type LineageNodeRef =
  | { type: 'dataset'; namespace: string; name: string }
  | { type: 'datasetField'; namespace: string; name: string; field: string }
  | { type: 'job'; namespace: string; name: string }
  | { type: 'product'; entityRef: string };

/** Formats a node id: `dataset:<ns>:<name>`, `datasetField:<ns>:<name>:<field>`, `job:<ns>:<name>`, `product:<ref>`. @public */
export function formatNodeId(node: LineageNodeRef): string {
  switch (node.type) {
    case 'product':
      return `product:${node.entityRef}`;
    case 'datasetField':
      return `datasetField:${node.namespace}:${node.name}:${node.field}`;
    default:
      return `${node.type}:${node.namespace}:${node.name}`;
  }
}

// A namespace is `scheme://authority[:port]` or a plain word; the first `:` after it separates
// the name. As Marquez's parser, colons inside `scheme://` and `host:port` are tolerated.
const NAMESPACE_PREFIX =
  /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/]*(?::\d+)?(?:\/[^:]*)?|[^:]+):/;

/** Parses a node id; undefined when it is not one. @public */
export function parseNodeId(id: string): LineageNodeRef | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0) return undefined;
  const type = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (type === 'product') {
    return rest ? { type, entityRef: rest } : undefined;
  }
  if (type !== 'dataset' && type !== 'job' && type !== 'datasetField') {
    return undefined;
  }
  const match = NAMESPACE_PREFIX.exec(rest);
  if (!match) return undefined;
  const namespace = match[1];
  const name = rest.slice(match[0].length);
  if (!name) return undefined;
  if (type === 'datasetField') {
    const last = name.lastIndexOf(':');
    if (last <= 0 || last === name.length - 1) return undefined;
    return {
      type,
      namespace,
      name: name.slice(0, last),
      field: name.slice(last + 1),
    };
  }
  return { type, namespace, name };
}
