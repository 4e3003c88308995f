/**
 * SQS on fauxqs 1.9.2, in this process, in memory or persisted under `<dataDir>/sqs`.
 *
 * fauxqs 1.x keeps everything in memory. For `pnpm dev` we persist like dynalite's LevelDB:
 * every SQS call that changes a queue (send, receive, delete, visibility) answers only after
 * a snapshot of all queues that includes its change is on disk (written to a temporary file,
 * fsynced, renamed; concurrent calls share one write). A 202 from the likes route therefore
 * means the message survives a crash of the runner, as SendMessage's 200 does in AWS.
 * Restored messages keep their ids, receive counts and, when in flight, their visibility
 * deadline. FIFO queues are not persisted (Snapstack has none).
 *
 * Only ever a loopback endpoint: clients get credentials and endpoint from `localClientConfig`.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '@snapstack/domain/aws';
import { headerValue } from '@snapstack/domain/headers';
import { buildApp } from 'fauxqs';
import { listen } from '../emulators/support.js';

const SNAPSHOT_VERSION = 1;

/** The parts of fauxqs's SqsStore/SqsQueue (public fields of its classes) that persistence uses. */
interface FauxMessage {
  messageId: string;
  approximateReceiveCount: number;
  [key: string]: unknown;
}
interface FauxInflight {
  message: FauxMessage;
  receiptHandle: string;
  visibilityDeadline: number;
}
interface FauxQueue {
  readonly name: string;
  attributes: Record<string, string>;
  messages: FauxMessage[];
  delayedMessages: FauxMessage[];
  inflightMessages: Map<string, FauxInflight>;
  isFifo(): boolean;
}
interface FauxStore {
  createQueue(name: string, url: string, arn: string, attributes?: Record<string, string>): FauxQueue;
  getQueueByName(name: string): FauxQueue | undefined;
  listQueues(): FauxQueue[];
  shutdown(): void;
}

interface Snapshot {
  readonly version: number;
  readonly queues: ReadonlyArray<{
    readonly name: string;
    readonly attributes: Record<string, string>;
    readonly ready: FauxMessage[];
    readonly delayed: FauxMessage[];
    readonly inflight: FauxInflight[];
  }>;
}

/** Attributes a queue is created with (the rest are computed by fauxqs). */
const PERSISTED_ATTRIBUTES = [
  'VisibilityTimeout',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
];

/** SQS actions that do not change a queue's messages: they need no snapshot. */
const READ_ONLY_ACTIONS = new Set(['GetQueueAttributes', 'GetQueueUrl', 'ListQueues', 'ListQueueTags']);

export interface SqsQueueSpec {
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly deadLetter?: { readonly name: string; readonly maxReceiveCount: number };
}

export interface SqsEmulator {
  readonly endpoint: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** Creates each queue unless it exists (it does after a restart on disk); DLQs must come first. */
  ensureQueues(specs: readonly SqsQueueSpec[]): void;
  close(): Promise<void>;
}

async function loadStoreClass(): Promise<new () => FauxStore> {
  // fauxqs exports only buildApp/startFauxqs; persistence needs the store it runs on, so we
  // load its store class from the pinned package's own dist (version pinned exactly).
  const url = new URL('../../node_modules/fauxqs/dist/sqs/sqsStore.js', import.meta.url);
  return ((await import(/* @vite-ignore */ url.href)) as { SqsStore: new () => FauxStore }).SqsStore;
}

/**
 * The characters AWS SQS accepts in a message body (its documented set, as code points):
 * #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
 */
const SQS_INVALID_BODY_CHARACTER = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * fauxqs 1.9.2 checks bodies with `/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/` — no `u` flag, so
 * it sees the two UTF-16 halves of an emoji (U+D800-DFFF) and refuses every character above
 * U+FFFF that AWS accepts. SendMessage and SendMessageBatch both call `.test` on that one
 * exported RegExp, so we give that object AWS's test (a lone surrogate is still refused).
 * Loaded from the pinned package's dist like the store; a version whose check moved fails
 * here at start, not silently in a test.
 */
async function acceptAwsCharacters(): Promise<void> {
  const url = new URL('../../node_modules/fauxqs/dist/sqs/sqsTypes.js', import.meta.url);
  const types = (await import(/* @vite-ignore */ url.href)) as { INVALID_MESSAGE_BODY_CHAR?: RegExp };
  const check = types.INVALID_MESSAGE_BODY_CHAR;
  if (!(check instanceof RegExp)) throw new Error('fauxqs no longer exports INVALID_MESSAGE_BODY_CHAR');
  if (!check.test('\u{1F600}')) return; // already AWS's set (fixed upstream, or done before)
  Object.defineProperty(check, 'test', { value: (body: string) => SQS_INVALID_BODY_CHARACTER.test(body) });
}

export async function startSqs(options: { path?: string | undefined } = {}): Promise<SqsEmulator> {
  await acceptAwsCharacters();
  const SqsStore = await loadStoreClass();
  const store = new SqsStore();
  // buildApp's store type is fauxqs's class; ours is that class, typed structurally.
  const app = buildApp({ logger: false, defaultRegion: LOCAL_REGION, stores: { sqsStore: store } as never });
  const persister = options.path ? new SnapshotWriter(options.path, store) : undefined;
  if (persister) {
    app.addHook('onSend', async (request, _reply, payload) => {
      const action = headerValue(request.headers, 'x-amz-target')?.split('.').pop();
      if (action && !READ_ONLY_ACTIONS.has(action)) await persister.flush();
      return payload;
    });
  }
  await app.ready();
  await listen(app.server);
  const { port } = app.server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const queueUrl = (name: string) => `${endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;

  if (persister) persister.restore(queueUrl, queueArn);

  return {
    endpoint,
    queueUrl,
    queueArn,
    ensureQueues(specs) {
      for (const spec of specs) {
        const attributes: Record<string, string> = {
          VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(spec.messageRetentionSeconds),
          ...(spec.deadLetter
            ? {
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: queueArn(spec.deadLetter.name),
                  maxReceiveCount: spec.deadLetter.maxReceiveCount,
                }),
              }
            : {}),
        };
        const existing = store.getQueueByName(spec.name);
        // Definitions win over what was persisted (a changed timeout applies after a restart).
        if (existing) Object.assign(existing.attributes, attributes);
        else store.createQueue(spec.name, queueUrl(spec.name), queueArn(spec.name), attributes);
      }
      persister?.writeNow();
    },
    async close() {
      store.shutdown(); // ends long polls so the server can close
      await app.close();
      persister?.writeNow();
    },
  };
}

/** Group-committed, atomic snapshots of every queue. */
class SnapshotWriter {
  private readonly file: string;
  private queued: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(
    dir: string,
    private readonly store: FauxStore,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'queues.json');
  }

  /** Resolves once a snapshot taken after this call is on disk. */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.last.then(() => {
      this.queued = undefined;
      this.writeNow();
    });
    this.queued = next;
    this.last = next.catch(() => undefined);
    return next;
  }

  writeNow(): void {
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      queues: this.store
        .listQueues()
        .filter((q) => !q.isFifo())
        .map((q) => ({
          name: q.name,
          attributes: Object.fromEntries(
            PERSISTED_ATTRIBUTES.flatMap((a) => (q.attributes[a] ? [[a, q.attributes[a]]] : [])),
          ),
          ready: q.messages,
          delayed: q.delayedMessages,
          inflight: [...q.inflightMessages.values()],
        })),
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(snapshot));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  restore(queueUrl: (name: string) => string, queueArn: (name: string) => string): void {
    let snapshot: Snapshot;
    try {
      snapshot = JSON.parse(readFileSync(this.file, 'utf8')) as Snapshot;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`cannot read the SQS data in ${this.file}`, { cause: error });
    }
    if (snapshot.version !== SNAPSHOT_VERSION)
      throw new Error(`${this.file} has unknown version ${snapshot.version}`);
    for (const saved of snapshot.queues) {
      const queue =
        this.store.getQueueByName(saved.name) ??
        this.store.createQueue(saved.name, queueUrl(saved.name), queueArn(saved.name), saved.attributes);
      queue.messages.push(...saved.ready);
      queue.delayedMessages.push(...saved.delayed);
      for (const entry of saved.inflight) queue.inflightMessages.set(entry.receiptHandle, entry);
    }
  }
}
