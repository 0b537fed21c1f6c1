import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CustomProperty,
  DataProductEntity,
  DataProductStatus,
} from '../entity/DataProductEntity';
import { OdpsVersion } from './odpsSchemas';

/** @public */
export interface ToOdpsOptions {
  /** Defaults to `v1.1.0`, the newest approved ODPS. */
  apiVersion?: OdpsVersion;
}

type Json = Record<string, unknown>;

const LIFECYCLE_TO_STATUS: Record<string, DataProductStatus> = {
  experimental: 'draft',
  production: 'active',
  deprecated: 'deprecated',
};

/** Drops undefined values and empty arrays so the document stays minimal. */
function compact<T extends Json>(object: T): T {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as T;
}

/** v1.0.0 knows no `id` on elements (except input contracts) and none of v1.1's additions. */
function downgradeToV100(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) {
    return value.map(v => downgradeToV100(v, parentKey));
  }
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [key, child] of Object.entries(value as Json)) {
      const keepsId = parentKey === 'inputContracts' || parentKey === undefined;
      if (key === 'id' && !keepsId) continue;
      if (['deprecated', 'synonyms', 'context'].includes(key)) continue;
      out[key] = downgradeToV100(child, key);
    }
    return out;
  }
  return value;
}

/**
 * Exports a DataProduct entity as an ODPS document. Backstage-only fields travel as
 * `customProperties` (`backstageEntityRef`, `backstageOwner`, `backstageLifecycle`, and per input
 * port `dataProduct` / `outputPort`), so nothing is lost.
 * @public
 */
export function toOdps(
  entity: DataProductEntity,
  options: ToOdpsOptions = {},
): Json {
  const apiVersion = options.apiVersion ?? 'v1.1.0';
  const { metadata, spec } = entity;
  const entityRef = stringifyEntityRef(entity);
  const status = spec.status ?? LIFECYCLE_TO_STATUS[spec.lifecycle] ?? 'draft';
  const domain =
    spec.domain.includes(':') || spec.domain.includes('/')
      ? spec.domain.replace(/^.*[:/]/, '')
      : spec.domain;
  const backstageProperties: CustomProperty[] = [
    { property: 'backstageEntityRef', value: entityRef },
    { property: 'backstageOwner', value: spec.owner },
    { property: 'backstageLifecycle', value: spec.lifecycle },
    ...(spec.system
      ? [{ property: 'backstageSystem', value: spec.system }]
      : []),
  ];

  let document: Json = compact({
    apiVersion,
    kind: 'DataProduct',
    id: spec.id ?? metadata.name,
    name: metadata.title ?? metadata.name,
    version: spec.version,
    status,
    domain,
    tenant: spec.tenant,
    type: spec.type,
    deprecated: spec.deprecated,
    synonyms: spec.synonyms,
    context: spec.context,
    description: compact({
      ...spec.description,
      purpose: spec.description?.purpose ?? metadata.description,
    }),
    tags: metadata.tags,
    authoritativeDefinitions: [
      ...(spec.authoritativeDefinitions ?? []),
      ...(metadata.links ?? []).map(link =>
        compact({
          type: link.type ?? 'link',
          url: link.url,
          description: link.title,
        }),
      ),
    ],
    customProperties: [
      ...(spec.customProperties ?? []),
      ...backstageProperties,
    ],
    inputPorts: (spec.inputPorts ?? []).map(
      ({ dataProduct, outputPort, ...port }) =>
        compact({
          ...port,
          // v1.0.0 requires a version on input ports; the upstream contract's is unknown here.
          version:
            port.version ??
            (apiVersion === 'v1.0.0' ? 'unspecified' : undefined),
          customProperties: [
            ...(port.customProperties ?? []),
            { property: 'dataProduct', value: dataProduct },
            { property: 'outputPort', value: outputPort },
          ],
        }),
    ),
    outputPorts: spec.outputPorts.map(port =>
      compact({
        ...port,
        version:
          port.version ??
          (apiVersion === 'v1.0.0' ? spec.version ?? 'unspecified' : undefined),
      }),
    ),
    managementPorts: spec.managementPorts,
    support: spec.support,
    team: spec.team ?? { name: spec.owner.replace(/^.*[:/]/, '') },
    productCreatedTs: spec.productCreatedTs,
  });
  if (apiVersion === 'v1.0.0') {
    const { type: _type, ...rest } = document;
    document = downgradeToV100(rest) as Json;
  }
  return document;
}
