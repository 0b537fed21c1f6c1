// A generated data mesh of any size (5,000 products for the discovery tests and benchmark):
// domains, owner teams, data products with 1-4 output ports whose ODCS contracts have 5-30
// columns, input ports between products, and, seeded into the plugin's own tables, health per
// port and product, open incidents, access agreements and dataset versions (freshness).
import { randomUUID } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  DATA_MESH_API_VERSION,
  HealthStatus,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { Knex } from 'knex';
import { stringify } from 'yaml';
import { LineageStore } from '../database/LineageStore';
import { runEvent } from './lineageEvents';

/** Seeded PRNG (mulberry32), as in bench/lineage/graph.ts. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  `order customer product store stock price invoice payment shipment supplier campaign
segment margin revenue ledger account forecast return loyalty basket channel region country
currency discount voucher warehouse carrier route delivery employee shift till receipt article
size colour season collection brand category promotion budget spend click impression session
device browser review rating complaint refund tax vat cost quantity unit batch lot serial`
    .split(/\s+/)
    .filter(Boolean);
const SUFFIXES = [
  'id',
  'code',
  'name',
  'date',
  'at',
  'amount',
  'count',
  'qty',
  'status',
  'type',
  'pct',
  'flag',
];
const TAGS =
  `sales stock customer marketing finance supply-chain pii gdpr daily hourly
realtime batch curated raw certified experimental legacy reporting ml kpi web stores erp crm
pos events snapshots forecasting reference master`
    .split(/\s+/)
    .filter(Boolean);
const PORT_NAMES = [
  'orders',
  'customers',
  'events',
  'positions',
  'movements',
  'summary',
  'daily',
  'history',
];
const TYPES = ['sourceAligned', 'aggregate', 'consumerAligned'] as const;
export const GENERATED_CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'restricted',
];

/** What the generator made, in the shapes a brute-force check needs. */
export interface GeneratedProduct {
  entityRef: string;
  name: string;
  title: string;
  description: string;
  domain: string;
  owner: string;
  type: string;
  tags: string[];
  classification?: string;
  ports: Array<{
    name: string;
    tables: Array<{ name: string; columns: string[] }>;
  }>;
  inputs: Array<{ product: string; port: string }>;
  health: HealthStatus;
  /** Distinct consumers with an active agreement. */
  consumers: number;
  /** Index of its freshness (newer is larger); undefined when never written. */
  freshnessRank?: number;
}

export interface GeneratedAgreement {
  consumerRef: string;
  dataProductRef: string;
  outputPort: string;
  status: 'requested' | 'approved' | 'active';
}

export interface GeneratedMesh {
  entities: Entity[];
  products: GeneratedProduct[];
  domains: Array<{ entityRef: string; title: string }>;
  owners: Array<{ entityRef: string; title: string }>;
  agreements: GeneratedAgreement[];
  /** A column only one product has, and where. */
  uniqueColumn: {
    column: string;
    product: string;
    port: string;
    table: string;
  };
  /** Users with their teams (ownership refs): who asks in the tests and the benchmark. */
  users: Array<{ entityRef: string; groups: string[] }>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Generates a mesh: `domains` domains, `owners` teams (each owning products of one or two
 * domains), `products` products. Deterministic for a seed.
 */
export function generateMesh(options: {
  products: number;
  domains?: number;
  owners?: number;
  users?: number;
  seed?: number;
  /** Contracts as YAML text (as the catalogue serves `$text` files) or as objects. Default text. */
  definitions?: 'text' | 'object';
}): GeneratedMesh {
  const rand = prng(options.seed ?? 20261124);
  const pick = <T>(list: readonly T[]) =>
    list[Math.floor(rand() * list.length)];
  const between = (min: number, max: number) =>
    min + Math.floor(rand() * (max - min + 1));
  const domainCount = options.domains ?? 20;
  const ownerCount = options.owners ?? 40;
  const userCount = options.users ?? 200;
  const entities: Entity[] = [];
  const domains = Array.from({ length: domainCount }, (_, d) => {
    const name = `domain-${pad(d, 2)}`;
    const title = `${cap(WORDS[d % WORDS.length])} domain ${pad(d, 2)}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name, namespace: 'default', title },
      spec: { owner: `group:default/team-${pad(d % ownerCount, 2)}` },
    });
    return { entityRef: `domain:default/${name}`, title };
  });
  const owners = Array.from({ length: ownerCount }, (_, o) => {
    const name = `team-${pad(o, 2)}`;
    const title = `Team ${cap(WORDS[(o * 7) % WORDS.length])} ${pad(o, 2)}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default', title },
      spec: {
        type: 'team',
        children: [],
        profile: { email: `${name}@mesh.example` },
      },
    });
    return { entityRef: `group:default/${name}`, title };
  });
  const users = Array.from({ length: userCount }, (_, u) => ({
    entityRef: `user:default/user-${pad(u, 3)}`,
    groups: [owners[u % ownerCount].entityRef],
  }));

  const products: GeneratedProduct[] = [];
  const productCount = options.products;
  const uniqueAt = Math.floor(productCount / 2);
  const uniqueColumn = {
    column: 'zz_unique_marker_column',
    product: '',
    port: '',
    table: '',
  };
  for (let p = 0; p < productCount; p++) {
    const name = `product-${pad(p, 5)}`;
    const entityRef = `dataproduct:default/${name}`;
    const domainIndex = Math.floor(rand() * domainCount);
    const domain = domains[domainIndex];
    // Each domain's products belong to two teams.
    const owner =
      owners[(domainIndex * 2 + (rand() < 0.5 ? 0 : 1)) % ownerCount];
    const type = pick(TYPES);
    const topic = pick(WORDS);
    const title = `${cap(topic)} ${cap(pick(WORDS))} ${pad(p, 5)}`;
    const description = `${cap(topic)} data of the ${
      domain.title
    }: ${Array.from({ length: between(6, 14) }, () => pick(WORDS)).join(' ')}.`;
    const tags = [
      ...new Set(Array.from({ length: between(1, 4) }, () => pick(TAGS))),
    ];
    const portCount = between(1, 4);
    const portNames = shuffle(PORT_NAMES, rand).slice(0, portCount);
    let maxRank = -1;
    const contracts: OdcsContract[] = [];
    const ports = portNames.map(portName => {
      const columnCount = between(5, 30);
      const tableCount = columnCount > 15 ? 2 : 1;
      const tables: Array<{ name: string; columns: string[] }> = [];
      const schema: NonNullable<OdcsContract['schema']> = [];
      for (let t = 0; t < tableCount; t++) {
        const tableName = t === 0 ? portName : `${portName}_detail`;
        const used = new Set<string>();
        const properties = [];
        const size =
          t === 0
            ? Math.ceil(columnCount / tableCount)
            : Math.floor(columnCount / tableCount);
        for (let c = 0; c < size; c++) {
          let column = `${pick(WORDS)}_${pick(SUFFIXES)}`;
          while (used.has(column)) column = `${column}_${c}`;
          used.add(column);
          const rank = weighted(
            rand(),
            [
              [0.3, 0],
              [0.8, 1],
              [0.97, 2],
            ],
            3,
          );
          if (rank > maxRank) maxRank = rank;
          properties.push({
            name: column,
            logicalType: 'string' as const,
            physicalType: 'text',
            description: `The ${column.replace(/_/g, ' ')} of the ${topic}.`,
            classification: GENERATED_CLASSIFICATIONS[rank],
          });
        }
        if (p === uniqueAt && t === 0) {
          properties.push({
            name: uniqueColumn.column,
            logicalType: 'string' as const,
            physicalType: 'text',
            description: 'Only one product has this column.',
            classification: 'public',
          });
          uniqueColumn.product = entityRef;
          uniqueColumn.port = portName;
          uniqueColumn.table = tableName;
        }
        tables.push({ name: tableName, columns: properties.map(c => c.name) });
        schema.push({
          name: tableName,
          physicalName: tableName,
          physicalType: 'table',
          description: `${cap(portName)} of ${title}.`,
          properties,
        });
      }
      contracts.push({
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: `${name}.${portName}`,
        version: '1.0.0',
        status: 'active',
        servers: [
          {
            server: 'warehouse',
            type: 'postgres',
            host: 'warehouse.mesh.example',
            port: 5432,
            database: 'mesh',
            schema: name.replace(/-/g, '_'),
          },
        ],
        schema,
      });
      return { name: portName, tables };
    });
    // Inputs: up to three output ports of earlier products.
    const inputs: GeneratedProduct['inputs'] = [];
    if (p > 0 && type !== 'sourceAligned') {
      for (let k = between(1, 3); k > 0; k--) {
        const upstream = products[Math.floor(rand() * products.length)];
        const port = pick(upstream.ports).name;
        if (
          !inputs.some(i => i.product === upstream.entityRef && i.port === port)
        ) {
          inputs.push({ product: upstream.entityRef, port });
        }
      }
    }
    const health = weighted<HealthStatus>(
      rand(),
      [
        [0.6, 'healthy'],
        [0.75, 'degraded'],
        [0.85, 'failing'],
      ],
      'unknown',
    );
    products.push({
      entityRef,
      name,
      title,
      description,
      domain: domain.entityRef,
      owner: owner.entityRef,
      type,
      tags,
      classification:
        maxRank >= 0 ? GENERATED_CLASSIFICATIONS[maxRank] : undefined,
      ports,
      inputs,
      health,
      consumers: 0,
    });
    entities.push({
      apiVersion: DATA_MESH_API_VERSION,
      kind: 'DataProduct',
      metadata: { name, namespace: 'default', title, tags },
      spec: {
        owner: owner.entityRef,
        domain: domain.entityRef.split('/')[1],
        lifecycle: rand() < 0.8 ? 'production' : 'experimental',
        type,
        description: { purpose: description },
        outputPorts: ports.map(port => ({
          name: port.name,
          description: `${cap(port.name)} of ${title}.`,
          contractId: `${name}.${port.name}`,
        })),
        inputPorts: inputs.map((input, k) => ({
          name: `input-${k}`,
          dataProduct: input.product,
          outputPort: input.port,
          contractId: `${input.product.split('/')[1]}.${input.port}`,
        })),
        team: {
          name: owner.entityRef.split('/')[1],
          members: [
            {
              username:
                users[between(0, userCount - 1)].entityRef.split('/')[1],
              role: 'owner',
            },
          ],
        },
      },
    });
    for (const contract of contracts) {
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: { name: contract.id, namespace: 'default' },
        spec: {
          type: 'odcs',
          lifecycle: 'production',
          owner: owner.entityRef,
          definition:
            options.definitions === 'object'
              ? (contract as unknown as Entity['spec'])
              : stringify(contract),
        },
      });
    }
  }

  // Agreements: about two per product, from users, teams and other products.
  const agreements: GeneratedAgreement[] = [];
  const open = new Set<string>();
  for (const product of products) {
    const consumers = new Set<string>();
    for (let k = between(0, 4); k > 0; k--) {
      const consumerRef = pick(
        weighted<ReadonlyArray<{ entityRef: string }>>(
          rand(),
          [
            [0.5, users],
            [0.8, owners],
          ],
          products,
        ),
      ).entityRef;
      const port = pick(product.ports).name;
      const key = `${consumerRef}\u0000${port}`;
      if (open.has(`${product.entityRef}\u0000${key}`)) continue;
      open.add(`${product.entityRef}\u0000${key}`);
      const status = weighted<GeneratedAgreement['status']>(
        rand(),
        [
          [0.7, 'active'],
          [0.9, 'requested'],
        ],
        'approved',
      );
      if (status === 'active') consumers.add(consumerRef);
      agreements.push({
        consumerRef,
        dataProductRef: product.entityRef,
        outputPort: port,
        status,
      });
    }
    product.consumers = consumers.size;
  }
  // Freshness: two products in three were written, at distinct times.
  const written = shuffle(
    products.filter(() => rand() < 0.67),
    rand,
  );
  written.forEach((product, rank) => {
    product.freshnessRank = rank;
  });

  return {
    entities,
    products,
    domains,
    owners,
    agreements,
    uniqueColumn,
    users,
  };
}

/** The value of the first threshold above `roll`, else `otherwise`. */
function weighted<T>(
  roll: number,
  thresholds: Array<[number, T]>,
  otherwise: T,
): T {
  return thresholds.find(([below]) => roll < below)?.[1] ?? otherwise;
}

const GRANT_STATES: Record<GeneratedAgreement['status'], string | null> = {
  active: 'granted',
  approved: 'pending',
  requested: null,
};

function cap(word: string) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function shuffle<T>(list: readonly T[], rand: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function insertChunks(db: Knex, table: string, rows: object[]) {
  for (let i = 0; i < rows.length; i += 200) {
    await db(table).insert(rows.slice(i, i + 200));
  }
}

/**
 * Writes the mesh's state into the data-mesh plugin's (migrated) database: health of every port
 * and product with an open incident per failing port, the agreements, and dataset versions
 * through the LineageStore (one COMPLETE run per written product, then dated by its rank).
 */
export async function seedMeshState(
  db: Knex,
  mesh: GeneratedMesh,
): Promise<void> {
  const now = Date.now();
  const at = new Date(now - 3_600_000).toISOString();
  const health: object[] = [];
  const incidents: object[] = [];
  for (const product of mesh.products) {
    if (product.health === 'unknown') continue;
    health.push({
      entity_ref: product.entityRef,
      port: '',
      status: product.health,
      reasons: '[]',
      since: at,
      updated_at: at,
    });
    product.ports.forEach((port, k) => {
      // The product's status is its worst port's: the first port has it, the others are healthy.
      const status = k === 0 ? product.health : 'healthy';
      health.push({
        entity_ref: product.entityRef,
        port: port.name,
        status,
        reasons: '[]',
        since: at,
        updated_at: at,
      });
      if (status === 'failing') {
        incidents.push({
          id: randomUUID(),
          entity_ref: product.entityRef,
          port: port.name,
          status: 'open',
          title: `${product.entityRef} › ${port.name} is failing`,
          causes: '[]',
          opened_at: at,
        });
      }
    });
  }
  await insertChunks(db, 'data_health', health);
  await insertChunks(db, 'quality_incidents', incidents);

  await insertChunks(
    db,
    'access_agreements',
    mesh.agreements.map(a => ({
      id: randomUUID(),
      consumer_ref: a.consumerRef,
      data_product_ref: a.dataProductRef,
      output_port: a.outputPort,
      role: 'read',
      purpose: 'Generated',
      starts_at: at,
      ends_at: null,
      contract_id: `${a.dataProductRef.split('/')[1]}.${a.outputPort}`,
      contract_version: '1.0.0',
      status: a.status,
      approval_level: 1,
      requested_by: a.consumerRef.startsWith('user:')
        ? a.consumerRef
        : mesh.users[0].entityRef,
      created_at: at,
      updated_at: at,
      grant_state: GRANT_STATES[a.status],
      grant_attempts: 0,
      version: 0,
    })),
  );

  const lineage = LineageStore.fromClient(db);
  const written = mesh.products.filter(p => p.freshnessRank !== undefined);
  const runs = written.map(product => ({
    product,
    runId: randomUUID(),
  }));
  for (let i = 0; i < runs.length; i += 250) {
    await lineage.ingest(
      runs.slice(i, i + 250).map(({ product, runId }) => ({
        key: runId,
        kind: 'run' as const,
        event: runEvent({
          job: `${product.name}.pipeline`,
          runId,
          outputs: product.ports.flatMap(port =>
            port.tables.map(table => ({
              namespace: 'postgres://warehouse.mesh.example:5432',
              name: `mesh.${product.name.replace(/-/g, '_')}.${table.name}`,
            })),
          ),
        }),
      })),
    );
  }
  // Distinct times, one minute apart by rank: the newest rank is the freshest.
  for (const { product, runId } of runs) {
    await db('lineage_dataset_versions')
      .where({ run_id: runId })
      .update({
        created_at: new Date(
          now - (written.length - product.freshnessRank!) * 60_000,
        ).toISOString(),
      });
  }
}
