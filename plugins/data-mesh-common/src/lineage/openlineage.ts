// OpenLineage 2-0-2 event types (spec/OpenLineage.json), as far as this suite reads them. The
// backend validates every event against the vendored schema; these types describe what passed.
import { JsonObject } from '@backstage/types';

/** @public */
export type OpenLineageEventType =
  | 'START'
  | 'RUNNING'
  | 'COMPLETE'
  | 'ABORT'
  | 'FAIL'
  | 'OTHER';

/** Every facet carries its producer and schema URL. @public */
export interface OpenLineageFacet extends JsonObject {
  _producer: string;
  _schemaURL: string;
}

/** @public */
export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: Record<string, JsonObject>;
  inputFacets?: Record<string, JsonObject>;
  outputFacets?: Record<string, JsonObject>;
}

/** @public */
export interface OpenLineageJob {
  namespace: string;
  name: string;
  facets?: Record<string, JsonObject>;
}

/** @public */
export interface OpenLineageRun {
  runId: string;
  facets?: Record<string, JsonObject>;
}

/** @public */
export interface OpenLineageRunEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  eventType?: OpenLineageEventType;
  run: OpenLineageRun;
  job: OpenLineageJob;
  inputs?: OpenLineageDataset[];
  outputs?: OpenLineageDataset[];
}

/** @public */
export interface OpenLineageDatasetEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  dataset: OpenLineageDataset;
}

/** @public */
export interface OpenLineageJobEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  job: OpenLineageJob;
  inputs?: OpenLineageDataset[];
  outputs?: OpenLineageDataset[];
}

/** @public */
export type OpenLineageEvent =
  | OpenLineageRunEvent
  | OpenLineageDatasetEvent
  | OpenLineageJobEvent;

/** The schema URL this suite's own events declare. @public */
export const OPENLINEAGE_SCHEMA_URL =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** `POST /lineage/batch`'s 200 answer, as OpenLineage.yml defines it. @public */
export interface OpenLineageBatchResponse {
  status: 'success' | 'partial_success';
  summary: {
    received: number;
    successful: number;
    failed: number;
    retriable: number;
    non_retriable: number;
  };
  failed_events: Array<{ index: number; reason: string; retriable: boolean }>;
}
