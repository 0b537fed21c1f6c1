export { PipelineCard } from './PipelineCard';
export type { PipelineCardProps } from './PipelineCard';
