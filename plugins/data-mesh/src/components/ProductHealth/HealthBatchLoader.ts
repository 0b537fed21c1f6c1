import { HealthSummary } from '../../api';

// The catalogue list renders one health chip per row. Each asks for its product's health; the
// loader collects the refs asked for in the same tick into one `POST /health`, and keeps answers
// for a while so that paging, sorting and filtering do not ask again.

interface Entry {
  at: number;
  promise: Promise<HealthSummary | undefined>;
  /** Set once answered, so a row rendered later shows it at once. */
  value?: HealthSummary;
  settled: boolean;
}

export interface HealthBatchLoaderOptions {
  fetchHealth(entityRefs: string[]): Promise<HealthSummary[]>;
  /** How long an answer is used again. Default 30 s. */
  ttlMs?: number;
  /** Refs per request at most (the backend takes up to 10,000). Default 500. */
  maxBatch?: number;
  now?: () => number;
}

/** Entity refs compare without case, as the catalogue and the backend do. */
function keyOf(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

export class HealthBatchLoader {
  private readonly options: Required<HealthBatchLoaderOptions>;
  private readonly entries = new Map<string, Entry>();
  private pending = new Map<
    string,
    {
      resolve(value: HealthSummary | undefined): void;
      reject(error: unknown): void;
    }
  >();
  private scheduled = false;

  constructor(options: HealthBatchLoaderOptions) {
    this.options = {
      ttlMs: 30_000,
      maxBatch: 500,
      now: Date.now,
      ...options,
    };
  }

  /** The answer for a ref if it is known and fresh, without asking. */
  peek(entityRef: string): HealthSummary | undefined {
    const entry = this.fresh(keyOf(entityRef));
    return entry?.value;
  }

  /**
   * The health of one product; undefined when the backend left it out (not visible to the user,
   * or unknown to it).
   */
  load(entityRef: string): Promise<HealthSummary | undefined> {
    const key = keyOf(entityRef);
    const cached = this.fresh(key);
    if (cached) return cached.promise;

    const entry: Entry = {
      at: this.options.now(),
      settled: false,
      promise: new Promise((resolve, reject) =>
        this.pending.set(key, { resolve, reject }),
      ),
    };
    entry.promise.then(
      value => {
        entry.value = value;
        entry.settled = true;
      },
      () => {
        // A failed answer is not kept: the next render asks again.
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.entries.set(key, entry);
    if (!this.scheduled) {
      this.scheduled = true;
      // A macrotask, not a microtask: React renders and runs the effects of every row of a page
      // before it, so the whole page goes in one request.
      setTimeout(() => this.flush(), 0);
    }
    return entry.promise;
  }

  private fresh(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.options.now() - entry.at >= this.options.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private flush() {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.options.maxBatch) {
      const chunk = keys.slice(i, i + this.options.maxBatch);
      this.options.fetchHealth(chunk).then(
        items => {
          const byKey = new Map(
            items.map(item => [keyOf(item.entityRef), item]),
          );
          for (const key of chunk) batch.get(key)!.resolve(byKey.get(key));
        },
        error => {
          for (const key of chunk) batch.get(key)!.reject(error);
        },
      );
    }
  }
}
