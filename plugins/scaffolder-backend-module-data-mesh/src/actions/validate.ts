import { isChildPath } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DataMeshBackendClient } from '../service/DataMeshBackendClient';
import { readProduct } from '../service/productFiles';

const MARK = { passed: '✔', warning: '⚠', failed: '✘', skipped: '–' };

/**
 * `data-mesh:product:validate`: sends the product in the workspace (not yet in the catalogue)
 * to the data-mesh backend's governance policies and writes each result to the task log.
 * Works in a template's dry run, so authors see the policies before creating anything.
 */
export function createValidateProductAction(options: {
  client: DataMeshBackendClient;
}) {
  return createTemplateAction({
    id: 'data-mesh:product:validate',
    description:
      'Checks a data product in the workspace against the platform governance policies',
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .optional()
            .describe('Folder in the workspace holding catalog-info.yaml'),
        failOnError: z =>
          z
            .boolean()
            .optional()
            .describe('Fail the step when a policy fails (default true)'),
      },
      output: {
        valid: z => z.boolean(),
        entityRef: z => z.string(),
        policies: z =>
          z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              status: z.string(),
              messages: z.array(z.string()),
            }),
          ),
      },
    },
    async handler(ctx) {
      const root = path.resolve(ctx.workspacePath, ctx.input.path ?? '.');
      if (!isChildPath(ctx.workspacePath, root)) {
        throw new InputError(
          `path: ${ctx.input.path} is outside the workspace`,
        );
      }
      // `$text` contract files too: only beside catalog-info.yaml or below, as the catalogue reads them.
      const read = async (file: string) => {
        const full = path.resolve(root, file);
        if (!isChildPath(root, full)) {
          throw new InputError(`${file} is outside the product folder`);
        }
        return fs.readFile(full, 'utf8');
      };
      const { entity, contracts } = await readProduct(
        await read('catalog-info.yaml'),
        read,
      );
      const report = await options.client.validate(
        await ctx.getInitiatorCredentials(),
        { entity, contracts },
      );
      for (const policy of report.policies) {
        const line = `${MARK[policy.status]} ${policy.title}${
          policy.messages.length ? `: ${policy.messages.join('; ')}` : ''
        }`;
        if (policy.status === 'failed') ctx.logger.error(line);
        else if (policy.status === 'warning') ctx.logger.warn(line);
        else ctx.logger.info(line);
      }
      ctx.output('valid', report.valid);
      ctx.output('entityRef', report.entityRef || stringifyEntityRef(entity));
      ctx.output('policies', report.policies);
      if (!report.valid && ctx.input.failOnError !== false) {
        const failed = report.policies.filter(p => p.status === 'failed');
        throw new Error(
          `${report.entityRef} fails ${failed.length} polic${
            failed.length === 1 ? 'y' : 'ies'
          }: ${failed
            .map(p => `${p.id} (${p.messages.join('; ')})`)
            .join('; ')}`,
        );
      }
    },
  });
}
