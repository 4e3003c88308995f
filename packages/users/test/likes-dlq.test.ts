import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import { redrive } from '@snapstack/local/redrive';
import type { DynamoDbCall } from '@snapstack/local/server';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, likeAs, likesOf, queueDepth } from './support/callers.js';

let poisoned: string | undefined;
const calls: DynamoDbCall[] = [];

let app: TestRunner;
let sqs: SQSClient;
beforeAll(async () => {
  // The worker logs every injected fault as an error; keep the run readable (set LOG_LEVEL to see them).
  process.env.LOG_LEVEL ??= 'CRITICAL';
  app = await startTestRunner({
    // One poller that starts when the test says, so the whole burst is one batch.
    queues: { visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, pollers: 1, autoStart: false },
    dynamodbFault: (call) => {
      calls.push(call);
      // The poison: every count write for one user fails until the test "fixes" it.
      const key = call.input.Key as { id?: { S?: string } } | undefined;
      return poisoned !== undefined && call.operation === 'UpdateItem' && key?.id?.S === poisoned;
    },
  });
  sqs = new SQSClient({
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: app.endpoints.sqs,
  });
});
afterAll(async () => {
  sqs?.destroy();
  await app?.close();
});

const depth = (queue: 'likes' | 'likes-dlq') => queueDepth(sqs, app, queue);

const pairWritesBy = (likerId: string) =>
  calls.filter(
    (c) => c.operation === 'UpdateItem' && JSON.stringify(c.input.Key ?? {}).includes(`"${likerId}"`),
  ).length;

describe('a batch with one poison record', () => {
  it('applies the others once, dead-letters the poison after 3 receives, and applies it after redrive once fixed', async () => {
    const good = await Promise.all([createUser(app), createUser(app), createUser(app)]);
    const victim = await createUser(app);
    poisoned = victim;

    const accepted = await Promise.all([
      ...good.map((userId, i) => likeAs(app, `good-${i}`, userId)),
      likeAs(app, 'poison-liker', victim),
    ]);
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(await depth('likes')).toBe(4);

    app.startPolling();
    await app.settled();

    // The good records were applied once: their pair was written exactly once (no redelivery).
    for (const [i, userId] of good.entries()) {
      expect(await likesOf(app, userId)).toBe(1);
      expect(pairWritesBy(`good-${i}`)).toBe(1);
    }
    // The poison was received 3 times (maxReceiveCount), then moved to the DLQ on the 4th receive.
    expect(pairWritesBy('poison-liker')).toBe(3);
    expect(await likesOf(app, victim)).toBe(0);
    expect(await depth('likes')).toBe(0);
    const peek = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: app.queueUrls['likes-dlq'],
        VisibilityTimeout: 0,
        MaxNumberOfMessages: 10,
      }),
    );
    expect(peek.Messages?.map((m) => JSON.parse(m.Body ?? '{}'))).toEqual([
      expect.objectContaining({ userId: victim, likerId: 'poison-liker', action: 'like' }),
    ]);

    // Fixed: the count writes go through again. Redrive moves the message back and it is applied.
    poisoned = undefined;
    const result = await redrive(sqs, app.queueUrls['likes-dlq'], app.queueUrls.likes, {
      waitTimeSeconds: 0,
    });
    expect(result).toEqual({ moved: 1, failed: 0 });
    await app.settled();
    expect(await depth('likes-dlq')).toBe(0);
    expect(await likesOf(app, victim)).toBe(1);
    for (const userId of good) expect(await likesOf(app, userId)).toBe(1);
  }, 60_000);
});
