import {
  OdcsServer,
  OdcsSchemaProperty,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { PortProvisioningRequest } from '@backstage-data-mesh/plugin-data-mesh-node';
import {
  checkIdentifier,
  namePart,
  ownerRoleName,
  readerRoleName,
} from './identifiers';
import { columnType } from './types';

/** One column as the contract wants it. */
export interface DesiredColumn {
  name: string;
  /** As format_type() prints it. */
  type: string;
  notNull: boolean;
  unique: boolean;
  comment: string | null;
  /** Path of the property in the contract, for messages. */
  field: string;
}

export interface DesiredTable {
  name: string;
  comment: string | null;
  columns: DesiredColumn[];
  /** Column names in primaryKeyPosition order. */
  primaryKey: string[];
  field: string;
}

/** Everything one port needs in the warehouse, derived from the request alone. */
export interface PortModel {
  schema: string;
  ownerRole: string;
  readerRole: string;
  port: string;
  tables: DesiredTable[];
  /** The contract roles, which all map to the one reader role of the port. */
  contractRoles: string[];
}

const POSTGRES_SERVER_TYPES = new Set(['postgres', 'postgresql']);

function postgresServer(
  servers: OdcsServer[] | undefined,
): { server: OdcsServer; index: number } | undefined {
  const index = (servers ?? []).findIndex(s =>
    POSTGRES_SERVER_TYPES.has(String(s.type).toLowerCase()),
  );
  return index >= 0 ? { server: servers![index], index } : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function buildColumns(
  properties: OdcsSchemaProperty[],
  tableField: string,
  errors: string[],
): { columns: DesiredColumn[]; primaryKey: string[] } {
  const columns: DesiredColumn[] = [];
  const keyed: Array<{ name: string; position: number; order: number }> = [];
  const seen = new Set<string>();
  properties.forEach((property, j) => {
    const field = `${tableField}.properties[${j}]`;
    const nameField = property.physicalName
      ? `${field}.physicalName`
      : `${field}.name`;
    const checked = checkIdentifier(
      property.physicalName ?? property.name,
      nameField,
      'column',
    );
    const type = columnType(property, field);
    if ('error' in checked) errors.push(checked.error);
    if ('error' in type) errors.push(type.error);
    if ('error' in checked || 'error' in type) return;
    if (seen.has(checked.name)) {
      errors.push(`${nameField}: column '${checked.name}' appears twice`);
      return;
    }
    seen.add(checked.name);
    if (property.primaryKey) {
      keyed.push({
        name: checked.name,
        position: property.primaryKeyPosition ?? Number.MAX_SAFE_INTEGER,
        order: j,
      });
    }
    columns.push({
      name: checked.name,
      type: type.type,
      // A primary key column is NOT NULL anyway; saying so keeps the comparison simple.
      notNull: Boolean(property.required || property.primaryKey),
      unique: Boolean(property.unique),
      comment: text(property.description),
      field,
    });
  });
  const primaryKey = keyed
    .sort((a, b) => a.position - b.position || a.order - b.order)
    .map(k => k.name);
  // A one-column primary key is already unique; a second constraint would only cost writes.
  if (primaryKey.length === 1) {
    const pk = columns.find(c => c.name === primaryKey[0]);
    if (pk) pk.unique = false;
  }
  return { columns, primaryKey };
}

/**
 * Derives the port's schema, roles and tables from the request and checks every name and type,
 * without touching a database. Errors name the contract field.
 */
export function buildPortModel(request: PortProvisioningRequest): {
  model?: PortModel;
  errors: string[];
} {
  const { dataProduct, port, contract } = request;
  const errors: string[] = [];

  const found = postgresServer(contract.servers);
  const schemaChecked = found?.server.schema
    ? checkIdentifier(
        found.server.schema,
        `servers[${found.index}].schema`,
        'schema',
      )
    : checkIdentifier(
        namePart(dataProduct.metadata.name ?? ''),
        'dataProduct.metadata.name (no postgres server with a schema in the contract)',
        'schema',
      );
  if ('error' in schemaChecked) errors.push(schemaChecked.error);

  const portIndex = dataProduct.spec?.outputPorts?.findIndex(
    p => p.name === port.name,
  );
  const portField =
    portIndex !== undefined && portIndex >= 0
      ? `dataProduct.spec.outputPorts[${portIndex}].name`
      : 'port.name';
  const portChecked = checkIdentifier(
    namePart(port.name ?? ''),
    portField,
    'role',
  );
  if ('error' in portChecked) errors.push(portChecked.error);

  let ownerRole = '';
  let readerRole = '';
  if ('name' in schemaChecked && 'name' in portChecked) {
    const owner = checkIdentifier(
      ownerRoleName(schemaChecked.name),
      'owner role (<schema>_owner)',
      'role',
    );
    const reader = checkIdentifier(
      readerRoleName(schemaChecked.name, portChecked.name),
      `reader role (<schema>_<port>_reader, from the schema and ${portField})`,
      'role',
    );
    if ('error' in owner) errors.push(owner.error);
    else ownerRole = owner.name;
    if ('error' in reader) errors.push(reader.error);
    else readerRole = reader.name;
  }

  const tables: DesiredTable[] = [];
  const tableNames = new Set<string>();
  if (!contract.schema || contract.schema.length === 0) {
    errors.push('schema: the contract declares no tables');
  }
  (contract.schema ?? []).forEach((object, i) => {
    const field = `schema[${i}]`;
    const nameField = object.physicalName
      ? `${field}.physicalName`
      : `${field}.name`;
    const checked = checkIdentifier(
      object.physicalName ?? object.name,
      nameField,
      'table',
    );
    if (
      object.physicalType &&
      String(object.physicalType).toLowerCase() !== 'table'
    ) {
      errors.push(
        `${field}.physicalType: '${object.physicalType}' is not supported by the postgres provider, which creates tables (use 'table' or leave it out)`,
      );
    }
    if (!object.properties || object.properties.length === 0) {
      errors.push(`${field}.properties: a table needs at least one column`);
    }
    const { columns, primaryKey } = buildColumns(
      object.properties ?? [],
      field,
      errors,
    );
    if ('error' in checked) {
      errors.push(checked.error);
      return;
    }
    if (tableNames.has(checked.name)) {
      errors.push(`${nameField}: table '${checked.name}' appears twice`);
      return;
    }
    tableNames.add(checked.name);
    tables.push({
      name: checked.name,
      comment: text(object.description),
      columns,
      primaryKey,
      field,
    });
  });

  if (errors.length > 0 || !('name' in schemaChecked)) {
    return { errors };
  }
  return {
    errors,
    model: {
      schema: schemaChecked.name,
      ownerRole,
      readerRole,
      port: port.name,
      tables,
      contractRoles: (contract.roles ?? []).map(r => r.role),
    },
  };
}
