import { randomUUID } from 'node:crypto';
import {
  OPENLINEAGE_SCHEMA_URL,
  OpenLineageRunEvent,
} from '@backstage-data-mesh/plugin-data-mesh-common';

const PRODUCER = 'https://github.com/backstage-data-mesh/tests';

export interface DatasetSpec {
  namespace: string;
  name: string;
  fields?: string[];
  /** Output column → `<namespace>|<name>|<field>` sources. */
  columnLineage?: Record<string, Array<[string, string, string]>>;
}

/** A valid OpenLineage RunEvent, as small as the spec allows, with the facets we read. */
export function runEvent(options: {
  job: string;
  jobNamespace?: string;
  inputs?: DatasetSpec[];
  outputs?: DatasetSpec[];
  eventType?: OpenLineageRunEvent['eventType'];
  runId?: string;
  eventTime?: string;
}): OpenLineageRunEvent {
  const facetBase = {
    _producer: PRODUCER,
    _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/Facet.json',
  };
  const dataset = (d: DatasetSpec, output: boolean) => {
    const facets: Record<string, any> = {};
    if (d.fields) {
      facets.schema = {
        ...facetBase,
        fields: d.fields.map(name => ({ name, type: 'text' })),
      };
    }
    if (output && d.columnLineage) {
      facets.columnLineage = {
        ...facetBase,
        fields: Object.fromEntries(
          Object.entries(d.columnLineage).map(([field, sources]) => [
            field,
            {
              inputFields: sources.map(([namespace, name, f]) => ({
                namespace,
                name,
                field: f,
                transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
              })),
            },
          ]),
        ),
      };
    }
    return { namespace: d.namespace, name: d.name, facets };
  };
  return {
    eventType: options.eventType ?? 'COMPLETE',
    eventTime: options.eventTime ?? new Date().toISOString(),
    producer: PRODUCER,
    schemaURL: OPENLINEAGE_SCHEMA_URL,
    run: { runId: options.runId ?? randomUUID() },
    job: { namespace: options.jobNamespace ?? 'tests', name: options.job },
    inputs: (options.inputs ?? []).map(d => dataset(d, false)),
    outputs: (options.outputs ?? []).map(d => dataset(d, true)),
  };
}
