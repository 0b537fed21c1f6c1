import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The data-product collator of Backstage Data Mesh. */
      dataMesh?: {
        /**
         * How often data products are indexed again. Default every 10 minutes, timeout 15
         * minutes, first run 5 seconds after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
