import crypto from 'node:crypto';
import {
  formatProblems,
  OpenLineageBatchResponse,
  OpenLineageEvent,
  validateOpenLineageEvent,
  ValidationProblem,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AcceptedEvent, LineageStore } from '../../database/LineageStore';
import { LineageGraphIndex } from './LineageGraphIndex';

/** Longest namespace or name we store: longer ones are refused, not cut. */
const MAX_NAME_LENGTH = 1024;

/** Most events of concurrent requests committed in one transaction. */
const GROUP_COMMIT_EVENTS = 500;

/** Deepest nesting accepted: real events stay far below; deeper ones would exhaust the stack. */
const MAX_NESTING = 64;

/** How deep a parsed JSON value nests, counted without recursion; stops past `limit`. */
function nestingExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) {
      if (typeof child === 'object' && child !== null) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

export type EventCheck =
  | { ok: true; accepted: AcceptedEvent }
  | { ok: false; reason: string };

function names(event: OpenLineageEvent): Array<[string, unknown]> {
  const e = event as any;
  const result: Array<[string, unknown]> = [];
  if (e.job) {
    result.push(['job.namespace', e.job.namespace], ['job.name', e.job.name]);
  }
  if (e.dataset) {
    result.push(
      ['dataset.namespace', e.dataset.namespace],
      ['dataset.name', e.dataset.name],
    );
  }
  for (const list of ['inputs', 'outputs']) {
    (e[list] ?? []).forEach((d: any, i: number) => {
      result.push(
        [`${list}[${i}].namespace`, d?.namespace],
        [`${list}[${i}].name`, d?.name],
      );
    });
  }
  return result;
}

/**
 * Takes OpenLineage events from any producer (the embedded runner, Airflow, Spark, dbt...):
 * checks each against the official schema, refuses what cannot be stored faithfully, and writes
 * the rest to the lineage store. Storing is idempotent, so producers may retry freely.
 */
export class OpenLineageIngestor {
  constructor(
    private readonly options: {
      store: LineageStore;
      index: LineageGraphIndex;
    },
  ) {}

  check(body: unknown): EventCheck {
    if (nestingExceeds(body, MAX_NESTING)) {
      return {
        ok: false,
        reason: `(root): nests deeper than ${MAX_NESTING} levels`,
      };
    }
    const result = validateOpenLineageEvent(body);
    if (!result.valid) {
      return { ok: false, reason: formatProblems(result.problems) };
    }
    const problems: ValidationProblem[] = [];
    for (const [path, value] of names(result.event)) {
      if (typeof value === 'string' && value.trim() === '') {
        problems.push({ path, message: 'must not be empty' });
      } else if (typeof value === 'string' && value.length > MAX_NAME_LENGTH) {
        problems.push({
          path,
          message: `is ${value.length} characters long; at most ${MAX_NAME_LENGTH} are accepted`,
        });
      }
    }
    if (Number.isNaN(Date.parse(result.event.eventTime))) {
      problems.push({ path: 'eventTime', message: 'is not a date-time' });
    }
    if (problems.length > 0) {
      return { ok: false, reason: formatProblems(problems) };
    }
    const key = crypto
      .createHash('sha256')
      .update(JSON.stringify(result.event))
      .digest('hex');
    return {
      ok: true,
      accepted: { key, kind: result.kind, event: result.event },
    };
  }

  /**
   * Stores valid events (a producer's own, already checked); resolves once they are committed.
   * Requests that arrive while a write runs are committed together in the next one (group
   * commit): a transaction per single-event request could not keep up with busy producers.
   */
  store(events: AcceptedEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.flushing) {
        // Started on the next turn, so that requests parsed in this one join the same write.
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private readonly queue: Array<{
    events: AcceptedEvent[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private flushing = false;

  private readonly listeners: Array<
    (events: AcceptedEvent[]) => Promise<void>
  > = [];

  /**
   * Called with every committed batch, after the producers have their answer: quality reads the
   * quality facets. A listener's failure is the listener's: it never fails ingestion.
   */
  onStored(listener: (events: AcceptedEvent[]) => Promise<void>) {
    this.listeners.push(listener);
  }

  private async write(events: AcceptedEvent[]) {
    await this.options.store.ingest(events);
    this.options.index.markStale();
    for (const listener of this.listeners) {
      setImmediate(() => void listener(events).catch(() => undefined));
    }
  }

  private async flush() {
    try {
      while (this.queue.length > 0) {
        const taken = [this.queue.shift()!];
        let count = taken[0].events.length;
        while (
          this.queue.length > 0 &&
          count + this.queue[0].events.length <= GROUP_COMMIT_EVENTS
        ) {
          const next = this.queue.shift()!;
          taken.push(next);
          count += next.events.length;
        }
        try {
          await this.write(taken.flatMap(t => t.events));
          taken.forEach(t => t.resolve());
        } catch (error) {
          if (taken.length === 1) {
            taken[0].reject(error);
            continue;
          }
          // One request's failure must not fail the others: they are written apart.
          for (const t of taken) {
            try {
              await this.write(t.events);
              t.resolve();
            } catch (e) {
              t.reject(e);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * `POST /lineage/batch`: every valid event is stored (in one transaction), every invalid one
   * is reported by index; nothing is retriable because a bad event stays bad.
   */
  async ingestBatch(bodies: unknown[]): Promise<OpenLineageBatchResponse> {
    const accepted: AcceptedEvent[] = [];
    const failed: OpenLineageBatchResponse['failed_events'] = [];
    bodies.forEach((body, index) => {
      const checked = this.check(body);
      if (checked.ok) accepted.push(checked.accepted);
      else failed.push({ index, reason: checked.reason, retriable: false });
    });
    await this.store(accepted);
    return {
      status: failed.length === 0 ? 'success' : 'partial_success',
      summary: {
        received: bodies.length,
        successful: accepted.length,
        failed: failed.length,
        retriable: 0,
        non_retriable: failed.length,
      },
      failed_events: failed,
    };
  }
}
