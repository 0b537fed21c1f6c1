import {
  DataProductEntity,
  OdcsContract,
  QualityCheck,
  QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** @public */
export type QualityLogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/**
 * The checks of one output port to measure in the data platform, with everything needed to find
 * its tables, so that engines never call the catalogue.
 * @public
 */
export interface QualityScanRequest {
  dataProduct: DataProductEntity;
  /** The output port's name. */
  port: string;
  contract: OdcsContract;
  /** The checks to measure: kinds `library`, `sql`, `schema` and the `sla` metrics on data. */
  checks: QualityCheck[];
  /** The instant ages (freshness, retention) are measured from. */
  now: Date;
  /** Aborted when the scan's timeout passes. */
  signal: AbortSignal;
  log(level: QualityLogLevel, message: string): void;
}

/** @public */
export interface QualityScanResult {
  /** One per requested check, in any order. */
  measurements: QualityMeasurement[];
  /** Queries sent to the warehouse, to show that checks of a table share one scan. */
  queries: number;
}

/**
 * Measures a port's quality checks inside a data platform: the built-in PostgreSQL module compiles
 * every aggregate check of a table into one scan, read-only, under the product's owner role.
 * A port's checks run on the engine whose id is the port's provider.
 * @public
 */
export interface QualityEngine {
  readonly id: string;
  scan(request: QualityScanRequest): Promise<QualityScanResult>;
}
