import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { parseRefOrUndefined } from '../../refs';

/**
 * An entity ref as a link to its catalog page. Text that is not a ref (`system` for the
 * platform's own jobs, a free-text approver name) is shown as written.
 */
export function RefLink(props: { value?: string; defaultKind?: string }) {
  const { value, defaultKind = 'user' } = props;
  if (!value) {
    return null;
  }
  // Only full refs become links; a bare word like `system` is not a user called system.
  const ref = value.includes(':')
    ? parseRefOrUndefined(value, defaultKind)
    : undefined;
  return ref ? <EntityRefLink entityRef={ref} /> : <>{value}</>;
}
