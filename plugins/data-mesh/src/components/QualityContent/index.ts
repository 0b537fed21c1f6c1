export { QualityContent } from './QualityContent';
export type { QualityContentProps } from './QualityContent';
