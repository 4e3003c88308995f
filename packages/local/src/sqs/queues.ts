/**
 * The local runner's queues: the SQS emulator with the domain's queues, and one event source
 * mapping per catalog function that declares an SQS event source. server.ts hooks this in; it
 * holds no business logic.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { functions, sqsEventSources } from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import { type QueueId, queues } from '@snapstack/domain/queues';
import { localClientConfig } from '../emulators/support.js';
import type { Invoke } from '../lambda/invoke.js';
import { startSqs } from './emulator.js';
import { SqsEventSource } from './event-source.js';

export interface QueueOptions {
  /** Overrides every queue's visibility timeout (tests: 1 s, so redelivery is quick). */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll wait of the event source pollers, seconds (default 20, as Lambda). */
  readonly waitTimeSeconds?: number;
  /** Concurrent pollers per event source (default 4). */
  readonly pollers?: number;
  /** false: pollers start only on `LocalRunner.startPolling()` (tests that need one full batch). */
  readonly autoStart?: boolean;
}

/** Where a running runner tells `pnpm redrive` its SQS endpoint. */
export const RUNNER_FILE = 'runner.json';

export async function startLocalQueues(
  stage: string,
  dataDir: string | undefined,
  options: QueueOptions = {},
  { announce = true }: { announce?: boolean } = {},
) {
  const sqsDir = dataDir ? path.join(dataDir, 'sqs') : undefined;
  const sqs = await startSqs({ path: sqsDir });
  const ids = Object.keys(queues) as QueueId[];
  const names = Object.fromEntries(ids.map((id) => [id, resourceName(stage, queues[id].id)])) as Record<
    QueueId,
    string
  >;
  const urls = Object.fromEntries(ids.map((id) => [id, sqs.queueUrl(names[id])])) as Record<QueueId, string>;
  // Dead-letter queues first: a redrive policy names an existing queue.
  const ordered = [
    ...ids.filter((id) => !('deadLetter' in queues[id])),
    ...ids.filter((id) => 'deadLetter' in queues[id]),
  ];
  sqs.ensureQueues(
    ordered.map((id) => {
      const q = queues[id];
      return {
        name: names[id],
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? q.visibilityTimeoutSeconds,
        messageRetentionSeconds: q.messageRetentionSeconds,
        ...('deadLetter' in q
          ? { deadLetter: { name: names[q.deadLetter.queue], maxReceiveCount: q.deadLetter.maxReceiveCount } }
          : {}),
      };
    }),
  );
  const runnerFile = sqsDir ? path.join(sqsDir, RUNNER_FILE) : undefined;
  if (runnerFile && announce)
    writeFileSync(
      runnerFile,
      `${JSON.stringify({ pid: process.pid, stage, endpoint: sqs.endpoint, urls })}\n`,
    );
  const client = new SQSClient(localClientConfig(sqs.endpoint));
  return {
    endpoint: sqs.endpoint,
    names,
    urls,
    client,
    arn: (id: QueueId) => sqs.queueArn(names[id]),
    async close() {
      client.destroy();
      await sqs.close();
      if (runnerFile && announce) rmSync(runnerFile, { force: true });
    },
  };
}

export type LocalQueues = Awaited<ReturnType<typeof startLocalQueues>>;

/** Starts an event source mapping for every function with an SQS event source. */
export function startEventSources(
  invoke: Invoke,
  local: LocalQueues,
  log: (line: string) => void,
  options: QueueOptions = {},
) {
  const sources: SqsEventSource[] = [];
  for (const [id, fn] of Object.entries(functions) as Array<
    [keyof typeof functions, (typeof functions)[keyof typeof functions]]
  >) {
    for (const source of sqsEventSources(fn)) {
      const es = new SqsEventSource({
        client: local.client,
        invoke,
        functionId: id,
        queueUrl: local.urls[source.queue],
        queueArn: local.arn(source.queue),
        batchSize: source.batchSize,
        reportBatchItemFailures: source.reportBatchItemFailures,
        pollers: options.pollers ?? 4,
        waitTimeSeconds: options.waitTimeSeconds ?? 20,
        log,
      });
      sources.push(es);
    }
  }
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const s of sources) s.start();
  };
  if (options.autoStart ?? true) start();
  return {
    start,
    /** Resolves when every event source queue is drained and no batch runs. */
    settled: async () => {
      for (const s of sources) await s.settled();
      // A batch may have moved a record back or to the DLQ while we checked the next source.
      for (const s of sources) await s.settled();
    },
    stop: () => Promise.all(sources.map((s) => s.stop())).then(() => undefined),
  };
}
