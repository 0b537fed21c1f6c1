// REST API types of POST /api/data-mesh/validate, shared by the backend, the scaffolder actions
// and the frontend.
import { Entity } from '@backstage/catalog-model';

/** @public */
export type PolicyStatus = 'passed' | 'failed' | 'warning' | 'skipped';

/** The outcome of one governance check (schema, owner exists, naming, breaking change, ...). @public */
export interface PolicyResult {
  /** Stable id, e.g. `schema`, `owner-exists`, `naming`, `classification`, `breaking-change`. */
  id: string;
  /** What the policy checks, in words. */
  title: string;
  status: PolicyStatus;
  /** Why it failed or warned, each naming the entity and the field; empty when it passed. */
  messages: string[];
}

/**
 * A data product that may not be in the catalogue yet (a template's dry run): the entity and the
 * `odcs` API entities of its contracts. Contracts left out are read from the catalogue.
 * @public
 */
export interface ValidateRequest {
  entity: Entity;
  contracts?: Entity[];
}

/** @public */
export interface ValidationReport {
  entityRef: string;
  /** False when any policy failed; warnings do not block. */
  valid: boolean;
  policies: PolicyResult[];
}
