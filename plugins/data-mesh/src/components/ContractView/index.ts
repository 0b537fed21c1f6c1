export { ContractView } from './ContractView';
export type { ContractViewProps } from './ContractView';
