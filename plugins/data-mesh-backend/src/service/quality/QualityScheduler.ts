import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { QualityStore, scheduleKey } from '../../database/QualityStore';
import { nextCronTime } from '../pipelines/PipelineScheduler';
import { QualityService } from './QualityService';

/**
 * Starts scheduled check runs, as the pipeline dispatcher does: one global Backstage task claims
 * the ports whose time has come (a conditional update, so each slot runs once across replicas).
 * New or changed schedules count from now; slots missed while down are not made up.
 */
export class QualityScheduler {
  constructor(
    private readonly options: {
      store: QualityStore;
      quality: QualityService;
      logger: LoggerService;
    },
  ) {}

  async dispatch(now = new Date()): Promise<string[]> {
    const { store, quality, logger } = this.options;
    const ports = await quality.scheduledPorts();
    const schedules = await store.getSchedules();
    const started: string[] = [];
    for (const { entityRef, port, schedule } of ports) {
      const key = scheduleKey(entityRef, port);
      const known = schedules.get(key);
      schedules.delete(key);
      if (!known || known.schedule !== schedule) {
        const next = nextCronTime(schedule, now);
        if (!next) {
          logger.warn(
            `${entityRef} ${port}: quality schedule '${schedule}' is not a cron expression; its checks are not scheduled`,
          );
          continue;
        }
        await store.putSchedule(entityRef, port, schedule, next);
        continue;
      }
      if (known.nextRunAt > now) continue;
      const next = nextCronTime(schedule, now)!;
      if (
        !(await store.claimSchedule(entityRef, port, known.nextRunAt, next))
      ) {
        continue;
      }
      try {
        await quality.trigger({ entityRef, port, trigger: 'schedule' });
        started.push(`${entityRef}#${port}`);
      } catch (error) {
        if (error instanceof ConflictError) {
          logger.info(
            `${entityRef} ${port}: scheduled checks skipped, ${error.message}`,
          );
        } else {
          logger.warn(
            `${entityRef} ${port}: scheduled checks could not start: ${
              (error as Error).message
            }`,
          );
        }
      }
    }
    for (const key of schedules.keys()) {
      const [entityRef, port] = key.split('\u0000');
      await store.removeSchedule(entityRef, port);
    }
    return started;
  }
}
