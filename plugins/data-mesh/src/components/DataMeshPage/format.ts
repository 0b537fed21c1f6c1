import {
  DiscoveryAccess,
  DiscoveryMatch,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { parseRefOrUndefined } from '../../refs';

/**
 * An entity ref in words: its label when the backend gave one, else its name (with the
 * namespace when it is not `default`). Text that is not a ref is shown as is.
 */
export function refLabel(
  value: string,
  labels?: ReadonlyMap<string, string>,
): string {
  const label = labels?.get(value);
  if (label) return label;
  const ref = parseRefOrUndefined(value, 'group');
  if (!ref) return value;
  return ref.namespace === 'default'
    ? ref.name
    : `${ref.namespace}/${ref.name}`;
}

/** What the signed-in user may do with a product, as its chip says; nothing for no access. */
export const ACCESS_LABELS: Record<DiscoveryAccess, string> = {
  owner: 'Owner',
  granted: 'Access granted',
  requested: 'Requested',
  none: 'No access',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "updated 5 min ago", "updated 3 h ago", "updated 2 days ago"; undefined without a time. */
export function updatedAgo(
  iso: string | undefined,
  now = Date.now(),
): string | undefined {
  if (!iso) return undefined;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return undefined;
  const ago = Math.max(0, now - at);
  if (ago < MINUTE) return 'updated just now';
  if (ago < HOUR) return `updated ${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `updated ${Math.floor(ago / HOUR)} h ago`;
  const days = Math.floor(ago / DAY);
  return `updated ${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/**
 * Why a product matched the text, in words: "matched column customer_email in
 * transactions.receipts". Matches of the name or title say nothing the title does not, so none.
 */
export function matchText(match: DiscoveryMatch): string | undefined {
  switch (match.field) {
    case 'column':
      return match.where
        ? `matched column ${match.value} in ${match.where}`
        : `matched column ${match.value}`;
    case 'port':
      return `matched port ${match.value}`;
    case 'tag':
      return `matched tag ${match.value}`;
    case 'description':
      return 'matched the description';
    default:
      return undefined;
  }
}

/** The texts of a product's matches, without repeats, at most `max` of them. */
export function matchTexts(
  matches: DiscoveryMatch[] | undefined,
  max = 3,
): { shown: string[]; more: number } {
  const texts = [
    ...new Set((matches ?? []).map(matchText).filter(Boolean) as string[]),
  ];
  return { shown: texts.slice(0, max), more: Math.max(0, texts.length - max) };
}

// One formatter for the page: toLocaleString builds a new one on every call, which adds up to
// milliseconds over a page of 50 products.
const NUMBER_FORMAT = new Intl.NumberFormat('en-US');

/** 1234 → "1,234". */
export function count(value: number): string {
  return NUMBER_FORMAT.format(value);
}

/** "1 consumer", "3 consumers". */
export function plural(value: number, one: string, many = `${one}s`): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}
