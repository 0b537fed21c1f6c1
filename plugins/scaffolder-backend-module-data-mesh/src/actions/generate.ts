import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DATA_PRODUCT_TYPES,
  formatProblems,
  parseOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LocalPublisher } from '../service/LocalPublisher';
import {
  COLUMN_TYPES,
  generateProduct,
  ProductInput,
  UpstreamContract,
  WarehouseLocation,
} from '../service/productFiles';

const columnTypes = Object.keys(COLUMN_TYPES) as [
  keyof typeof COLUMN_TYPES,
  ...(keyof typeof COLUMN_TYPES)[],
];

/**
 * The ODCS contract `contractId` (the name of its `API` entity), read from the catalogue as the
 * person running the template; a problem in words when it is missing, unreadable or invalid.
 */
export async function readUpstreamContract(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  contractId: string,
): Promise<UpstreamContract> {
  const ref = `api:default/${contractId}`;
  let entity;
  try {
    entity = await catalog.getEntityByRef(ref, { credentials });
  } catch (error) {
    return {
      problem: `${ref} could not be read from the catalogue: ${
        (error as Error).message
      }`,
    };
  }
  if (!entity) return { problem: `${ref} is not in the catalogue` };
  const spec = entity.spec as { type?: unknown; definition?: unknown };
  if (spec?.type !== 'odcs') {
    return {
      problem: `${ref} is not an odcs API (type ${String(spec?.type)})`,
    };
  }
  const parsed = parseOdcsContract(spec.definition, 'spec.definition');
  if (!parsed.contract) {
    return {
      problem: `${ref} is not a valid ODCS contract: ${formatProblems(
        parsed.problems,
      )}`,
    };
  }
  return { contract: parsed.contract };
}

/**
 * `data-mesh:product:generate`: writes a data product's `catalog-info.yaml`, one ODCS contract
 * per output port and the SQL of its pipeline (one step per port) into the workspace, from the
 * template's form. YAML is produced by a library from validated values, never by string
 * templating, so no form value can change its structure. With input ports, the pipeline reads the
 * first one's table, learnt from its contract in the catalogue (`catalog`, read as the person
 * running the template); without them, or without the catalogue, the SQL is a placeholder.
 */
export function createGenerateProductAction(options: {
  publisher?: LocalPublisher;
  catalog?: CatalogService;
  /** The warehouse named in each contract's `servers`; defaults to localhost:5432/warehouse. */
  warehouse?: Partial<WarehouseLocation>;
}) {
  return createTemplateAction({
    id: 'data-mesh:product:generate',
    description:
      "Writes a data product's catalog-info.yaml, the ODCS contract of each output port and its pipeline's SQL into the workspace",
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('metadata.name of the product'),
        title: z => z.string().optional(),
        description: z => z.string().min(1),
        usage: z => z.string().optional(),
        limitations: z => z.string().optional(),
        domain: z => z.string().describe('Domain ref or name'),
        owner: z => z.string().describe('Owning group ref'),
        type: z => z.enum(DATA_PRODUCT_TYPES),
        lifecycle: z => z.string().optional(),
        tags: z => z.array(z.string()).optional(),
        classification: z =>
          z
            .string()
            .optional()
            .describe('Classification of columns that set none'),
        outputPorts: z =>
          z
            .array(
              z.object({
                name: z.string(),
                description: z.string().optional(),
                columns: z
                  .array(
                    z.object({
                      name: z.string(),
                      type: z.enum(columnTypes),
                      physicalType: z.string().optional(),
                      description: z.string().optional(),
                      required: z.boolean().optional(),
                      unique: z.boolean().optional(),
                      primaryKey: z.boolean().optional(),
                      classification: z.string().optional(),
                    }),
                  )
                  .min(1),
              }),
            )
            .min(1),
        inputPorts: z =>
          z
            .array(
              z.object({
                dataProduct: z.string(),
                outputPort: z.string(),
                contractId: z.string(),
              }),
            )
            .optional(),
        slo: z =>
          z
            .object({
              freshnessHours: z.number().positive().optional(),
              frequency: z
                .enum(['hourly', 'daily', 'weekly', 'monthly'])
                .optional(),
              availabilityPercent: z.number().min(0).max(100).optional(),
              retentionDays: z.number().int().positive().optional(),
            })
            .optional(),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder in the workspace to write to (default: its root)',
            ),
      },
      output: {
        entityRef: z => z.string(),
        contractRefs: z => z.array(z.string()),
        files: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const { targetPath, ...input } = ctx.input;
      const firstInput = input.inputPorts?.[0];
      let upstream: UpstreamContract | undefined;
      if (firstInput && options.catalog) {
        upstream = await readUpstreamContract(
          options.catalog,
          await ctx.getInitiatorCredentials(),
          firstInput.contractId,
        );
        if ('problem' in upstream) {
          ctx.logger.warn(
            `The pipeline's SQL is a placeholder: ${upstream.problem}`,
          );
        }
      }
      const product = generateProduct(input as ProductInput, {
        warehouse: options.warehouse,
        upstream,
      });
      // Fails early (also in a dry run) when the name is taken by another product.
      await options.publisher?.assertNameFree(product.entityRef, input.name);

      const root = path.resolve(ctx.workspacePath, targetPath ?? '.');
      if (
        !`${root}${path.sep}`.startsWith(
          `${path.resolve(ctx.workspacePath)}${path.sep}`,
        )
      ) {
        throw new Error(`targetPath: ${targetPath} is outside the workspace`);
      }
      for (const file of product.files) {
        const full = path.join(root, file.path);
        await fs.mkdir(path.dirname(full), { recursive: true });
        await fs.writeFile(full, file.content, 'utf8');
        ctx.logger.info(`wrote ${path.relative(ctx.workspacePath, full)}`);
      }
      ctx.output('entityRef', product.entityRef);
      ctx.output(
        'contractRefs',
        product.contracts.map(c => `api:default/${c.metadata.name}`),
      );
      ctx.output(
        'files',
        product.files.map(f => f.path),
      );
    },
  });
}
