import { isChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import { LocalPublisher } from '../service/LocalPublisher';

/**
 * `data-mesh:publish:local`: copies the generated repository to the configured folder that the
 * catalogue reads, and waits until the catalogue has the product. For machines without a source
 * control host; production templates use `publish:github` and `catalog:register` instead.
 */
export function createPublishLocalAction(options: {
  publisher: LocalPublisher;
}) {
  return createTemplateAction({
    id: 'data-mesh:publish:local',
    description:
      'Publishes the workspace to the local data product folder and registers it in the catalogue',
    schema: {
      input: {
        name: z =>
          z.string().describe('Folder name, normally the product name'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('Folder in the workspace to publish (default: its root)'),
      },
      output: {
        path: z => z.string(),
        entityRef: z => z.string(),
        locationTarget: z => z.string(),
      },
    },
    async handler(ctx) {
      const source = path.resolve(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      if (!isChildPath(ctx.workspacePath, source)) {
        throw new InputError(
          `sourcePath: ${ctx.input.sourcePath} is outside the workspace`,
        );
      }
      // Publishing is repeatable (same product, same folder), so a recovered task may redo it;
      // the checkpoint only saves the wait for the catalogue.
      const result = await ctx.checkpoint({
        key: `data-mesh-publish-${ctx.input.name}`,
        fn: async () => {
          const published = await options.publisher.publish(
            source,
            ctx.input.name,
            ctx.logger,
          );
          return { ...published };
        },
      });
      ctx.output('path', result.path);
      ctx.output('entityRef', result.entityRef);
      ctx.output('locationTarget', result.locationTarget);
    },
  });
}
