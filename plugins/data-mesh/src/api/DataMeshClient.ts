import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DataMeshApi } from './DataMeshApi';
import { DeployRequest, Deployment, DeploymentWithDetails } from './types';

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
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          entityRef: request.entityRef,
          operation: request.operation ?? 'provision',
          removeData: request.removeData ?? false,
        }),
      },
    );
    return body.deployment;
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
