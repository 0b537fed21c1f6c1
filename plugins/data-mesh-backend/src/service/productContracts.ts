import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  contractEntityRef,
  DataProductEntity,
  dataProductEntityRef,
  isDataProductEntity,
  OdcsContract,
  parseOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** A product as the catalogue has it now, with the contracts of its ports. */
export interface ProductContracts {
  entity: DataProductEntity;
  /** Contracts of its output ports, by port name. */
  contracts: Record<string, OdcsContract>;
  /** Contracts of the output ports it declares as inputs, by input port name. */
  upstreamContracts: Record<string, OdcsContract>;
}

/** The product from the catalogue; 404 when there is none. */
export async function readProduct(
  catalog: CatalogService,
  auth: AuthService,
  entityRef: string,
): Promise<DataProductEntity> {
  const credentials = await auth.getOwnServiceCredentials();
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity || !isDataProductEntity(entity)) {
    throw new NotFoundError(`No data product ${entityRef}`);
  }
  return entity;
}

/** Reads a product and the contracts of its output and input ports in two catalogue calls. */
export async function readProductContracts(
  catalog: CatalogService,
  auth: AuthService,
  entityRef: string,
): Promise<ProductContracts> {
  const entity = await readProduct(catalog, auth, entityRef);
  const credentials = await auth.getOwnServiceCredentials();
  const namespace = entity.metadata.namespace ?? 'default';
  const ports = entity.spec.outputPorts ?? [];
  const inputs = entity.spec.inputPorts ?? [];
  const refs = [
    ...ports.map(p => contractEntityRef(p.contractId ?? '', namespace)),
    ...inputs.map(i => {
      const upstream = dataProductEntityRef(i.dataProduct, namespace);
      const upstreamNamespace = upstream.split(':')[1].split('/')[0];
      return contractEntityRef(i.contractId, upstreamNamespace);
    }),
  ];
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs },
    { credentials },
  );
  const parse = (api: Entity | null | undefined) => {
    if (!api) return undefined;
    return parseOdcsContract(
      (api.spec as { definition?: unknown } | undefined)?.definition,
      'spec.definition',
    ).contract;
  };
  const contracts: Record<string, OdcsContract> = {};
  ports.forEach((port, i) => {
    const contract = parse(items[i]);
    if (contract) contracts[port.name] = contract;
  });
  const upstreamContracts: Record<string, OdcsContract> = {};
  inputs.forEach((input, i) => {
    const contract = parse(items[ports.length + i]);
    if (contract) upstreamContracts[input.name] = contract;
  });
  return { entity, contracts, upstreamContracts };
}

/** The provider of an output port: its `provisioner` custom property, else the default. */
export function providerOfPort(
  entity: DataProductEntity,
  port: string,
  defaultProvider: string,
): string {
  const found = entity.spec.outputPorts.find(p => p.name === port);
  const named = (found?.customProperties ?? []).find(
    c => c.property === 'provisioner',
  )?.value;
  return typeof named === 'string' && named ? named : defaultProvider;
}
