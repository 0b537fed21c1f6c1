import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DATA_PRODUCT_TYPES } from '@backstage-data-mesh/plugin-data-mesh-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LocalPublisher } from '../service/LocalPublisher';
import {
  COLUMN_TYPES,
  generateProduct,
  ProductInput,
} from '../service/productFiles';

const columnTypes = Object.keys(COLUMN_TYPES) as [
  keyof typeof COLUMN_TYPES,
  ...(keyof typeof COLUMN_TYPES)[],
];

/**
 * `data-mesh:product:generate`: writes a data product's `catalog-info.yaml` and one ODCS contract
 * per output port into the workspace, from the template's form. YAML is produced by a library
 * from validated values, never by string templating, so no form value can change its structure.
 */
export function createGenerateProductAction(options: {
  publisher?: LocalPublisher;
}) {
  return createTemplateAction({
    id: 'data-mesh:product:generate',
    description:
      "Writes a data product's catalog-info.yaml and the ODCS contract of each output port into the workspace",
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
      const product = generateProduct(input as ProductInput);
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
