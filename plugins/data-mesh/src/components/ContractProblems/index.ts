export { ContractProblems } from './ContractProblems';
