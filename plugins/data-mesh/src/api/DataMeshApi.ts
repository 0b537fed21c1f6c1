import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AccessRequest,
  Agreement,
  AgreementDecision,
  AgreementQuery,
  AgreementWithHistory,
  DeployRequest,
  Deployment,
  DeploymentWithDetails,
  DiscoveryQuery,
  DiscoveryResponse,
  DomainOverview,
  HealthSummary,
  LineageDiffResponse,
  LineageGraphQuery,
  LineageGraphResponse,
  PipelineRun,
  PipelineRunWithLogs,
  PipelineSummary,
  ProductOnboarding,
  ProductQuality,
  QualityAlertPreferences,
  QualityHistory,
  QualityHistoryQuery,
  QualityRunWithResults,
} from './types';

/**
 * A data product: its entity ref (`dataproduct:default/sales-orders`, or the short
 * `default/sales-orders`), or its namespace and name.
 * @public
 */
export type DataProductRef = string | { namespace?: string; name: string };

/**
 * The Data Mesh backend, as the frontend sees it: deployments of data products, access
 * agreements to their output ports, lineage, pipelines, data quality and health, and discovery
 * (the Data Mesh page, the domain view, onboarding).
 * @public
 */
export interface DataMeshApi {
  /** The deployments of one data product, newest first. */
  listDeployments(entityRef: string): Promise<Deployment[]>;
  /** One deployment with its steps and logs. */
  getDeployment(id: string): Promise<DeploymentWithDetails>;
  /** Starts a provisioning (default) or unprovisioning run; answers before it finishes. */
  deploy(request: DeployRequest): Promise<Deployment>;

  /** Asks for access to an output port; the new agreement is `requested` (or auto-approved). */
  requestAccess(request: AccessRequest): Promise<Agreement>;
  /** The agreements matching the query that the caller may see. */
  listAgreements(query?: AgreementQuery): Promise<Agreement[]>;
  /** One agreement with its audit history and, when active, how to connect. */
  getAgreement(id: string): Promise<AgreementWithHistory>;
  /** Approves or rejects a request at its current approval level. */
  decideAgreement(id: string, decision: AgreementDecision): Promise<Agreement>;
  /** Withdraws a request that is not decided yet. */
  cancelAgreement(id: string, reason?: string): Promise<Agreement>;
  /** Ends an approved or active agreement; its grant is removed. */
  revokeAgreement(id: string, reason?: string): Promise<Agreement>;

  /** The lineage graph around a data product. */
  getLineageGraph(query: LineageGraphQuery): Promise<LineageGraphResponse>;
  /** Where a product's declared input ports and its observed runs disagree. */
  getLineageDiff(entityRef: string): Promise<LineageDiffResponse>;

  /** A product's declared pipeline (`declared: false` when it has none) and its last runs. */
  getPipeline(entityRef: string): Promise<PipelineSummary>;
  /** Queues a run of a product's pipeline now; answers with the queued run. */
  runPipeline(entityRef: string): Promise<PipelineRun>;
  /** One pipeline run with its steps and logs. */
  getPipelineRun(id: string): Promise<PipelineRunWithLogs>;

  /** A product's health, and per output port its checks, results, SLOs; incidents and runs. */
  getQuality(entityRef: string): Promise<ProductQuality>;
  /** One check's measurements over the last days (30 by default), oldest first. */
  getQualityHistory(query: QualityHistoryQuery): Promise<QualityHistory>;
  /**
   * Runs a product's checks now (one port, or all of them) and answers once every run has ended,
   * with its results and logs. Only the product's owners may; 409 while a run is going on.
   */
  runQualityChecks(
    entityRef: string,
    options?: { port?: string },
  ): Promise<QualityRunWithResults[]>;
  /** One quality run with its results and logs. */
  getQualityRun(id: string): Promise<QualityRunWithResults>;
  /**
   * The health of many products in one request. Products the caller may not see, or that the
   * backend does not know, are left out.
   */
  getHealth(entityRefs: string[]): Promise<HealthSummary[]>;
  /** How the signed-in user receives health alerts. */
  getQualityAlertPreferences(): Promise<QualityAlertPreferences>;
  setQualityAlertPreferences(
    preferences: QualityAlertPreferences,
  ): Promise<QualityAlertPreferences>;

  /**
   * The products matching a query of the Data Mesh page, one page of them, with the facet counts
   * and what each product is to the caller (owner, access granted, requested).
   */
  searchProducts(query: DiscoveryQuery): Promise<DiscoveryResponse>;
  /** Every domain with its products, and the dependencies between products. */
  getDomainOverview(): Promise<DomainOverview>;
  /** "How do I use this": per output port, where the data is, its tables, an example query. */
  getProductOnboarding(product: DataProductRef): Promise<ProductOnboarding>;
}

/** @public */
export const dataMeshApiRef = createApiRef<DataMeshApi>().with({
  id: 'plugin.data-mesh.api',
  pluginId: 'data-mesh',
});
