import {
  DataPlatformProvider,
  ProviderValidationResult,
  ProvisioningResponse,
  ProvisioningStatus,
} from '@backstage-data-mesh/plugin-data-mesh-node';

/**
 * Stands in for a remote tech adapter that answers 202: `provision` returns a token, the first
 * status is RUNNING, the second COMPLETED. `hold` lets a test keep it running.
 */
export class AsyncFakeProvider implements DataPlatformProvider {
  readonly id = 'async-fake';
  readonly title = 'Async fake adapter';
  readonly polls = new Map<string, number>();
  hold: Promise<void> = Promise.resolve();
  private next = 0;

  async validate(): Promise<ProviderValidationResult> {
    return { valid: true, errors: [] };
  }

  async provision(): Promise<ProvisioningResponse> {
    const token = `token-${++this.next}`;
    this.polls.set(token, 0);
    return { kind: 'pending', token };
  }

  async getStatus(token: string): Promise<ProvisioningStatus> {
    await this.hold;
    const count = (this.polls.get(token) ?? 0) + 1;
    this.polls.set(token, count);
    const started = {
      timestamp: '2026-01-01T00:00:00.000Z',
      level: 'INFO' as const,
      message: `${token} accepted`,
      phase: 'apply',
    };
    if (count < 2) {
      return { status: 'RUNNING', logs: [started] };
    }
    return {
      status: 'COMPLETED',
      publicInfo: { endpoint: `fake://${token}` },
      privateInfo: { secret: 'not for display' },
      resources: [{ kind: 'bucket', name: token, action: 'created' }],
      // Repeats the RUNNING line, as adapters returning their whole log do: stored once.
      logs: [
        started,
        {
          timestamp: '2026-01-01T00:00:01.000Z',
          level: 'INFO',
          message: `${token} done`,
          phase: 'apply',
        },
      ],
    };
  }

  async unprovision(): Promise<ProvisioningResponse> {
    return this.provision();
  }

  async updateAcl(): Promise<ProvisioningResponse> {
    return this.provision();
  }

  async listGrants() {
    return [];
  }
}
