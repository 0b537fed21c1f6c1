export { ProductHealthCell } from './ProductHealthCell';
export { HealthBatchLoader } from './HealthBatchLoader';
export { useProductHealth } from './useProductHealth';
