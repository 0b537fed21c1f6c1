import { Duration } from 'luxon';
import { nextCronTime } from '../pipelines/PipelineScheduler';
import { outcome, Policy, skipped, skippedInvalidEntity } from './types';

/**
 * A declared pipeline can run: its schedule is a cron expression, its timeout an ISO duration,
 * and every step writes a table that its port's contract declares.
 */
export const pipelinePolicy: Policy = {
  id: 'pipeline',
  title: 'The pipeline has a valid schedule and writes tables of its ports',
  async check(context) {
    const { entityRef, product, ports } = context;
    if (!product) return skippedInvalidEntity(context);
    const pipeline = product.spec.pipeline;
    if (!pipeline) return skipped(`${entityRef}: declares no pipeline`);
    const failures: string[] = [];
    if (
      pipeline.schedule !== undefined &&
      !nextCronTime(pipeline.schedule, new Date())
    ) {
      failures.push(
        `${entityRef} spec.pipeline.schedule: '${pipeline.schedule}' is not a cron expression (5 fields, e.g. '0 * * * *')`,
      );
    }
    if (pipeline.timeout !== undefined) {
      const ms = Duration.fromISO(pipeline.timeout).as('milliseconds');
      if (!Number.isFinite(ms) || ms <= 0) {
        failures.push(
          `${entityRef} spec.pipeline.timeout: '${pipeline.timeout}' is not an ISO 8601 duration such as PT10M`,
        );
      }
    }
    pipeline.steps.forEach((step, i) => {
      const port = ports.find(p => p.port.name === step.port);
      // An unknown port is already a schema problem of the entity.
      if (!port?.contract) return;
      const tables = (port.contract.schema ?? []).flatMap(t => [
        t.name,
        ...(t.physicalName ? [t.physicalName] : []),
      ]);
      if (!tables.includes(step.table)) {
        failures.push(
          `${entityRef} spec.pipeline.steps[${i}].table: '${
            step.table
          }' is not a table of output port '${step.port}' (${
            (port.contract.schema ?? []).map(t => t.name).join(', ') || 'none'
          })`,
        );
      }
    });
    return outcome(failures);
  },
};
