import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { CronTime } from 'cron';
import { PipelineStore } from '../../database/PipelineStore';
import { PipelineRunner } from './PipelineRunner';

/**
 * The next time a cron expression (UTC) fires after `after`; undefined when the expression is
 * not one. The `cron` package is the one Backstage's scheduler uses, so both read cron alike.
 */
export function nextCronTime(schedule: string, after: Date): Date | undefined {
  try {
    return new CronTime(schedule, 'UTC').getNextDateFrom(after).toJSDate();
  } catch {
    return undefined;
  }
}

/**
 * Starts scheduled pipeline runs. It runs as one global Backstage task (one replica at a time)
 * every few seconds: products whose next time has come are claimed in the database (a
 * conditional update, so a claim happens once) and run. A product whose previous run is still
 * going skips that slot. New or changed schedules start counting from now: nothing runs for
 * slots missed while the backend was down.
 */
export class PipelineScheduler {
  constructor(
    private readonly options: {
      store: PipelineStore;
      runner: PipelineRunner;
      logger: LoggerService;
    },
  ) {}

  async dispatch(now = new Date()): Promise<string[]> {
    const { store, runner, logger } = this.options;
    const products = await runner.scheduledProducts();
    const schedules = await store.getSchedules();
    const started: string[] = [];
    for (const { entityRef, schedule } of products) {
      if (!schedule) continue;
      const known = schedules.get(entityRef);
      schedules.delete(entityRef);
      if (!known || known.schedule !== schedule) {
        const next = nextCronTime(schedule, now);
        if (!next) {
          logger.warn(
            `${entityRef}: spec.pipeline.schedule '${schedule}' is not a cron expression; its pipeline is not scheduled`,
          );
          continue;
        }
        await store.putSchedule(entityRef, schedule, next);
        continue;
      }
      if (known.nextRunAt > now) continue;
      const next = nextCronTime(schedule, now)!;
      if (!(await store.claimSchedule(entityRef, known.nextRunAt, next))) {
        continue;
      }
      try {
        await runner.trigger({ entityRef, trigger: 'schedule' });
        started.push(entityRef);
      } catch (error) {
        if (error instanceof ConflictError) {
          logger.info(`${entityRef}: scheduled run skipped, ${error.message}`);
        } else {
          logger.warn(
            `${entityRef}: scheduled run could not start: ${
              (error as Error).message
            }`,
          );
        }
      }
    }
    // Products that no longer declare a schedule.
    for (const entityRef of schedules.keys()) {
      await store.removeSchedule(entityRef);
    }
    return started;
  }
}
