import type { LineageProvenance } from '../../api';

// Health colours and their order come from the palette the health chips use, so the graph, the
// Quality tab, the health card and the catalogue agree. The nodes keep their own light badge
// rather than the chip: a graph has up to a thousand of them, in boxes of a fixed size.
export { HEALTH_ORDER, healthColor } from '../HealthChip/healthStatus';

export const PROVENANCE_LABELS: Record<LineageProvenance, string> = {
  declared: 'Declared (input port)',
  observed: 'Observed (runs)',
  both: 'Declared and observed',
};
