import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DATA_MESH_PLUGIN_ID,
  Deployment,
  DeploymentOperation,
  DeploymentWithDetails,
  ValidateRequest,
  ValidationReport,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/**
 * Calls the data-mesh backend on behalf of a person (the template's initiator), so that its
 * permission checks apply to them: only a product's owners and platform admins may deploy.
 */
export class DataMeshBackendClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  private async request(
    credentials: BackstageCredentials,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<Response> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: DATA_MESH_PLUGIN_ID,
    });
    const baseUrl = await this.discovery.getBaseUrl(DATA_MESH_PLUGIN_ID);
    return fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  }

  private async json<T>(response: Response): Promise<T> {
    if (!response.ok) throw await ResponseError.fromResponse(response);
    // Parsed here rather than by fetch, so arrays are plain arrays of this module's realm (the
    // scaffolder refuses outputs whose arrays have another prototype, e.g. under Jest).
    return JSON.parse(await response.text()) as T;
  }

  async validate(
    credentials: BackstageCredentials,
    body: ValidateRequest,
  ): Promise<ValidationReport> {
    return this.json(
      await this.request(credentials, '/validate', { method: 'POST', body }),
    );
  }

  /** Starts a deployment; `undefined` when one is already running for the product (409). */
  async startDeployment(
    credentials: BackstageCredentials,
    body: {
      entityRef: string;
      operation: DeploymentOperation;
      removeData?: boolean;
    },
  ): Promise<Deployment | undefined> {
    const response = await this.request(credentials, '/deployments', {
      method: 'POST',
      body,
    });
    if (response.status === 409) return undefined;
    return (await this.json<{ deployment: Deployment }>(response)).deployment;
  }

  async listDeployments(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<Deployment[]> {
    const response = await this.request(
      credentials,
      `/deployments?entityRef=${encodeURIComponent(entityRef)}`,
    );
    return (await this.json<{ items: Deployment[] }>(response)).items;
  }

  async getDeployment(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<DeploymentWithDetails> {
    const response = await this.request(
      credentials,
      `/deployments/${encodeURIComponent(id)}`,
    );
    return (await this.json<{ deployment: DeploymentWithDetails }>(response))
      .deployment;
  }
}
