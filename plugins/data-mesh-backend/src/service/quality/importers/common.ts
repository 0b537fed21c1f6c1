// Small helpers the importers share. The importers read JSON that arrived from outside, so every
// value is `unknown` until a helper has looked at it.
import { InputError } from '@backstage/errors';

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-blank string, trimmed; anything else is undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A finite number, or a string that is exactly one ("999", " 0.5 "); else undefined. */
export function numeric(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A count: a finite number that is not negative. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : undefined;
}

/**
 * A timestamp as ISO 8601 in UTC (`2021-08-25T11:00:25.277Z`): the store orders results by it,
 * so every importer hands over the same form. Microseconds are cut to milliseconds. Anything
 * that is not a date with a time zone (placeholders such as `{{RUN_START_TIME}}`) is undefined.
 */
export function isoTime(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  // A date-time needs an offset or Z: a naive time would be read in the server's zone.
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(
      raw,
    )
  ) {
    return undefined;
  }
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Makes names unique within one import, the way check keys are (`<name>`, `<name>.2`, ...), so
 * that two external checks never share a history line.
 */
export class UniqueNames {
  private readonly seen = new Map<string, number>();

  take(name: string): string {
    const n = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, n);
    return n === 1 ? name : `${name}.${n}`;
  }
}

/** The problems found in a body, thrown together as one InputError that names each field. */
export class Problems {
  private readonly list: string[] = [];

  add(path: string, message: string) {
    this.list.push(`${path}: ${message}`);
  }

  get size() {
    return this.list.length;
  }

  /** Throws if anything was found: at most ten problems are spelled out. */
  throwIfAny() {
    if (this.list.length === 0) return;
    const shown = this.list.slice(0, 10);
    const more = this.list.length - shown.length;
    throw new InputError(
      `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
    );
  }
}

/** `field` must be absent, null or a string. */
export function optionalString(
  problems: Problems,
  record: Record<string, unknown>,
  field: string,
  path: string,
) {
  const value = record[field];
  if (value !== undefined && value !== null && typeof value !== 'string') {
    problems.add(`${path}${field}`, `must be a string (got ${typeOf(value)})`);
  }
}

/** The JSON type of a value, for messages. */
export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${
    shown.length > 80 ? `${shown.slice(0, 79)}…` : shown
  }`;
}

/** A record's own entry: names from outside must not reach `constructor` and friends. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key)
    ? record[key]
    : undefined;
}
