import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  messageOf,
  outcome,
  Policy,
  skipped,
  skippedInvalidEntity,
} from './types';

/** A policy that the entity `spec.<field>` names is in the catalog, switched by a setting. */
function referenceExistsPolicy(options: {
  id: string;
  title: string;
  field: 'owner' | 'domain';
  defaultKind: string;
  setting: 'requireOwnerExists' | 'requireDomainExists';
}): Policy {
  const { field, setting } = options;
  return {
    id: options.id,
    title: options.title,
    appliesToUnprovision: true,
    async check(context) {
      const { entityRef, product, catalog, credentials, settings } = context;
      if (!settings[setting]) {
        return skipped(
          `${entityRef} spec.${field}: not checked (dataMesh.governance.${setting} is false)`,
        );
      }
      if (!product) return skippedInvalidEntity(context);
      const ref = stringifyEntityRef(
        parseEntityRef(product.spec[field], {
          defaultKind: options.defaultKind,
          defaultNamespace: product.metadata.namespace ?? 'default',
        }),
      );
      try {
        const found = await catalog.getEntityByRef(ref, { credentials });
        return outcome(
          found
            ? []
            : [`${entityRef} spec.${field}: ${ref} is not in the catalog`],
        );
      } catch (error) {
        return outcome([
          `${entityRef} spec.${field}: cannot read ${ref} from the catalog: ${messageOf(
            error,
          )}`,
        ]);
      }
    },
  };
}

/** `spec.owner` is an entity in the catalog (`dataMesh.governance.requireOwnerExists`). */
export const ownerExistsPolicy = referenceExistsPolicy({
  id: 'owner-exists',
  title: 'The owner is in the catalog',
  field: 'owner',
  defaultKind: 'group',
  setting: 'requireOwnerExists',
});

/** `spec.domain` is a Domain entity in the catalog (`dataMesh.governance.requireDomainExists`). */
export const domainExistsPolicy = referenceExistsPolicy({
  id: 'domain-exists',
  title: 'The domain is in the catalog',
  field: 'domain',
  defaultKind: 'domain',
  setting: 'requireDomainExists',
});
