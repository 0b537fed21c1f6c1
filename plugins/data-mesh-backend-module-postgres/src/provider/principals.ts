import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { checkIdentifier } from './identifiers';

/** How Backstage principals become warehouse roles. @public */
export interface PrincipalMappingOptions {
  /**
   * Role name template with `{kind}`, `{namespace}` and `{name}`; each value is lower-cased and
   * every character outside `[a-z0-9_]` becomes `_`. Default `dm_{kind}_{name}`.
   */
  template?: string;
  /** Explicit roles for some principals (entity ref → role), e.g. a group's existing role. */
  mapping?: Record<string, string>;
}

export const DEFAULT_PRINCIPAL_TEMPLATE = 'dm_{kind}_{name}';

const PLACEHOLDER = /\{(kind|namespace|name)\}/g;

function sanitize(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Maps entity refs to role names and back, by configuration. */
export class PrincipalMapper {
  readonly template: string;
  private readonly mapping: Map<string, string>;
  private readonly reverse: Map<string, string>;
  private readonly pattern: RegExp;
  private readonly groups: string[];

  constructor(options: PrincipalMappingOptions = {}) {
    this.template = options.template ?? DEFAULT_PRINCIPAL_TEMPLATE;
    if (!this.template.includes('{name}')) {
      throw new Error(
        `dataMesh.providers.postgres.principals.template: '${this.template}' must contain {name}`,
      );
    }
    const unknown = this.template.replace(PLACEHOLDER, '').match(/[{}]/);
    if (unknown) {
      throw new Error(
        `dataMesh.providers.postgres.principals.template: '${this.template}' may only use {kind}, {namespace} and {name}`,
      );
    }
    this.mapping = new Map();
    this.reverse = new Map();
    for (const [ref, role] of Object.entries(options.mapping ?? {})) {
      const field = `dataMesh.providers.postgres.principals.mapping['${ref}']`;
      const checked = checkIdentifier(role, field, 'role');
      if ('error' in checked) throw new Error(checked.error);
      const normalized = stringifyEntityRef(parseEntityRef(ref));
      this.mapping.set(normalized, checked.name);
      this.reverse.set(checked.name, normalized);
    }
    // Reversing the template: literal parts must match exactly; kind and namespace are taken
    // shortest-first so that underscores fall into the name.
    this.groups = [];
    let source = '';
    let last = 0;
    for (const m of this.template.matchAll(PLACEHOLDER)) {
      source += escapeRegExp(this.template.slice(last, m.index).toLowerCase());
      source += m[1] === 'name' ? '([a-z0-9_]+)' : '([a-z0-9_]+?)';
      this.groups.push(m[1]);
      last = m.index! + m[0].length;
    }
    source += escapeRegExp(this.template.slice(last).toLowerCase());
    this.pattern = new RegExp(`^${source}$`);
  }

  /** The role of one principal; `field` names the input in errors. */
  toRole(
    principal: string,
    field: string,
  ): { role: string } | { error: string } {
    let ref;
    try {
      ref = parseEntityRef(principal);
    } catch {
      return {
        error: `${field}: '${principal}' is not an entity ref like user:default/alice`,
      };
    }
    const explicit = this.mapping.get(stringifyEntityRef(ref));
    if (explicit) return { role: explicit };
    const role = this.template.replace(PLACEHOLDER, (_, key: string) =>
      sanitize(ref[key as 'kind' | 'namespace' | 'name']),
    );
    const checked = checkIdentifier(role, field, 'role');
    return 'error' in checked
      ? { error: `${checked.error} (mapped from '${principal}')` }
      : { role: checked.name };
  }

  /**
   * The principal behind a role, for listGrants: an explicit mapping, else the entity ref this
   * provider stored as the role's comment when it created it, else the template read backwards
   * (lossy: `-` and `.` come back as `_`), else the role name itself.
   */
  toPrincipal(role: string, comment?: string | null): string {
    const explicit = this.reverse.get(role);
    if (explicit) return explicit;
    if (comment) {
      const mapped = this.toRole(comment, 'comment');
      if ('role' in mapped && mapped.role === role) {
        return stringifyEntityRef(parseEntityRef(comment));
      }
    }
    const m = this.pattern.exec(role);
    if (m) {
      const parts: Record<string, string> = { namespace: 'default' };
      this.groups.forEach((key, i) => {
        parts[key] = m[i + 1];
      });
      if (parts.kind) {
        return `${parts.kind}:${parts.namespace}/${parts.name}`;
      }
    }
    return role;
  }
}
