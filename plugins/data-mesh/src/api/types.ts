// The REST API types live in -common, shared with the backend.
import type {
  LineageDirection,
  LineageLevel,
} from '@backstage-data-mesh/plugin-data-mesh-common';

export type {
  DeploymentOperation,
  DeploymentStatus,
  Deployment,
  DeploymentResource,
  DeploymentStep,
  DeploymentLog,
  DeploymentWithDetails,
  DeployRequest,
  AgreementStatus,
  GrantState,
  AgreementAction,
  AgreementGrant,
  AgreementDeciders,
  Agreement,
  AgreementEventAction,
  AgreementEvent,
  AgreementWithHistory,
  AccessRequest,
  AgreementDecision,
  AgreementQuery,
  LineageLevel,
  LineageDirection,
  LineageProvenance,
  LineageHealth,
  LineageGraphNode,
  LineageGraphEdge,
  LineageGraphResponse,
  LineageDifference,
  LineageDiffResponse,
  PipelineRunStatus,
  PipelineStepStatus,
  PipelineRunStep,
  PipelineRun,
  PipelineRunLog,
  PipelineRunWithLogs,
  PipelineSummary,
  HealthStatus,
  HealthReason,
  HealthSummary,
  PortHealth,
  PortQuality,
  ProductQuality,
  QualityAlertPreferences,
  QualityCheck,
  QualityCheckStatus,
  QualityHistory,
  QualityIncident,
  QualityResult,
  QualityResultSource,
  QualityRun,
  QualityRunLog,
  QualityRunStatus,
  QualityRunWithResults,
  QualityThreshold,
  QualityUnit,
  SloCompliance,
  UnsupportedQualityRule,
  DiscoverySort,
  DiscoveryFacet,
  DiscoveryAccess,
  DiscoveryQuery,
  DiscoveryMatch,
  DiscoveryPort,
  DiscoveryProduct,
  DiscoveryFacetValue,
  DiscoveryResponse,
  DiscoveryDomain,
  DomainOverview,
  OnboardingColumn,
  OnboardingPort,
  ProductOnboarding,
  DataProductSearchDocument,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/**
 * What `GET /lineage/graph` is asked for. Only `entityRef` is required: the backend defaults
 * to the product level, both directions and depth 3.
 * @public
 */
export interface LineageGraphQuery {
  /** The focus data product. */
  entityRef: string;
  level?: LineageLevel;
  direction?: LineageDirection;
  /** Hops from the focus, 1 to 10. */
  depth?: number;
  /** Products to show with their datasets (at product level). */
  expand?: string[];
}

/**
 * What `GET /quality/:namespace/:name/history` is asked for: one check of one port.
 * @public
 */
export interface QualityHistoryQuery {
  entityRef: string;
  port: string;
  /** The check's key (`QualityCheck.key`, or `<source>:<name>` for an external result). */
  checkKey: string;
  /** How far back, 1 to 366; the backend's default is 30. */
  days?: number;
}
