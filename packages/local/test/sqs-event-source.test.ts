import { DeleteMessageBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../src/emulators/support.js';
import { createInvoke } from '../src/lambda/invoke.js';
import { startSqs } from '../src/sqs/emulator.js';
import { SqsEventSource } from '../src/sqs/event-source.js';

let sqs: Awaited<ReturnType<typeof startSqs>>;
let client: SQSClient;
beforeAll(async () => {
  sqs = await startSqs({});
  client = new SQSClient(localClientConfig(sqs.endpoint));
});
afterAll(async () => {
  client?.destroy();
  await sqs?.close();
});

type FirstTry = (event: SQSEvent) => unknown;

/**
 * Runs one batch of m1..m3 through an event source whose function answers `firstTry` on first
 * receives; `through` is the SQS client the poller uses (a fault-injecting wrapper in one test).
 */
async function run(name: string, firstTry: FirstTry, { through = client, timeoutMs = 5000 } = {}) {
  sqs.ensureQueues([{ name, visibilityTimeoutSeconds: 1, messageRetentionSeconds: 3600 }]);
  const deliveries = new Map<string, number>();
  const handler = async (event: SQSEvent) => {
    for (const r of event.Records) deliveries.set(r.body, (deliveries.get(r.body) ?? 0) + 1);
    if (event.Records.every((r) => r.attributes.ApproximateReceiveCount === '1')) return firstTry(event);
    return { batchItemFailures: [] };
  };
  await client.send(
    new SendMessageBatchCommand({
      QueueUrl: sqs.queueUrl(name),
      Entries: ['m1', 'm2', 'm3'].map((b) => ({ Id: b, MessageBody: b })),
    }),
  );
  const source = new SqsEventSource({
    client: through,
    invoke: createInvoke({
      host: { handler: async () => handler as (event: unknown) => Promise<unknown> },
      functions: { fn: { memoryMb: 128, timeoutSeconds: timeoutMs / 1000 } },
      functionName: (id) => id,
    }),
    functionId: 'fn',
    queueUrl: sqs.queueUrl(name),
    queueArn: sqs.queueArn(name),
    batchSize: 10,
    reportBatchItemFailures: true,
    pollers: 1,
    waitTimeSeconds: 1,
    log: () => undefined,
  });
  source.start();
  await source.settled();
  await source.stop();
  return Object.fromEntries([...deliveries].sort());
}

const idOf = (event: SQSEvent, body: string) => event.Records.find((r) => r.body === body)?.messageId;

describe('the SQS event source mapping', () => {
  it('deletes a fully successful batch', async () => {
    expect(await run('ok', () => ({ batchItemFailures: [] }))).toEqual({ m1: 1, m2: 1, m3: 1 });
  });

  it('redelivers only the records listed in batchItemFailures', async () => {
    const deliveries = await run('partial', (e) => ({
      batchItemFailures: [{ itemIdentifier: idOf(e, 'm2') }],
    }));
    expect(deliveries).toEqual({ m1: 1, m2: 2, m3: 1 });
  });

  it.each([
    ['the function throws', () => Promise.reject(new Error('boom'))],
    ['a failure names an unknown record', () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] })],
    ['a failure has no identifier', () => ({ batchItemFailures: [{}] })],
    ['batchItemFailures is not a list', () => ({ batchItemFailures: 'm2' })],
  ] as Array<[string, FirstTry]>)('redelivers the whole batch when %s', async (label, firstTry) => {
    expect(await run(`whole-${label.replace(/\W+/g, '-')}`, firstTry)).toEqual({ m1: 2, m2: 2, m3: 2 });
  });

  it.each([
    ['returns a string', () => 'garbage'],
    ['returns a number', () => 42],
    ['returns a list', () => [1, 2]],
  ] as Array<[string, FirstTry]>)(
    'treats a batch as done when the function %s (no batchItemFailures)',
    async (label, firstTry) => {
      expect(await run(`garbage-${label.replace(/\W+/g, '-')}`, firstTry)).toEqual({ m1: 1, m2: 1, m3: 1 });
    },
  );

  it('redelivers the whole batch when the function hangs past its timeout', async () => {
    const hang: FirstTry = () => new Promise(() => undefined);
    expect(await run('hangs', hang, { timeoutMs: 100 })).toEqual({ m1: 2, m2: 2, m3: 2 });
  });

  it('keeps polling after deleting a processed batch fails, and the batch comes again', async () => {
    // Nothing real makes DeleteMessageBatch fail on demand: the poller's client fails it once.
    let failed = false;
    const flaky = {
      send: (command: unknown, options?: unknown) => {
        if (command instanceof DeleteMessageBatchCommand && !failed) {
          failed = true;
          return Promise.reject(new Error('connection reset while deleting'));
        }
        return client.send(command as never, options as never);
      },
    } as unknown as SQSClient;
    expect(await run('delete-fails', () => ({ batchItemFailures: [] }), { through: flaky })).toEqual({
      m1: 2,
      m2: 2,
      m3: 2,
    });
    expect(failed).toBe(true);
  });
});
