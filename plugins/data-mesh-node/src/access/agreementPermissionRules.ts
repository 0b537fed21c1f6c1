import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  Agreement,
  RESOURCE_TYPE_DATA_MESH_AGREEMENT,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { z } from 'zod';

/**
 * What a permission rule becomes for a list query; the agreement store turns it into SQL.
 * Values are lower-case entity refs (refs compare case-insensitively).
 * @public
 */
export type AgreementFilter =
  | { property: 'requestedBy' | 'consumerRef' | 'status'; values: string[] }
  | { property: 'decider'; values: string[]; currentLevelOnly: boolean };

/** Access agreements as a permission resource of the data-mesh plugin. @public */
export const agreementPermissionResourceRef = createPermissionResourceRef<
  Agreement,
  AgreementFilter
>().with({
  pluginId: 'data-mesh',
  resourceType: RESOURCE_TYPE_DATA_MESH_AGREEMENT,
});

const lower = (refs: string[]) => refs.map(r => r.toLocaleLowerCase('en-US'));
const claimsSchema = z
  .array(z.string())
  .describe('Entity refs of the user: the user and the groups they belong to');

const isRequester = createPermissionRule({
  name: 'IS_REQUESTER',
  description: 'Allow agreements that one of the given users asked for',
  resourceRef: agreementPermissionResourceRef,
  paramsSchema: z.object({ claims: claimsSchema }),
  apply: (agreement, { claims }) =>
    lower(claims).includes(agreement.requestedBy.toLocaleLowerCase('en-US')),
  toQuery: ({ claims }) => ({
    property: 'requestedBy' as const,
    values: lower(claims),
  }),
});

const isConsumer = createPermissionRule({
  name: 'IS_CONSUMER',
  description:
    'Allow agreements whose consumer is one of the given users or groups',
  resourceRef: agreementPermissionResourceRef,
  paramsSchema: z.object({ claims: claimsSchema }),
  apply: (agreement, { claims }) =>
    lower(claims).includes(agreement.consumerRef.toLocaleLowerCase('en-US')),
  toQuery: ({ claims }) => ({
    property: 'consumerRef' as const,
    values: lower(claims),
  }),
});

const isDecider = createPermissionRule({
  name: 'IS_DECIDER',
  description:
    "Allow agreements that one of the given users or groups decides: the product's owners and the contract role's approvers, at the current approval level or at any",
  resourceRef: agreementPermissionResourceRef,
  paramsSchema: z.object({
    claims: claimsSchema,
    currentLevelOnly: z
      .boolean()
      .optional()
      .describe('Only the deciders of the level that decides next'),
  }),
  apply: (agreement, { claims, currentLevelOnly }) => {
    const wanted = lower(claims);
    return agreement.deciders.some(
      d =>
        (!currentLevelOnly || d.level === agreement.approvalLevel) &&
        d.refs.some(ref => wanted.includes(ref.toLocaleLowerCase('en-US'))),
    );
  },
  toQuery: ({ claims, currentLevelOnly }) => ({
    property: 'decider' as const,
    values: lower(claims),
    currentLevelOnly: currentLevelOnly ?? false,
  }),
});

const hasStatus = createPermissionRule({
  name: 'HAS_STATUS',
  description: 'Allow agreements in one of the given statuses',
  resourceRef: agreementPermissionResourceRef,
  paramsSchema: z.object({
    statuses: z.array(z.string()).describe('Agreement statuses'),
  }),
  apply: (agreement, { statuses }) => statuses.includes(agreement.status),
  toQuery: ({ statuses }) => ({
    property: 'status' as const,
    values: statuses,
  }),
});

/** The permission rules of access agreements. @public */
export const agreementPermissionRules = {
  isRequester,
  isConsumer,
  isDecider,
  hasStatus,
};

const exported = createConditionExports({
  resourceRef: agreementPermissionResourceRef,
  rules: agreementPermissionRules,
});

/** Conditions on agreements, for permission policies. @public */
export const agreementConditions = exported.conditions;

/** Wraps agreement conditions into a conditional decision, for permission policies. @public */
export const createAgreementConditionalDecision =
  exported.createConditionalDecision;
