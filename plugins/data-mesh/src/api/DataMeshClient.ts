import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DATA_PRODUCT_KIND,
  discoveryQueryToParams,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DataMeshApi, DataProductRef } from './DataMeshApi';
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

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * `<namespace>/<name>` of a data product's pipeline, quality and onboarding routes, each part
 * URL-encoded.
 */
function productPath(product: DataProductRef): string {
  const { namespace, name } =
    typeof product === 'string'
      ? parseEntityRef(product, {
          defaultKind: DATA_PRODUCT_KIND,
          defaultNamespace: 'default',
        })
      : { namespace: product.namespace || 'default', name: product.name };
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/**
 * {@link DataMeshApi} over the backend's REST API (`/api/data-mesh`).
 * @public
 */
export class DataMeshClient implements DataMeshApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listDeployments(entityRef: string): Promise<Deployment[]> {
    const query = new URLSearchParams({ entityRef });
    const body = await this.request<{ items: Deployment[] }>(
      `/deployments?${query}`,
    );
    return body.items;
  }

  async getDeployment(id: string): Promise<DeploymentWithDetails> {
    const body = await this.request<{ deployment: DeploymentWithDetails }>(
      `/deployments/${encodeURIComponent(id)}`,
    );
    return body.deployment;
  }

  async deploy(request: DeployRequest): Promise<Deployment> {
    const body = await this.request<{ deployment: Deployment }>(
      '/deployments',
      {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({
          entityRef: request.entityRef,
          operation: request.operation ?? 'provision',
          removeData: request.removeData ?? false,
        }),
      },
    );
    return body.deployment;
  }

  async requestAccess(request: AccessRequest): Promise<Agreement> {
    const body = await this.request<{ agreement: Agreement }>('/agreements', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(request),
    });
    return body.agreement;
  }

  async listAgreements(query: AgreementQuery = {}): Promise<Agreement[]> {
    const params = new URLSearchParams();
    if (query.dataProduct) params.set('dataProduct', query.dataProduct);
    if (query.outputPort) params.set('outputPort', query.outputPort);
    if (query.consumer) params.set('consumer', query.consumer);
    // The backend takes the statuses as one comma-separated value.
    if (query.status?.length) params.set('status', query.status.join(','));
    if (query.view) params.set('view', query.view);
    const search = params.toString();
    const body = await this.request<{ items: Agreement[] }>(
      `/agreements${search ? `?${search}` : ''}`,
    );
    return body.items;
  }

  async getAgreement(id: string): Promise<AgreementWithHistory> {
    return this.request<AgreementWithHistory>(
      `/agreements/${encodeURIComponent(id)}`,
    );
  }

  async decideAgreement(
    id: string,
    decision: AgreementDecision,
  ): Promise<Agreement> {
    return this.postAgreementAction(id, 'decision', decision);
  }

  async cancelAgreement(id: string, reason?: string): Promise<Agreement> {
    return this.postAgreementAction(id, 'cancel', { reason });
  }

  async revokeAgreement(id: string, reason?: string): Promise<Agreement> {
    return this.postAgreementAction(id, 'revoke', { reason });
  }

  async getLineageGraph(
    query: LineageGraphQuery,
  ): Promise<LineageGraphResponse> {
    const params = new URLSearchParams({ entityRef: query.entityRef });
    if (query.level) params.set('level', query.level);
    if (query.direction) params.set('direction', query.direction);
    if (query.depth !== undefined) params.set('depth', String(query.depth));
    // One `expand` parameter per product: entity refs may not contain commas, but stay safe.
    for (const ref of query.expand ?? []) params.append('expand', ref);
    return this.request<LineageGraphResponse>(`/lineage/graph?${params}`);
  }

  async getLineageDiff(entityRef: string): Promise<LineageDiffResponse> {
    const params = new URLSearchParams({ entityRef });
    return this.request<LineageDiffResponse>(`/lineage/diff?${params}`);
  }

  async getPipeline(entityRef: string): Promise<PipelineSummary> {
    return this.request<PipelineSummary>(
      `/pipelines/${productPath(entityRef)}`,
    );
  }

  async runPipeline(entityRef: string): Promise<PipelineRun> {
    return this.request<PipelineRun>(
      `/pipelines/${productPath(entityRef)}/runs`,
      { method: 'POST', headers: JSON_HEADERS, body: '{}' },
    );
  }

  async getPipelineRun(id: string): Promise<PipelineRunWithLogs> {
    return this.request<PipelineRunWithLogs>(
      `/pipeline-runs/${encodeURIComponent(id)}`,
    );
  }

  async getQuality(entityRef: string): Promise<ProductQuality> {
    return this.request<ProductQuality>(`/quality/${productPath(entityRef)}`);
  }

  async getQualityHistory(query: QualityHistoryQuery): Promise<QualityHistory> {
    const params = new URLSearchParams({
      port: query.port,
      check: query.checkKey,
    });
    if (query.days !== undefined) params.set('days', String(query.days));
    return this.request<QualityHistory>(
      `/quality/${productPath(query.entityRef)}/history?${params}`,
    );
  }

  async runQualityChecks(
    entityRef: string,
    options: { port?: string } = {},
  ): Promise<QualityRunWithResults[]> {
    // wait=true: the backend answers once the runs have ended, with their results.
    return this.request<QualityRunWithResults[]>(
      `/quality/${productPath(entityRef)}/runs?wait=true`,
      {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify(options.port ? { port: options.port } : {}),
      },
    );
  }

  async getQualityRun(id: string): Promise<QualityRunWithResults> {
    return this.request<QualityRunWithResults>(
      `/quality-runs/${encodeURIComponent(id)}`,
    );
  }

  async getHealth(entityRefs: string[]): Promise<HealthSummary[]> {
    const body = await this.request<{ items: HealthSummary[] }>('/health', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ entityRefs }),
    });
    return body.items;
  }

  async getQualityAlertPreferences(): Promise<QualityAlertPreferences> {
    return this.request<QualityAlertPreferences>('/quality/alert-preferences');
  }

  async setQualityAlertPreferences(
    preferences: QualityAlertPreferences,
  ): Promise<QualityAlertPreferences> {
    return this.request<QualityAlertPreferences>('/quality/alert-preferences', {
      method: 'PUT',
      headers: JSON_HEADERS,
      body: JSON.stringify(preferences),
    });
  }

  async searchProducts(query: DiscoveryQuery): Promise<DiscoveryResponse> {
    // The page's address and the request share one encoding (repeated facet parameters).
    const params = discoveryQueryToParams(query).toString();
    return this.request<DiscoveryResponse>(
      `/discovery/products${params ? `?${params}` : ''}`,
    );
  }

  async getDomainOverview(): Promise<DomainOverview> {
    return this.request<DomainOverview>('/discovery/domains');
  }

  async getProductOnboarding(
    product: DataProductRef,
  ): Promise<ProductOnboarding> {
    return this.request<ProductOnboarding>(
      `/discovery/products/${productPath(product)}/onboarding`,
    );
  }

  private async postAgreementAction(
    id: string,
    action: 'decision' | 'cancel' | 'revoke',
    payload: { reason?: string },
  ): Promise<Agreement> {
    const body = await this.request<{ agreement: Agreement }>(
      `/agreements/${encodeURIComponent(id)}/${action}`,
      {
        method: 'POST',
        headers: JSON_HEADERS,
        // JSON.stringify drops an undefined reason, so "no reason" is sent as {}.
        body: JSON.stringify(payload),
      },
    );
    return body.agreement;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('data-mesh');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
