import { stringify } from 'yaml';
import { JsonObject } from '@backstage/types';
import {
  DataPlatformProvider,
  failedProvisioning,
  ExistingGrant,
  PortProvisioningRequest,
  ProviderValidationResult,
  ProvisioningLog,
  ProvisioningResponse,
  ProvisioningResult,
  ProvisioningStatus,
  UnprovisionRequest,
  UpdateAclRequest,
} from '../providers/DataPlatformProvider';

/** @public */
export interface TechAdapterClientOptions {
  /** Provider id, e.g. `snowflake`. */
  id: string;
  title?: string;
  /** Base URL of the adapter, e.g. `https://snowflake-adapter.internal/datamesh.snowflake`. */
  baseUrl: string;
  /** Extra headers on every call, e.g. an Authorization header from config. */
  headers?: Record<string, string>;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** The tech adapter's `ProvisioningStatus` (spec 2.2.0). */
interface AdapterProvisioningStatus {
  status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  result?: string;
  info?: { publicInfo?: JsonObject; privateInfo?: JsonObject };
  logs?: ProvisioningLog[];
}

/** The adapter's 400 `RequestValidationError` and 500 `SystemError` bodies. */
interface AdapterError {
  errors?: string[];
  error?: string;
  userMessage?: string;
  inputErrorField?: string;
  moreInfo?: { problems?: string[]; solutions?: string[] };
}

/** Raised for an adapter that cannot be reached or answers outside the spec. @public */
export class TechAdapterError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'TechAdapterError';
  }
}

function describeAdapterError(body: AdapterError): string[] {
  const problems = [
    ...(body.userMessage
      ? [
          `${body.inputErrorField ? `${body.inputErrorField}: ` : ''}${
            body.userMessage
          }`,
        ]
      : []),
    ...(body.moreInfo?.problems ?? []),
    ...(body.moreInfo?.solutions ?? []).map(s => `Solution: ${s}`),
  ];
  if (problems.length > 0) return problems;
  return [...(body.errors ?? []), ...(body.error ? [body.error] : [])];
}

/**
 * A data platform provider backed by any HTTP service that speaks the Witboost tech adapter API
 * (2.2.0, vendored in `vendor/`), so an external adapter is a provider by configuration alone.
 *
 * Profile on top of the spec (documented in the README): the descriptor is the tech adapter's
 * COMPONENT_DESCRIPTOR with the port's ODCS contract added under `contracts`; the contract role
 * travels in the `updateacl` provision info; asynchronous answers (202) of provision, unprovision
 * and updateacl are all polled at `/v1/provision/{token}/status`, the only status route the spec
 * defines; `listGrants` calls `POST /v1/grants`, which adapters may not offer (then reconciliation
 * reports it as unsupported).
 * @public
 */
export class TechAdapterClient implements DataPlatformProvider {
  readonly id: string;
  readonly title: string;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;

  constructor(options: TechAdapterClientOptions) {
    this.id = options.id;
    this.title = options.title ?? options.id;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.fetchFn = options.fetch ?? fetch;
  }

  /** The COMPONENT_DESCRIPTOR, as YAML, for one output port. */
  static descriptorOf(request: PortProvisioningRequest): string {
    return stringify({
      dataProduct: request.dataProduct,
      componentIdToProvision: request.port.id ?? request.port.name,
      contracts: { [request.port.contractId]: request.contract },
    });
  }

  private provisioningRequest(
    request: PortProvisioningRequest,
    removeData = false,
  ) {
    return {
      descriptorKind: 'COMPONENT_DESCRIPTOR',
      descriptor: TechAdapterClient.descriptorOf(request),
      removeData,
    };
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...this.headers,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new TechAdapterError(
        `Tech adapter ${this.id} at ${this.baseUrl} is unreachable: ${
          (error as Error).message
        }`,
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A bare token is allowed to come back as plain text.
    }
    return { status: response.status, body: parsed };
  }

  private toResult(status: AdapterProvisioningStatus): ProvisioningResult {
    if (status.status === 'RUNNING') {
      throw new TechAdapterError(
        `Tech adapter ${this.id} returned RUNNING where a result was expected`,
      );
    }
    return {
      status: status.status,
      publicInfo: status.info?.publicInfo ?? {},
      privateInfo: status.info?.privateInfo ?? {},
      resources: [],
      logs: status.logs ?? [],
      message:
        status.status === 'FAILED'
          ? status.result || 'The adapter reported a failure'
          : undefined,
    };
  }

  /** 200 → result, 202 → token, 400 → a FAILED result with the adapter's reasons, else throw. */
  private async operation(
    path: string,
    body: unknown,
  ): Promise<ProvisioningResponse> {
    const response = await this.call('POST', path, body);
    if (response.status === 200) {
      return {
        kind: 'completed',
        result: this.toResult(response.body as AdapterProvisioningStatus),
      };
    }
    if (
      response.status === 202 &&
      typeof response.body === 'string' &&
      response.body
    ) {
      return { kind: 'pending', token: response.body };
    }
    if (response.status === 400) {
      return failedProvisioning({
        problems: describeAdapterError((response.body ?? {}) as AdapterError),
      });
    }
    throw this.unexpected(path, response);
  }

  private unexpected(
    path: string,
    response: { status: number; body: unknown },
  ) {
    const detail =
      typeof response.body === 'object' && response.body
        ? describeAdapterError(response.body as AdapterError).join('; ')
        : String(response.body ?? '');
    return new TechAdapterError(
      `Tech adapter ${this.id} answered ${path} with HTTP ${response.status}${
        detail ? `: ${detail}` : ''
      }`,
      response.status,
    );
  }

  async validate(
    request: PortProvisioningRequest,
  ): Promise<ProviderValidationResult> {
    const response = await this.call(
      'POST',
      '/v1/validate',
      this.provisioningRequest(request),
    );
    if (response.status === 200) {
      const result = response.body as {
        valid: boolean;
        error?: { errors?: string[] };
      };
      return { valid: result.valid, errors: result.error?.errors ?? [] };
    }
    if (response.status === 400) {
      return {
        valid: false,
        errors: describeAdapterError((response.body ?? {}) as AdapterError),
      };
    }
    throw this.unexpected('/v1/validate', response);
  }

  provision(request: PortProvisioningRequest): Promise<ProvisioningResponse> {
    return this.operation('/v1/provision', this.provisioningRequest(request));
  }

  unprovision(request: UnprovisionRequest): Promise<ProvisioningResponse> {
    return this.operation(
      '/v1/unprovision',
      this.provisioningRequest(request, request.removeData ?? false),
    );
  }

  updateAcl(request: UpdateAclRequest): Promise<ProvisioningResponse> {
    // updateacl takes the component's principals as one list; the roles travel in the request.
    return this.operation('/v1/updateacl', {
      refs: [...new Set(request.grants.flatMap(g => g.principals))],
      provisionInfo: {
        request: JSON.stringify({
          descriptorKind: 'COMPONENT_DESCRIPTOR',
          descriptor: TechAdapterClient.descriptorOf(request),
          grants: request.grants,
        }),
        result: '',
      },
    });
  }

  async getStatus(token: string): Promise<ProvisioningStatus> {
    const path = `/v1/provision/${encodeURIComponent(token)}/status`;
    const response = await this.call('GET', path);
    if (response.status !== 200) {
      throw this.unexpected(path, response);
    }
    const status = response.body as AdapterProvisioningStatus;
    if (status.status === 'RUNNING') {
      return { status: 'RUNNING', logs: status.logs ?? [] };
    }
    return this.toResult(status);
  }

  async listGrants(request: PortProvisioningRequest): Promise<ExistingGrant[]> {
    const response = await this.call(
      'POST',
      '/v1/grants',
      this.provisioningRequest(request),
    );
    if (response.status === 200) {
      return ((response.body as { grants?: ExistingGrant[] }).grants ?? []).map(
        g => ({
          principal: g.principal,
          role: g.role,
          reference: g.reference,
        }),
      );
    }
    if (
      response.status === 404 ||
      response.status === 405 ||
      response.status === 501
    ) {
      throw new TechAdapterError(
        `Tech adapter ${this.id} does not list grants (POST /v1/grants answered ${response.status}); grant reconciliation is not available for its ports`,
        response.status,
      );
    }
    throw this.unexpected('/v1/grants', response);
  }
}
