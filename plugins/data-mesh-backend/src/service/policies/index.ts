import { breakingChangePolicy } from './breakingChangePolicy';
import { classificationPolicy } from './classificationPolicy';
import { contractsPolicy } from './contractsPolicy';
import { domainExistsPolicy, ownerExistsPolicy } from './referenceExistsPolicy';
import { namingPolicy } from './namingPolicy';
import { pipelinePolicy } from './pipelinePolicy';
import { providerValidatePolicy } from './providerValidatePolicy';
import { schemaPolicy } from './schemaPolicy';
import { Policy } from './types';
import { upstreamDeployedPolicy } from './upstreamDeployedPolicy';

/** Every governance policy, in report order. */
export const governancePolicies: readonly Policy[] = [
  schemaPolicy,
  contractsPolicy,
  providerValidatePolicy,
  ownerExistsPolicy,
  domainExistsPolicy,
  namingPolicy,
  classificationPolicy,
  breakingChangePolicy,
  upstreamDeployedPolicy,
  pipelinePolicy,
];

export type {
  DeployedContract,
  DeploymentHistory,
  Policy,
  PolicyContext,
  ResolvedPort,
} from './types';
export { readGovernanceSettings } from './settings';
export type { GovernanceSettings } from './settings';
