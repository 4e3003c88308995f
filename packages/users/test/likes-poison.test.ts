/**
 * Permanent failures are dropped, not retried: through the local gateway, the likes queue and
 * the real worker. A like that can never succeed (a user id or liker id the worker's schema
 * refuses, a user that does not exist) is accepted with 202, then dropped on its first receive
 * with a log line and a metric; it never reaches the DLQ, where a redrive would loop it.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUser, likeAs, likesOf, queueDepth } from './support/callers.js';

let app: TestRunner;
let sqs: SQSClient;
/** Every JSON line the in-process handlers wrote (Powertools logs and EMF metrics). */
let lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  // The drop is a warning: it has to be in the output this test reads.
  process.env.LOG_LEVEL = 'WARN';
  // Powertools writes info and metrics to stdout, warnings and errors to stderr.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      for (const line of String(chunk).split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not one of the handlers' JSON lines
        }
      }
      return write(chunk, ...(rest as []));
    });
  }
  // Short timings, so "the retries would have happened" takes seconds: a failed record is
  // visible again after 1 s and dead-lettered on its 4th receive.
  app = await startTestRunner({ queues: { visibilityTimeoutSeconds: 1, waitTimeSeconds: 1 } });
  sqs = new SQSClient({
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: app.endpoints.sqs,
  });
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  sqs?.destroy();
  await app?.close();
});
beforeEach(() => {
  lines = [];
});

const depth = (queue: 'likes' | 'likes-dlq') => queueDepth(sqs, app, queue);

const logged = (message: string) => lines.filter((l) => l.message === message);
/** EMF documents name their metrics in `_aws.CloudWatchMetrics[].Metrics[].Name`; the value is a key. */
const metricTotal = (name: string) =>
  lines
    .filter((l) => '_aws' in l && name in l)
    .reduce(
      (sum, l) =>
        sum + (Array.isArray(l[name]) ? (l[name] as number[]).reduce((a, b) => a + b, 0) : Number(l[name])),
      0,
    );

/** Everything sent has been applied, dropped or dead-lettered; nothing is waiting to be retried. */
async function drained() {
  await app.settled();
  expect(await depth('likes')).toBe(0);
}

describe('a like that can never succeed', () => {
  it.each([
    ['a user id over 200 characters', async () => likeAs(app, 'poison-liker', 'u'.repeat(201))],
    ['a liker id (token sub) over 200 characters', async () => likeAs(app, 'l'.repeat(201), 'some-user')],
  ])(
    '%s: 202, dropped once with a log line and LikesDroppedInvalidMessage, never dead-lettered',
    async (_case, send) => {
      const res = await send();
      expect(res.status).toBe(202);
      await drained();

      expect(await depth('likes-dlq')).toBe(0);
      expect(logged('like dropped: the message is not a valid like')).toEqual([
        expect.objectContaining({ level: 'WARN', reason: 'invalid-message' }),
      ]);
      expect(metricTotal('LikesDroppedInvalidMessage')).toBe(1);
      // Received once: no failure was reported, so SQS had nothing to redeliver.
      expect(logged('like failed; SQS will redeliver it')).toEqual([]);
    },
    30_000,
  );

  it('applies a valid like that follows the dropped ones (the worker is not stuck)', async () => {
    const userId = await createUser(app);
    expect((await likeAs(app, 'after-poison', userId)).status).toBe(202);
    await drained();
    expect(await likesOf(app, userId)).toBe(1);
    expect(await depth('likes-dlq')).toBe(0);
  }, 30_000);
});

// Characters AWS SQS accepts (above U+FFFF too) reach the worker; no user has such an id, so
// each like is dropped as unknown-user, once, and nothing is dead-lettered.
describe('a path id with characters outside ASCII', () => {
  it.each([
    ['an emoji', '😀'],
    ['an emoji with a skin tone and a ZWJ sequence', '👩🏽‍💻'],
    ['the last code point, U+10FFFF', '\u{10FFFF}'],
    ['CJK', '漢字'],
    ['U+FFFD', '\uFFFD'],
    ['a combining mark', 'e\u0301'],
  ])(
    '%s: 202, then dropped as an unknown user, never dead-lettered',
    async (_case, id) => {
      const res = await likeAs(app, 'unicode-liker', id);
      expect({ status: res.status, body: res.body }).toEqual({ status: 202, body: { message: 'accepted' } });
      await drained();

      expect(await depth('likes-dlq')).toBe(0);
      expect(logged('like dropped: the user does not exist')).toEqual([
        expect.objectContaining({ reason: 'unknown-user', userId: id, likerId: 'unicode-liker' }),
      ]);
      expect(metricTotal('LikesDroppedUnknownUser')).toBe(1);
      expect(logged('like failed; SQS will redeliver it')).toEqual([]);
    },
    30_000,
  );
});
