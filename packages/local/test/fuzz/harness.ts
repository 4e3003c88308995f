/**
 * What the fuzz properties run on: the campaign's settings (seed, run count), an HTTP client that
 * sends exactly the bytes a property made (odd methods, raw paths, invalid UTF-8, raw sockets for
 * what no HTTP client sends), and snapshots of the DynamoDB tables to prove rejected requests
 * changed nothing.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { type TableId, tables } from '@snapstack/domain/tables';
import type { TestRunner } from '@snapstack/local/testing';
import type fc from 'fast-check';

/**
 * `pnpm test`: a fixed seed and few runs, so the run is fast and any failure replays.
 * `pnpm fuzz` (`FUZZ_CAMPAIGN=1`): a random seed and 20x the runs. `FUZZ_SEED` / `FUZZ_RUNS`
 * override either (FUZZ_RUNS: runs of every property); `FUZZ_PATH` (fast-check's `path`, printed
 * with a counterexample) replays one failing case of the property chosen with `-t`.
 */
export function campaign(env: NodeJS.ProcessEnv = process.env) {
  const long = env.FUZZ_CAMPAIGN === '1';
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : long ? Math.floor(Math.random() * 2 ** 31) : 1207;
  const given = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : undefined;
  if (!Number.isSafeInteger(seed) || (given !== undefined && !(given >= 1)))
    throw new Error('FUZZ_SEED must be an integer and FUZZ_RUNS a positive number');
  /** Runs of a property whose bounded (`pnpm test`) count is `bounded`; a campaign runs 20x. */
  const runs = (bounded: number) => Math.round(given ?? (long ? bounded * 20 : bounded));
  return {
    long,
    seed,
    runs,
    /** fast-check's parameters: the seed (printed with the path of any counterexample on failure). */
    params: (bounded: number): fc.Parameters<unknown> => ({
      seed,
      numRuns: runs(bounded),
      ...(env.FUZZ_PATH ? { path: env.FUZZ_PATH } : {}),
    }),
    /** Per-test timeout (vitest's): a campaign is as long as it takes. */
    timeoutMs: long || given ? 24 * 3600_000 : 120_000,
  };
}

/**
 * Errors nobody handled anywhere in this process. Each one would end `pnpm dev` (Node exits on an
 * unhandled rejection), so a property fails on it, and a request in flight stops waiting for an
 * answer that will never come.
 */
export class CrashWatch {
  private seen: unknown[] = [];
  private readonly controllers = new Set<AbortController>();
  private readonly record = (error: unknown) => {
    this.seen.push(error);
    for (const c of this.controllers) c.abort(error);
  };
  install() {
    process.on('unhandledRejection', this.record);
    process.on('uncaughtException', this.record);
  }
  uninstall() {
    process.off('unhandledRejection', this.record);
    process.off('uncaughtException', this.record);
  }
  /** A signal aborted by the next crash, for as long as `run` runs. */
  async during<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      return await run(controller.signal);
    } finally {
      this.controllers.delete(controller);
    }
  }
  /** The crashes since the last call, as text. */
  take(): string[] {
    return this.seen.splice(0).map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e)));
  }
}

export interface FuzzResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * How long a request may go unanswered before the property calls it a hang. Not a speed check:
 * every handler answers in milliseconds here, and the gateway's own integration timeout is 29 s.
 */
export const HANG_MS = 35_000;

/** One request with exactly these method, path, headers and body bytes. */
export function send(
  baseUrl: string,
  req: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | undefined },
  signal?: AbortSignal,
): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
        agent: false,
        ...(signal ? { signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${HANG_MS} ms`)), HANG_MS);
    r.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    r.end(req.body);
  });
}

export type RawOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly head: string }
  | { readonly kind: 'closed' }
  | { readonly kind: 'hung' };

/**
 * Writes raw bytes on a fresh connection, then either half-closes (`end`), or resets the
 * connection (`abort`, a client that goes away mid-body). Reports the status line the runner
 * answered, or that it closed the connection, or that it did neither within HANG_MS.
 */
export function sendRaw(
  baseUrl: string,
  bytes: Buffer,
  after: 'end' | 'abort',
  signal?: AbortSignal,
): Promise<RawOutcome> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (outcome: RawOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'hung' }), HANG_MS);
    signal?.addEventListener('abort', () => finish({ kind: 'hung' }));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const head = received.toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (status && head.includes('\r\n\r\n'))
        finish({ kind: 'answered', status: Number(status[1]), head: head.slice(0, head.indexOf('\r\n')) });
    });
    socket.on('error', () => finish({ kind: 'closed' }));
    socket.on('close', () => finish({ kind: 'closed' }));
    socket.write(bytes, () => {
      if (after === 'end') socket.end();
      // An aborted client: the bytes are out, the connection is reset without waiting.
      if (after === 'abort') socket.resetAndDestroy();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Table snapshots

/** Every item of every table, by its key (`pk` or `pk \u0000 sk`), as DynamoDB JSON text. */
export type Snapshot = Record<TableId, Map<string, string>>;

export function snapshotter(app: TestRunner) {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: app.endpoints.dynamodb,
  });
  const take = async (): Promise<Snapshot> => {
    const snapshot = {} as Snapshot;
    for (const table of Object.values(tables)) {
      const items = new Map<string, string>();
      for await (const page of paginateScan({ client }, { TableName: app.names.tables[table.id] })) {
        for (const item of page.Items ?? []) {
          const pk = item[table.partitionKey.name]?.S ?? '';
          const sk = 'sortKey' in table ? `\u0000${item[table.sortKey.name]?.S ?? ''}` : '';
          items.set(pk + sk, JSON.stringify(item, Object.keys(item).sort()));
        }
      }
      snapshot[table.id] = items;
    }
    return snapshot;
  };
  return { take, close: () => client.destroy() };
}

export interface Change {
  readonly table: TableId;
  readonly key: string;
  readonly kind: 'added' | 'removed' | 'modified';
}

export function diff(before: Snapshot, after: Snapshot): Change[] {
  const changes: Change[] = [];
  for (const table of Object.keys(before) as TableId[]) {
    for (const [key, item] of before[table]) {
      const now = after[table].get(key);
      if (now === undefined) changes.push({ table, key, kind: 'removed' });
      else if (now !== item) changes.push({ table, key, kind: 'modified' });
    }
    for (const key of after[table].keys())
      if (!before[table].has(key)) changes.push({ table, key, kind: 'added' });
  }
  return changes;
}
