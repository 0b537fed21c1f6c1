export { LineageContent } from './LineageContent';
export { LineageGraphView } from './LineageGraphView';
export type {
  LineageGraphViewProps,
  LineageLayoutInfo,
} from './LineageGraphView';
export { createLayoutEngine } from './layout/elkEngine';
export type { LayoutThread, LineageLayoutEngine } from './layout/elkEngine';
