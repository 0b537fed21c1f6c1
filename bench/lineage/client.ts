// The load generator of the lineage benchmark's ingestion part, in its own process (forked by
// measure.ts with the same TypeScript transform) so that sending and timing do not share an event
// loop with the backend under test. It takes a ClientTask over IPC and answers with its result.
//
// - batch: POST /openlineage/api/v1/lineage/batch, `concurrency` clients in closed loops, until
//   `events` events were sent; the bodies are built and serialised before the clock starts.
// - open: an open-loop schedule of `rate` requests per second for `seconds`: request i is sent at
//   t0 + i / rate whatever the earlier ones did, and its latency runs from that scheduled time
//   to its response (no coordinated omission). Keep-alive connections, as many as needed.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { BatchResult, ClientTask, latency, OpenResult, round1 } from './common';
import { runSource } from './events';

const PREFIX = '/api/data-mesh';
const SINGLE = `${PREFIX}/openlineage/api/v1/lineage`;
const BATCH = `${PREFIX}/openlineage/api/v1/lineage/batch`;
const BASELINE = `${PREFIX}/lineage/graph`;

function request(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  authorization: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          authorization,
          ...(body !== undefined
            ? {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error('timeout after 60 s')));
    req.end(body);
  });
}

async function runBatch(
  task: Extract<ClientTask, { kind: 'batch' }>,
): Promise<BatchResult> {
  const base = new URL(task.base);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: task.concurrency,
  });
  const next = runSource(task.seed);
  // START and COMPLETE of a run travel in the same batch, as a buffering client sends them.
  const bodies: Array<{ body: string; events: number }> = [];
  let bytes = 0;
  for (let sent = 0; sent < task.events; ) {
    const events: unknown[] = [];
    while (
      events.length < task.batchSize &&
      sent + events.length < task.events
    ) {
      events.push(...next());
    }
    const body = JSON.stringify(events);
    bytes += body.length;
    bodies.push({ body, events: events.length });
    sent += events.length;
  }
  const statuses: Record<string, number> = {};
  const errors: string[] = [];
  const requestMs: number[] = [];
  let failedEvents = 0;
  let cursor = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: task.concurrency }, async () => {
      for (;;) {
        const item = bodies[cursor++];
        if (!item) return;
        const t0 = performance.now();
        try {
          const res = await request(
            agent,
            base,
            'POST',
            BATCH,
            task.authorization,
            item.body,
          );
          requestMs.push(performance.now() - t0);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status === 200) {
            const report = JSON.parse(res.body);
            failedEvents += report.summary?.failed ?? 0;
            if (errors.length < 5) errors.push(res.body.slice(0, 500));
          } else if (res.status !== 204) {
            failedEvents += item.events;
            if (errors.length < 5) {
              errors.push(`${res.status} ${res.body.slice(0, 500)}`);
            }
          }
        } catch (error) {
          failedEvents += item.events;
          statuses.error = (statuses.error ?? 0) + 1;
          if (errors.length < 5) errors.push(String(error));
        }
      }
    }),
  );
  const wallMs = performance.now() - start;
  agent.destroy();
  return {
    kind: 'batch',
    batchSize: task.batchSize,
    concurrency: task.concurrency,
    events: task.events,
    requests: bodies.length,
    wallMs: round1(wallMs),
    // Events stored (answered 204, or 200 minus its failed events) per second of wall time.
    eventsPerSecond: round1(((task.events - failedEvents) / wallMs) * 1000),
    sentPerSecond: round1((task.events / wallMs) * 1000),
    statuses,
    failedEvents,
    requestMs: latency(requestMs),
    bytes,
    errors,
  };
}

async function runOpen(
  task: Extract<ClientTask, { kind: 'open' }>,
): Promise<OpenResult> {
  const base = new URL(task.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const warmup = Math.round(task.rate * task.warmupSeconds);
  const count = warmup + Math.round(task.rate * task.seconds);
  // Bodies first (one event each: a run's START, then its COMPLETE).
  const bodies: string[] = [];
  if (task.route === 'event') {
    const next = runSource(task.seed);
    while (bodies.length < count) {
      for (const e of next()) bodies.push(JSON.stringify(e));
    }
  }
  const ok = (status: number) =>
    task.route === 'event' ? status >= 200 && status < 300 : status === 400;
  const interval = 1000 / task.rate;
  const latencies: number[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let completed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let lastEnd = 0;
  let closed = false;
  /** Measured requests without an answer yet: index → scheduled time. */
  const waiting = new Map<number, number>();
  let drained!: () => void;
  const allAnswered = new Promise<void>(r => {
    drained = r;
  });
  let next = 0;
  const t0 = performance.now() + 20;
  const send = (i: number) => {
    const scheduled = t0 + i * interval;
    const measured = i >= warmup;
    if (measured) {
      lags.push(performance.now() - scheduled);
      waiting.set(i, scheduled);
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const sent =
      task.route === 'event'
        ? request(agent, base, 'POST', SINGLE, task.authorization, bodies[i])
        : request(agent, base, 'GET', BASELINE, task.authorization);
    sent
      .then(
        res => {
          if (closed || !measured) return;
          const end = performance.now();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          latencies.push(end - scheduled);
          completed++;
          lastEnd = end;
          if (!ok(res.status)) {
            errors++;
            if (errorSamples.length < 5) {
              errorSamples.push(`${res.status} ${res.body.slice(0, 300)}`);
            }
          }
        },
        error => {
          if (closed || !measured) return;
          errors++;
          statuses.error = (statuses.error ?? 0) + 1;
          if (errorSamples.length < 5) errorSamples.push(String(error));
        },
      )
      .finally(() => {
        inFlight--;
        waiting.delete(i);
        if (inFlight === 0 && next >= count) drained();
      });
  };
  await new Promise<void>(resolve => {
    const tick = () => {
      const now = performance.now();
      while (next < count && t0 + next * interval <= now) send(next++);
      if (next >= count) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
    };
    setTimeout(tick, 0);
  });
  // What is not answered within drainSeconds after the last send counts as an error, with the
  // time it had waited so far as its latency (so the percentiles are lower bounds then).
  if (inFlight > 0) {
    await Promise.race([
      allAnswered,
      new Promise(r => setTimeout(r, task.drainSeconds * 1000)),
    ]);
  }
  const deadline = performance.now();
  const unanswered = waiting.size;
  for (const scheduled of waiting.values()) {
    latencies.push(deadline - scheduled);
    errors++;
  }
  if (unanswered > 0) {
    statuses.unanswered = unanswered;
    errorSamples.push(
      `${unanswered} requests without an answer ${task.drainSeconds} s after the last was sent`,
    );
  }
  closed = true;
  agent.destroy();
  const firstMeasured = t0 + warmup * interval;
  return {
    kind: 'open',
    route: task.route,
    rate: task.rate,
    seconds: task.seconds,
    scheduled: count - warmup,
    completed,
    errors,
    unanswered,
    statuses,
    latencyMs: latency(latencies),
    achievedRate: round1(
      (completed / ((unanswered > 0 ? deadline : lastEnd) - firstMeasured)) *
        1000,
    ),
    sendLagMs: latency(lags),
    maxInFlight,
    errorSamples,
  };
}

process.on('message', async (message: { id: number; task: ClientTask }) => {
  try {
    const result =
      message.task.kind === 'batch'
        ? await runBatch(message.task)
        : await runOpen(message.task);
    process.send!({ id: message.id, result });
  } catch (error) {
    process.send!({
      id: message.id,
      error: String((error as Error)?.stack ?? error),
    });
  }
});
process.on('disconnect', () => process.exit(0));
