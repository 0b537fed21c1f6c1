import { Agreement, AgreementEventAction } from '../../api';

/** A date without the time, in the reader's locale; the text as is when it is not a date. */
export function formatDate(iso?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString();
}

/** A point in time in the reader's locale. */
export function formatDateTime(iso?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "1/3/2025 – 30/5/2025", or "from 1/3/2025, no end date". */
export function formatPeriod(agreement: Agreement): string {
  const start = formatDate(agreement.startsAt);
  return agreement.endsAt
    ? `${start} – ${formatDate(agreement.endsAt)}`
    : `from ${start}, no end date`;
}

const EVENT_LABELS: Record<AgreementEventAction, string> = {
  requested: 'Requested',
  approved: 'Approved',
  'approved-first-level': 'Approved at the first level',
  'auto-approved': 'Approved automatically',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  activated: 'Activated',
  'expiring-soon': 'Expiring soon',
  expired: 'Expired',
  revoked: 'Revoked',
  'grant-applied': 'Grant applied',
  'grant-failed': 'Grant failed',
  'grant-removed': 'Grant removed',
  'drift-repaired': 'Drift repaired',
};

/** An audit event's action in words; unknown actions (a newer backend) are shown as sent. */
export function eventLabel(action: string): string {
  return EVENT_LABELS[action as AgreementEventAction] ?? action;
}

/**
 * What the server said went wrong. ResponseError's own message is only the HTTP status
 * ("Request failed with 409 Conflict"); the server's explanation is its cause.
 */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const { name, message, cause } = error as {
      name?: string;
      message?: string;
      cause?: { message?: string };
    };
    if (name === 'ResponseError' && cause?.message) {
      return cause.message;
    }
    if (message) return message;
  }
  return String(error);
}

/** The HTTP status of a ResponseError, if it is one. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
