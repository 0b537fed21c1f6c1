export { DomainView } from './DomainView';
export type { DomainViewProps } from './DomainView';
export { DomainGraphView } from './DomainGraphView';
export type { DomainGraphViewProps } from './DomainGraphView';
