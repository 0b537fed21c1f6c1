export { LogTable } from './LogTable';
export type { LogLine } from './LogTable';
