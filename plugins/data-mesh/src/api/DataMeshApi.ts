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
  LineageDiffResponse,
  LineageGraphQuery,
  LineageGraphResponse,
  PipelineRun,
  PipelineRunWithLogs,
  PipelineSummary,
} from './types';

/**
 * The Data Mesh backend, as the frontend sees it: deployments of data products, access
 * agreements to their output ports, lineage and pipelines.
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
}

/** @public */
export const dataMeshApiRef = createApiRef<DataMeshApi>().with({
  id: 'plugin.data-mesh.api',
  pluginId: 'data-mesh',
});
