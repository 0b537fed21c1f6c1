import { DataProductType } from '@backstage-data-mesh/plugin-data-mesh-common';

const PRODUCT_TYPE_LABELS: Record<DataProductType, string> = {
  sourceAligned: 'Source-aligned',
  aggregate: 'Aggregate',
  consumerAligned: 'Consumer-aligned',
};

/** The ODPS product type in words, e.g. `sourceAligned` → "Source-aligned"; unknown values are shown as is. */
export function productTypeLabel(type: unknown): string {
  if (typeof type !== 'string') {
    return '';
  }
  return PRODUCT_TYPE_LABELS[type as DataProductType] ?? type;
}
