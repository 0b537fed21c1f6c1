import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  PlaceholderResolver,
  PlaceholderResolverParams,
  processingResult,
} from '@backstage/plugin-catalog-node';
import parseGitUrl from 'git-url-parse';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Same check as Backstage's own resolver: a placeholder may not leave the entity's repository. */
function assertSameRepository(resolvedUrl: string, baseUrl: string) {
  let resolved;
  let base;
  try {
    resolved = parseGitUrl(resolvedUrl);
    base = parseGitUrl(baseUrl);
  } catch {
    return;
  }
  if (
    !resolved.owner ||
    !resolved.name ||
    !resolved.filepath ||
    !base.owner ||
    !base.name
  ) {
    return;
  }
  if (
    resolved.resource !== base.resource ||
    resolved.full_name !== base.full_name
  ) {
    throw new Error(
      'Placeholder may only reference files from the same repository as the entity',
    );
  }
}

/**
 * `$text` for every location type. Backstage's built-in resolver forms a URL from the location
 * target, which fails for `file` locations (a plain path); ODCS contracts beside a product's
 * `catalog-info.yaml` are the normal case here (examples, locally published products), so a
 * relative path under a file location is read from disk, never outside the location's folder.
 * URL locations behave exactly as before.
 */
export const textPlaceholderResolver: PlaceholderResolver = async (
  params: PlaceholderResolverParams,
) => {
  const { key, value, baseUrl } = params;
  if (typeof value !== 'string') {
    throw new Error(
      `Placeholder $${key} expected a string value parameter, in the form of an absolute URL or a relative path`,
    );
  }
  if (path.isAbsolute(baseUrl) && !HAS_SCHEME.test(value)) {
    let file: string;
    try {
      file = resolveSafeChildPath(path.dirname(baseUrl), value);
    } catch {
      throw new Error(
        `Placeholder $${key} may only read files in the folder of ${baseUrl} or below it, not ${value}`,
      );
    }
    try {
      return await fs.readFile(file, 'utf8');
    } catch (e) {
      throw new Error(`Placeholder $${key} could not read ${file}, ${e}`);
    }
  }
  let url: string;
  try {
    url = params.resolveUrl(value, baseUrl);
    assertSameRepository(url, baseUrl);
  } catch (e) {
    throw new Error(
      `Placeholder $${key} could not form a URL out of ${baseUrl} and ${value}, ${e}`,
    );
  }
  try {
    const content = (await params.read(url)).toString('utf-8');
    params.emit(processingResult.refresh(`url:${url}`));
    return content;
  } catch (e) {
    throw new Error(
      `Placeholder $${key} could not read location ${value}, ${e}`,
    );
  }
};
