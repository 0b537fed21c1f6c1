import { Config } from '@backstage/config';
import { PipelineRunnerSettings } from './PipelineRunner';

/** `dataMesh.pipelines`, read and defaulted. */
export interface PipelineSettings extends PipelineRunnerSettings {
  dispatchFrequencySeconds: number;
}

export function readPipelineSettings(
  config: Config,
  defaultProvider: string,
): PipelineSettings {
  const c = config.getOptionalConfig('dataMesh.pipelines');
  return {
    jobNamespace: c?.getOptionalString('jobNamespace') ?? 'backstage-data-mesh',
    defaultTimeoutMs:
      (c?.getOptionalNumber('defaultTimeoutMinutes') ?? 30) * 60_000,
    staleAfterMs: (c?.getOptionalNumber('staleAfterSeconds') ?? 120) * 1000,
    dispatchFrequencySeconds:
      c?.getOptionalNumber('dispatchFrequencySeconds') ?? 30,
    defaultProvider,
  };
}
