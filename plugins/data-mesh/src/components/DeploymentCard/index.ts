export { DeploymentCard } from './DeploymentCard';
export type { DeploymentCardProps } from './DeploymentCard';
