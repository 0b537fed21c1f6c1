// Parsers of quality results produced outside the platform: OpenLineage quality facets,
// datacontract-cli test runs and dbt run results. Pure functions: matching the results to a
// port's contract checks is the QualityService's job.
export {
  qualityResultsFromOpenLineage,
  resultsFromImportedMetrics,
} from './openLineageQuality';
export type {
  ImportedMetric,
  ImportedMetricName,
  OpenLineageDatasetQuality,
} from './openLineageQuality';
export {
  DATACONTRACT_RESULTS,
  qualityResultsFromDatacontractRun,
} from './datacontractCli';
export type { DatacontractRunImport } from './datacontractCli';
export {
  DBT_ODCS_RULE_ID_META,
  qualityResultsFromDbtRunResults,
  testName as dbtTestName,
} from './dbtRunResults';
export type { DbtRunResultsImport } from './dbtRunResults';
