export { LogTable } from './LogTable';
export type { LogLine } from './LogTable';
export { usePolledRun } from './usePolledRun';
