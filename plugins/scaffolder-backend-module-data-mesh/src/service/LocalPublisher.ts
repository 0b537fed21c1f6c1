import {
  AuthService,
  isChildPath,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  CatalogService,
  locationSpecToLocationEntity,
} from '@backstage/plugin-catalog-node';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readProduct } from './productFiles';

/** Folder names a published product may have: one path segment, nothing hidden. */
const DIRECTORY_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

// The file an entity was read from (the origin is the glob location itself).
const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Equal as JSON, whatever the key order or the realm the objects were parsed in. */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(
    JSON.parse(JSON.stringify(a ?? null)),
    JSON.parse(JSON.stringify(b ?? null)),
  );
}

export interface PublishResult {
  /** Where the product's repository now lives. */
  path: string;
  /** The catalogue location that reads it. */
  locationTarget: string;
  entityRef: string;
}

/**
 * Publishes a generated repository to a folder on the backend's disk that the catalogue reads
 * (a `file` location whose target is `<dir>/*\/catalog-info.yaml`), for machines without a source
 * control host. Re-publishing the same product replaces its files; a folder holding another
 * product is never overwritten.
 */
export class LocalPublisher {
  readonly dir: string;

  constructor(
    dir: string,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly options: { waitTimeoutMs: number; pollIntervalMs: number },
  ) {
    this.dir = path.resolve(dir);
  }

  /** The catalogue location target operators add to `catalog.locations`. */
  get locationTarget(): string {
    return path.join(this.dir, '*', 'catalog-info.yaml');
  }

  /** The file location of one published product, as the catalogue records its origin. */
  private originOf(directory: string): string {
    return `file:${path.join(this.dir, directory, 'catalog-info.yaml')}`;
  }

  private async credentials() {
    return this.auth.getOwnServiceCredentials();
  }

  /**
   * Refuses an entity ref that the catalogue already has from somewhere else: publishing it
   * again would only produce a conflict the catalogue logs and nobody sees.
   */
  async assertNameFree(entityRef: string, directory: string): Promise<void> {
    const existing = await this.catalog.getEntityByRef(entityRef, {
      credentials: await this.credentials(),
    });
    const origin = existing?.metadata.annotations?.[LOCATION_ANNOTATION];
    if (existing && origin !== this.originOf(directory)) {
      throw new ConflictError(
        `${entityRef} already exists in the catalogue (from ${
          origin ?? 'an unknown location'
        }); choose another name`,
      );
    }
  }

  async publish(
    sourcePath: string,
    directory: string,
    logger: LoggerService,
  ): Promise<PublishResult> {
    if (!DIRECTORY_NAME.test(directory)) {
      throw new InputError(
        `name: '${directory}' cannot be a folder name (lower-case letters, digits, '.', '_' and '-', at most 100)`,
      );
    }
    const source = path.resolve(sourcePath);
    // `$text` files only beside catalog-info.yaml or below, as the catalogue reads them.
    const read = (file: string) => {
      const full = path.resolve(source, file);
      if (!isChildPath(source, full)) {
        throw new InputError(`${file} is outside the product folder`);
      }
      return fs.readFile(full, 'utf8');
    };
    const { entity, contracts } = await readProduct(
      await read('catalog-info.yaml'),
      read,
    );
    const entityRef = stringifyEntityRef(entity);
    await this.assertNameFree(entityRef, directory);

    const target = path.join(this.dir, directory);
    await fs.mkdir(this.dir, { recursive: true });
    if (
      (await exists(target)) &&
      !(await exists(path.join(target, 'catalog-info.yaml')))
    ) {
      throw new ConflictError(
        `${target} exists and holds no catalog-info.yaml; refusing to overwrite it with ${entityRef}`,
      );
    }
    if (await exists(path.join(target, 'catalog-info.yaml'))) {
      const current = await readProduct(
        await fs.readFile(path.join(target, 'catalog-info.yaml'), 'utf8'),
        file => fs.readFile(path.join(target, file), 'utf8'),
      ).catch(() => undefined);
      if (!current || stringifyEntityRef(current.entity) !== entityRef) {
        throw new ConflictError(
          `${target} already holds ${
            current ? stringifyEntityRef(current.entity) : 'something else'
          }; refusing to overwrite it with ${entityRef}`,
        );
      }
      logger.info(`${target} holds ${entityRef}: replacing its files`);
    }

    // Copy beside the target, then swap, so the catalogue never reads a half-written folder.
    const suffix = randomBytes(6).toString('hex');
    const staging = path.join(this.dir, `.staging-${directory}-${suffix}`);
    const previous = path.join(this.dir, `.previous-${directory}-${suffix}`);
    await fs.cp(source, staging, { recursive: true });
    const hadPrevious = await exists(target);
    if (hadPrevious) await fs.rename(target, previous);
    await fs.rename(staging, target);
    if (hadPrevious) await fs.rm(previous, { recursive: true, force: true });
    logger.info(`Published ${entityRef} to ${target}`);

    await this.refreshCatalog(entityRef);
    await this.waitForCatalog(entity, contracts, directory, logger);
    return { path: target, locationTarget: this.locationTarget, entityRef };
  }

  /**
   * Asks the catalogue to read the published folder now instead of at its next cycle. The
   * location comes from config, named as the catalogue names config locations (a glob without
   * matches is not even listed until its first product exists, so it cannot be looked up).
   */
  private async refreshCatalog(entityRef: string) {
    const credentials = await this.credentials();
    const location = locationSpecToLocationEntity({
      location: { type: 'file', target: this.locationTarget },
    });
    await this.catalog.refreshEntity(stringifyEntityRef(location), {
      credentials,
    });
    // An existing product's own file location is refreshed with it.
    if (await this.catalog.getEntityByRef(entityRef, { credentials })) {
      await this.catalog.refreshEntity(entityRef, { credentials });
    }
  }

  /** Waits until the catalogue has the product as published and each of its contracts. */
  private async waitForCatalog(
    entity: Entity,
    contracts: Entity[],
    directory: string,
    logger: LoggerService,
  ) {
    const credentials = await this.credentials();
    const entityRef = stringifyEntityRef(entity);
    const contractRefs = contracts.map(c => stringifyEntityRef(c));
    const deadline = Date.now() + this.options.waitTimeoutMs;
    const started = Date.now();
    let reported = '';
    for (;;) {
      const [product, ...apis] = await Promise.all(
        [entityRef, ...contractRefs].map(ref =>
          this.catalog.getEntityByRef(ref, { credentials }),
        ),
      );
      const current =
        product?.metadata.annotations?.[LOCATION_ANNOTATION] ===
          this.originOf(directory) && sameJson(product.spec, entity.spec);
      const missing = [
        ...(current ? [] : [entityRef]),
        ...contractRefs.filter((_, i) => !apis[i]),
      ];
      if (missing.length === 0) {
        logger.info(
          `${entityRef} is in the catalogue (${Math.round(
            (Date.now() - started) / 1000,
          )} s)`,
        );
        return;
      }
      const waitingFor = missing.join(', ');
      if (waitingFor !== reported) {
        logger.info(`Waiting for the catalogue to read ${waitingFor}`);
        reported = waitingFor;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `The catalogue did not read ${waitingFor} within ${Math.round(
            this.options.waitTimeoutMs / 1000,
          )} s; catalog.locations must have a file location with target ${
            this.locationTarget
          } (see the catalogue's processing errors for ${this.originOf(
            directory,
          )})`,
        );
      }
      await sleep(this.options.pollIntervalMs);
    }
  }
}
