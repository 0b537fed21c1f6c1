import {
  DataProductEntity,
  DataProductPipelineStep,
  LineageName,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** A line of a pipeline run's log. @public */
export type PipelineLogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/**
 * One step of a product's pipeline to execute, with everything needed to run it and to name what
 * it reads and writes, so that engines never call the catalogue.
 * @public
 */
export interface PipelineStepRequest {
  dataProduct: DataProductEntity;
  step: DataProductPipelineStep;
  /** Contracts of the product's output ports, by port name. */
  contracts: Record<string, OdcsContract>;
  /**
   * Contracts of the output ports the product declares as inputs, by input port name: the engine
   * names what the step read after them (a table of one of them is that port's dataset).
   */
  upstreamContracts: Record<string, OdcsContract>;
  /** Aborted when the run's timeout passes; the engine rolls the step back. */
  signal: AbortSignal;
  log(level: PipelineLogLevel, message: string): void;
}

/** A dataset a step read or wrote, named per the OpenLineage naming spec. @public */
export interface PipelineDataset extends LineageName {
  /** Columns and their types, as the engine sees them (the OpenLineage `schema` facet). */
  fields?: Array<{ name: string; type?: string }>;
}

/** Where one output column came from (the OpenLineage `columnLineage` facet). @public */
export interface PipelineColumnSource extends LineageName {
  field: string;
  /** `DIRECT` (the value is copied or computed from it) or `INDIRECT` (it filters, joins, groups). */
  type: 'DIRECT' | 'INDIRECT';
  subtype?: string;
}

/** @public */
export interface PipelineStepResult {
  status: 'COMPLETED' | 'FAILED';
  /** Why it failed, in words. */
  message?: string;
  /** The statement(s) run, for the OpenLineage `sql` facet. */
  sql: string;
  rowsWritten?: number;
  inputs: PipelineDataset[];
  /** The table written (also named on failure, so that the failed run is attached to it). */
  output?: PipelineDataset;
  /** Output column → its sources. */
  columnLineage?: Record<string, PipelineColumnSource[]>;
}

/**
 * Runs pipeline steps inside a data platform: the built-in PostgreSQL module runs them in the
 * warehouse under the product's role. A step runs on the engine whose id is the provider of the
 * port it writes. Every step is one transaction: it writes all its rows or none.
 * @public
 */
export interface PipelineEngine {
  readonly id: string;
  runStep(request: PipelineStepRequest): Promise<PipelineStepResult>;
}
