import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';

/**
 * Parses a possibly shorthand entity ref (`sales`, `group:sales-team`) with defaults. Returns
 * undefined for text that is not a ref, so callers can show it as plain text instead of crashing.
 *
 * EntityRefLink ignores `defaultKind` for string refs, which is why refs are parsed here first.
 */
export function parseRefOrUndefined(
  ref: unknown,
  defaultKind: string,
  defaultNamespace = 'default',
): CompoundEntityRef | undefined {
  if (typeof ref !== 'string' || !ref.trim() || /\s/.test(ref.trim())) {
    return undefined;
  }
  try {
    return parseEntityRef(ref.trim(), { defaultKind, defaultNamespace });
  } catch {
    return undefined;
  }
}
