import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  DATA_MESH_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductEntity,
  formatProblems,
  ODCS_API_TYPE,
  parseOdcsContract,
  validateDataProductEntity,
} from '@backstage-data-mesh/plugin-data-mesh-common';

const sameKind = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

function isDataProduct(entity: Entity) {
  return (
    entity.apiVersion === DATA_MESH_API_VERSION &&
    sameKind(entity.kind, DATA_PRODUCT_KIND)
  );
}

function isOdcsContract(entity: Entity) {
  return sameKind(entity.kind, 'API') && entity.spec?.type === ODCS_API_TYPE;
}

/**
 * Accepts `DataProduct` entities and ODCS contracts (`API` entities of type `odcs`), rejects an
 * invalid one with an error that names the entity and the field, and emits the relations that
 * connect products to their owners, domains, contracts and upstream products.
 *
 * Throwing from `validateEntityKind` makes the catalog record the error on that entity alone, so
 * an invalid entity never stops the others in the same location from loading.
 * @public
 */
export class DataMeshEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'DataMeshEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    const entityRef = stringifyEntityRef(entity);
    if (isDataProduct(entity)) {
      const result = validateDataProductEntity(entity);
      if (!result.valid) {
        throw new InputError(
          `DataProduct ${entityRef} is invalid: ${formatProblems(
            result.problems,
          )}`,
        );
      }
      return true;
    }
    if (isOdcsContract(entity)) {
      const { contract, problems } = parseOdcsContract(
        entity.spec?.definition,
        'spec.definition',
      );
      if (problems.length > 0) {
        throw new InputError(
          `ODCS contract ${entityRef} is invalid: ${formatProblems(problems)}`,
        );
      }
      if (contract!.id !== entity.metadata.name) {
        throw new InputError(
          `ODCS contract ${entityRef} is invalid: spec.definition.id: must equal the entity name "${
            entity.metadata.name
          }" (got "${
            contract!.id
          }"), because data product ports refer to contracts by id`,
        );
      }
      // The built-in processor validates the API envelope; we only add the contract check.
      return false;
    }
    return false;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isDataProduct(entity)) {
      return entity;
    }
    const { spec } = entity as DataProductEntity;
    const self = getCompoundEntityRef(entity);
    const namespace = self.namespace;
    const emitPair = (
      target: string,
      defaultKind: string,
      forward: string,
      backward: string,
      defaultNamespace = namespace,
    ) => {
      const targetRef = parseEntityRef(target, {
        defaultKind,
        defaultNamespace,
      });
      emit(
        processingResult.relation({
          source: self,
          type: forward,
          target: targetRef,
        }),
      );
      emit(
        processingResult.relation({
          source: targetRef,
          type: backward,
          target: self,
        }),
      );
    };

    emitPair(spec.owner, 'Group', RELATION_OWNED_BY, RELATION_OWNER_OF);
    emitPair(spec.domain, 'Domain', RELATION_PART_OF, RELATION_HAS_PART);
    if (spec.system) {
      emitPair(spec.system, 'System', RELATION_PART_OF, RELATION_HAS_PART);
    }
    for (const port of spec.outputPorts) {
      emitPair(
        port.contractId,
        'API',
        RELATION_PROVIDES_API,
        RELATION_API_PROVIDED_BY,
      );
    }
    const upstreams = new Set<string>();
    for (const port of spec.inputPorts ?? []) {
      // A contract lives beside the product that provides it, so a bare contract id resolves in
      // the upstream product's namespace.
      const upstream = parseEntityRef(port.dataProduct, {
        defaultKind: DATA_PRODUCT_KIND,
        defaultNamespace: namespace,
      });
      emitPair(
        port.contractId,
        'API',
        RELATION_CONSUMES_API,
        RELATION_API_CONSUMED_BY,
        upstream.namespace,
      );
      upstreams.add(port.dataProduct);
    }
    for (const upstream of upstreams) {
      emitPair(
        upstream,
        DATA_PRODUCT_KIND,
        RELATION_DEPENDS_ON,
        RELATION_DEPENDENCY_OF,
      );
    }
    return entity;
  }
}
