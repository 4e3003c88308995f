import { randomUUID } from 'node:crypto';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import type { DynamoDbCall } from '@snapstack/local/server';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, likeAs, likesOf, unlikeAs } from './support/callers.js';

/** Faults a test arms: each returns true for the DynamoDB call it fails. */
const faults = new Set<(call: DynamoDbCall) => boolean>();
/** Every DynamoDB call the handlers made, for counting writes. */
const calls: DynamoDbCall[] = [];

let app: TestRunner;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
beforeAll(async () => {
  // The worker logs every injected fault as an error; keep the run readable (set LOG_LEVEL to see them).
  process.env.LOG_LEVEL ??= 'CRITICAL';
  app = await startTestRunner({
    queues: { visibilityTimeoutSeconds: 1, waitTimeSeconds: 1 },
    dynamodbFault: (call) => {
      calls.push(call);
      for (const fault of faults) if (fault(call)) return true;
      return false;
    },
  });
  const local = { region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  sqs = new SQSClient({ ...local, endpoint: app.endpoints.sqs });
  dynamodb = new DynamoDBClient({ ...local, endpoint: app.endpoints.dynamodb });
});
afterAll(async () => {
  sqs?.destroy();
  dynamodb?.destroy();
  await app?.close();
});

async function dlqDepth(): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: app.queueUrls['likes-dlq'],
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages);
}

/** Fails the matching call `times` times, then lets it through. */
function failTimes(times: number, match: (call: DynamoDbCall) => boolean) {
  let left = times;
  const fault = (call: DynamoDbCall) => {
    if (left > 0 && match(call)) {
      left--;
      return true;
    }
    return false;
  };
  faults.add(fault);
  return { failedAll: () => left === 0, disarm: () => faults.delete(fault) };
}

const onTable = (call: DynamoDbCall, table: 'users' | 'likes') =>
  call.input.TableName === app.names.tables[table];
const keyOf = (call: DynamoDbCall) =>
  JSON.stringify(call.input.Key ?? call.input.ExpressionAttributeValues ?? {});

describe('POST/DELETE /users/{id}/likes', () => {
  it('accepts a like with 202 and the count becomes 1', async () => {
    const userId = await createUser(app);
    const res = await likeAs(app, 'alice', userId);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'accepted' });
    await app.settled();
    expect(await likesOf(app, userId)).toBe(1);
  });

  it('counts the same person liking twice once', async () => {
    const userId = await createUser(app);
    expect((await likeAs(app, 'bob', userId)).status).toBe(202);
    expect((await likeAs(app, 'bob', userId)).status).toBe(202);
    await app.settled();
    expect(await likesOf(app, userId)).toBe(1);
  });

  it('unlike brings the count back to 0', async () => {
    const userId = await createUser(app);
    await likeAs(app, 'carol', userId);
    await app.settled();
    expect(await likesOf(app, userId)).toBe(1);
    expect((await unlikeAs(app, 'carol', userId)).status).toBe(202);
    await app.settled();
    expect(await likesOf(app, userId)).toBe(0);
  });

  it('counts exactly 200 when 200 different people like one user concurrently', async () => {
    const userId = await createUser(app);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => likeAs(app, `fan-${i}`, userId)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(202));
    await app.settled();
    expect(await likesOf(app, userId)).toBe(200);
  }, 60_000);

  it('keeps the latest request when a like and an unlike arrive out of order', async () => {
    const userId = await createUser(app);
    const message = (action: string, at: number) =>
      JSON.stringify({ userId, likerId: 'dave', action, requestId: randomUUID(), at });
    // The unlike was accepted later (at 2000) but is delivered first; the like (at 1000) is stale.
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: app.queueUrls.likes,
        Entries: [
          { Id: 'unlike', MessageBody: message('unlike', 2000) },
          { Id: 'like', MessageBody: message('like', 1000) },
        ],
      }),
    );
    await app.settled();
    expect(await likesOf(app, userId)).toBe(0);
  });

  it('drops a like for an unknown user: no user is created and nothing is dead-lettered', async () => {
    const ghost = randomUUID();
    const dlqBefore = await dlqDepth();
    expect((await likeAs(app, 'erin', ghost)).status).toBe(202);
    await app.settled();
    expect((await app.request('GET', `/users/${ghost}`)).status).toBe(404);
    const stored = await dynamodb.send(
      new QueryCommand({
        TableName: app.names.tables.likes,
        KeyConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': { S: ghost } },
      }),
    );
    expect(stored.Count).toBe(0);
    expect(await dlqDepth()).toBe(dlqBefore);
  });

  it('keeps API responses to the public user fields after likes', async () => {
    const userId = await createUser(app);
    await likeAs(app, 'frank', userId);
    await app.settled();
    const res = await app.request('GET', `/users/${userId}`);
    expect(Object.keys(res.body).sort()).toEqual([
      'age',
      'createdAt',
      'createdBy',
      'email',
      'id',
      'likes',
      'name',
    ]);
  });
});

describe('a fault between the worker writes', () => {
  // Each crash point of one like: before/after each write of the pair and of the count.
  const points = [
    ['the pair write fails', (c: DynamoDbCall) => c.operation === 'UpdateItem' && onTable(c, 'likes')],
    [
      'the count write fails after the pair write',
      (c: DynamoDbCall) => c.operation === 'UpdateItem' && onTable(c, 'users'),
    ],
    [
      'the check after the count write fails',
      (c: DynamoDbCall) => c.operation === 'Query' && onTable(c, 'likes'),
    ],
  ] as const;

  it.each(points)(
    'converges to the exact count after redelivery when %s',
    async (_label, match) => {
      const userId = await createUser(app);
      await likeAs(app, 'gina', userId);
      await app.settled();
      const forThisUser = (c: DynamoDbCall) => match(c) && keyOf(c).includes(userId);
      // The second (failing) query is the one after the count write: fail that one.
      const skip = match === points[2][1] ? 1 : 0;
      let seen = 0;
      const fault = failTimes(1, (c) => forThisUser(c) && seen++ >= skip);
      calls.length = 0;
      await Promise.all([likeAs(app, 'hank', userId), likeAs(app, 'gina', userId)]);
      await app.settled();
      fault.disarm();
      expect(fault.failedAll()).toBe(true);
      expect(await likesOf(app, userId)).toBe(2);
      // The failed record was redelivered: two likes, plus the pair write of the redelivery.
      const pairWrites = calls.filter(
        (c) => c.operation === 'UpdateItem' && onTable(c, 'likes') && keyOf(c).includes(userId),
      );
      expect(pairWrites.length).toBeGreaterThanOrEqual(3);
    },
    30_000,
  );
});
