// REST API types of /api/data-mesh/agreements (access requests and the agreements they become),
// shared by the backend and the frontend client.
import { JsonObject } from '@backstage/types';

/**
 * The life of an agreement: `requested` → `approved` | `rejected` | `cancelled`; `approved` →
 * `active` (the grant holds and the start date has come) → `expired` | `revoked`. An approved
 * agreement may also be revoked before it becomes active.
 * @public
 */
export type AgreementStatus =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'active'
  | 'expired'
  | 'revoked';

/**
 * Where the warehouse stands for an agreement, apart from the decision: `pending` (to be granted
 * or to be removed), `granted`, `failed` (retried with backoff; see diagnostics), `revoked`.
 * Absent until the agreement is approved.
 * @public
 */
export type GrantState = 'pending' | 'granted' | 'failed' | 'revoked';

/** What a caller may do with an agreement, computed by the backend for that caller. @public */
export type AgreementAction = 'approve' | 'reject' | 'cancel' | 'revoke';

/** @public */
export interface AgreementGrant {
  state: GrantState;
  /** The provider's name for what it granted (e.g. the warehouse role of the consumer). */
  reference?: string;
  /** Why the last attempt failed, as the provider said it. */
  diagnostics?: string;
  attempts: number;
  updatedAt: string;
  /** When a failed grant is tried again. */
  nextAttemptAt?: string;
}

/** The people and groups who decide at one approval level (entity refs). @public */
export interface AgreementDeciders {
  level: number;
  refs: string[];
}

/** An access agreement between a consumer and one output port of a data product. @public */
export interface Agreement {
  id: string;
  /** A user, a group or a data product (entity ref). */
  consumerRef: string;
  dataProductRef: string;
  outputPort: string;
  /** A role of the port's contract (`roles[].role`). */
  role: string;
  purpose: string;
  startsAt: string;
  endsAt?: string;
  contractId: string;
  contractVersion: string;
  status: AgreementStatus;
  /** While `requested`: the approval level that decides next (2 after a first-level approval). */
  approvalLevel: number;
  deciders: AgreementDeciders[];
  grant?: AgreementGrant;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  /** The last decision (approve / reject / cancel / revoke) and who made it. */
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  /** What the caller of the API may do with it now. */
  allowedActions: AgreementAction[];
}

/** @public */
export type AgreementEventAction =
  | 'requested'
  | 'approved'
  | 'approved-first-level'
  | 'auto-approved'
  | 'rejected'
  | 'cancelled'
  | 'activated'
  | 'expiring-soon'
  | 'expired'
  | 'revoked'
  | 'grant-applied'
  | 'grant-failed'
  | 'grant-removed'
  | 'drift-repaired';

/** One append-only audit event of an agreement. @public */
export interface AgreementEvent {
  id: number;
  agreementId: string;
  at: string;
  /** A user ref, or `system` for the platform's own jobs. */
  actor: string;
  action: AgreementEventAction;
  fromStatus?: AgreementStatus;
  toStatus?: AgreementStatus;
  reason?: string;
  details?: JsonObject;
}

/** `GET /agreements/:id` @public */
export interface AgreementWithHistory {
  agreement: Agreement;
  events: AgreementEvent[];
  /**
   * For an active agreement seen by its consumer or the product's owners: how to connect (the
   * public info of the port's last successful deployment) and the warehouse principal to use.
   */
  connection?: JsonObject;
}

/** `POST /agreements`: ask for access to an output port. @public */
export interface AccessRequest {
  /** The data product's entity ref. */
  dataProduct: string;
  outputPort: string;
  /** A role of the port's contract; defaults to its only role. */
  role?: string;
  purpose: string;
  /** Me (default), a group I belong to, or a data product my teams own. */
  consumer?: string;
  /** ISO date-time; defaults to now. */
  startsAt?: string;
  /** ISO date-time, after `startsAt`; or use `durationDays`. */
  endsAt?: string;
  durationDays?: number;
}

/** `POST /agreements/:id/decision` @public */
export interface AgreementDecision {
  decision: 'approve' | 'reject';
  reason?: string;
}

/** `GET /agreements` filters. @public */
export interface AgreementQuery {
  dataProduct?: string;
  outputPort?: string;
  consumer?: string;
  status?: AgreementStatus[];
  /**
   * `inbox`: requests waiting for a decision of mine; `mine`: agreements I requested or whose
   * consumer is me or one of my groups or products.
   */
  view?: 'inbox' | 'mine';
}

/** Differences found between the warehouse and the agreements, for one port. @public */
export interface GrantDrift {
  dataProductRef: string;
  outputPort: string;
  /** Principals that should hold the grant and did not. */
  missing: string[];
  /** Principals holding the grant without an agreement. */
  unexpected: string[];
  repaired: boolean;
  error?: string;
}

/** One run of the reconciliation job. @public */
export interface ReconcileRun {
  id: string;
  startedAt: string;
  finishedAt?: string;
  trigger: 'schedule' | 'manual';
  ports: number;
  agreements: number;
  drift: GrantDrift[];
  status: 'running' | 'succeeded' | 'failed';
  message?: string;
}
