import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

const CONFIG_KEY = 'search.collators.dataMesh';

/** Every 10 minutes, as the catalogue's collator; the first run a few seconds after start. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 5 },
};

/** `search.collators.dataMesh.schedule`, else {@link DEFAULT_SCHEDULE}. */
export function readScheduleConfig(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  const schedule = config.getOptionalConfig(`${CONFIG_KEY}.schedule`);
  if (!schedule) return DEFAULT_SCHEDULE;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule);
  } catch (error) {
    throw new InputError(
      `Invalid schedule at ${CONFIG_KEY}.schedule: ${(error as Error).message}`,
    );
  }
}
