import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  contractDatasets,
  contractEntityRef,
  DATA_PRODUCT_KIND,
  dataProductEntityRef,
  DataProductEntity,
  isDataProductEntity,
  ODCS_API_TYPE,
  OdcsContract,
  parseOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** One table of an output port and its OpenLineage identity. */
export interface PortDataset {
  entityRef: string;
  port: string;
  table: string;
  namespace: string;
  name: string;
  fields: string[];
}

/** A data product as lineage needs it. */
export interface DirectoryProduct {
  entityRef: string;
  entity: DataProductEntity;
  title: string;
  datasets: PortDataset[];
  /** Declared inputs: input port → the upstream product and its output port. */
  inputs: Array<{ inputPort: string; upstream: string; outputPort: string }>;
  /** Contracts of its output ports, by port name. */
  contracts: Record<string, OdcsContract>;
}

export interface ProductDirectorySnapshot {
  products: Map<string, DirectoryProduct>;
  /** `<namespace>\0<name>` → the port table it is. */
  datasets: Map<string, PortDataset>;
  /** upstream entity ref → the products that declare it as an input. */
  declaredConsumers: Map<string, Set<string>>;
  loadedAt: number;
}

export function datasetKey(namespace: string, name: string) {
  return `${namespace}\u0000${name}`;
}

/**
 * The catalogue's data products with the OpenLineage identities of their port tables (from each
 * contract's server and physical names) and their declared inputs. Read with the plugin's own
 * credentials and cached for `ttlMs`: lineage is about data, and the catalogue changes slowly.
 */
export class ProductDirectory {
  private snapshot?: ProductDirectorySnapshot;
  private loading?: Promise<ProductDirectorySnapshot>;
  /**
   * Contracts parsed by the last load, by their entity's uid and etag (else their text): parsing
   * and validating an ODCS document takes about a millisecond, so a reload parses only what
   * changed (12,000 contracts take over ten seconds otherwise).
   */
  private parsed = new Map<string, OdcsContract | undefined>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      ttlMs?: number;
    },
  ) {}

  async get(): Promise<ProductDirectorySnapshot> {
    const ttl = this.options.ttlMs ?? 30_000;
    if (this.snapshot && Date.now() - this.snapshot.loadedAt < ttl) {
      return this.snapshot;
    }
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    // A stale snapshot serves while the new one loads, except the first time.
    if (this.snapshot) {
      this.loading.catch(() => {});
      return this.snapshot;
    }
    return this.loading;
  }

  /** Forget the cache (after a product is published, in tests). */
  invalidate() {
    this.snapshot = undefined;
  }

  private async load(): Promise<ProductDirectorySnapshot> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const [products, apis] = await Promise.all([
      this.options.catalog.getEntities(
        { filter: { kind: DATA_PRODUCT_KIND } },
        { credentials },
      ),
      this.options.catalog.getEntities(
        { filter: { kind: 'API', 'spec.type': ODCS_API_TYPE } },
        { credentials },
      ),
    ]);
    const contracts = new Map<string, OdcsContract>();
    const parsed = new Map<string, OdcsContract | undefined>();
    for (const api of apis.items) {
      const definition = (api.spec as { definition?: unknown } | undefined)
        ?.definition;
      const { uid, etag } = api.metadata;
      let key: string | undefined;
      if (uid && etag) key = `${uid}\u0000${etag}`;
      else if (typeof definition === 'string') key = definition;
      let contract: OdcsContract | undefined;
      if (key !== undefined && this.parsed.has(key)) {
        contract = this.parsed.get(key);
      } else {
        contract = parseOdcsContract(definition, 'spec.definition').contract;
      }
      if (key !== undefined) parsed.set(key, contract);
      if (contract) contracts.set(stringifyEntityRef(api), contract);
    }
    this.parsed = parsed;
    const snapshot: ProductDirectorySnapshot = {
      products: new Map(),
      datasets: new Map(),
      declaredConsumers: new Map(),
      loadedAt: Date.now(),
    };
    for (const entity of products.items as Entity[]) {
      if (!isDataProductEntity(entity)) continue;
      const entityRef = stringifyEntityRef(entity);
      const namespace = entity.metadata.namespace ?? 'default';
      const product: DirectoryProduct = {
        entityRef,
        entity,
        title: entity.metadata.title ?? entity.metadata.name,
        datasets: [],
        inputs: [],
        contracts: {},
      };
      for (const port of entity.spec.outputPorts ?? []) {
        const contract = port.contractId
          ? contracts.get(contractEntityRef(port.contractId, namespace))
          : undefined;
        if (!contract) continue;
        product.contracts[port.name] = contract;
        for (const dataset of contractDatasets(contract)) {
          const portDataset: PortDataset = {
            entityRef,
            port: port.name,
            table: dataset.table,
            namespace: dataset.namespace,
            name: dataset.name,
            fields: dataset.fields,
          };
          product.datasets.push(portDataset);
          snapshot.datasets.set(
            datasetKey(dataset.namespace, dataset.name),
            portDataset,
          );
        }
      }
      for (const input of entity.spec.inputPorts ?? []) {
        let upstream: string;
        try {
          upstream = dataProductEntityRef(input.dataProduct, namespace);
        } catch {
          continue;
        }
        product.inputs.push({
          inputPort: input.name,
          upstream,
          outputPort: input.outputPort ?? '',
        });
        const consumers = snapshot.declaredConsumers.get(upstream) ?? new Set();
        consumers.add(entityRef);
        snapshot.declaredConsumers.set(upstream, consumers);
      }
      snapshot.products.set(entityRef, product);
    }
    this.snapshot = snapshot;
    return snapshot;
  }
}
