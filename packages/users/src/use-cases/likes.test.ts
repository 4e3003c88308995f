import { NotFoundError } from '@snapstack/domain/errors';
import type { LikeMessage } from '@snapstack/domain/likes';
import { createLogger } from '@snapstack/domain/logger';
import type { User } from '@snapstack/domain/user';
import { describe, expect, it } from 'vitest';
import type { LikeRepository, LikesTelemetry, UserRepository } from '../ports.js';
import { coalesce, makeApplyLike, makeHandleLikeBody, parseLikeMessage, requestOrder } from './likes.js';

/** In-memory stores with DynamoDB's single-item semantics; `step` runs before every call. */
function world(step: (call: string) => Promise<void> | void = () => undefined) {
  const users = new Map<string, User>();
  const pairs = new Map<string, { liked: boolean; order: string }>();
  const dropped: string[] = [];
  const userRepo = {
    async get(id: string) {
      await step('users.get');
      return users.get(id);
    },
    async setLikes(id: string, likes: number) {
      await step('users.setLikes');
      const user = users.get(id);
      if (!user) throw new NotFoundError(`user ${id} not found`);
      users.set(id, { ...user, likes });
    },
  } as unknown as UserRepository;
  const likeRepo: LikeRepository = {
    async record(edge) {
      await step('likes.record');
      const key = `${edge.userId}|${edge.likerId}`;
      const stored = pairs.get(key);
      if (stored && stored.order >= edge.order) return false;
      pairs.set(key, { liked: edge.liked, order: edge.order });
      return true;
    },
    async countLikers(userId) {
      await step('likes.count');
      return [...pairs].filter(([k, v]) => k.startsWith(`${userId}|`) && v.liked).length;
    },
  };
  const telemetry: LikesTelemetry = { dropped: (reason) => dropped.push(reason) };
  const logger = createLogger('test');
  logger.setLogLevel('SILENT');
  const worker = () => makeApplyLike(userRepo, likeRepo, telemetry, logger);
  const handleBody = () => makeHandleLikeBody(worker(), telemetry, logger);
  const addUser = (id: string) =>
    users.set(id, { id, name: id, age: 30, email: `${id}@example.com`, likes: 0, createdAt: 'now' });
  return { users, pairs, dropped, worker, handleBody, addUser };
}

let seq = 0;
const msg = (likerId: string, action: 'like' | 'unlike', at: number, userId = 'u'): LikeMessage => ({
  userId,
  likerId,
  action,
  at,
  requestId: `r${++seq}`,
});

/** Delivers each message until it succeeds, as SQS redelivers a failed record. */
async function deliverAll(apply: (m: LikeMessage) => Promise<unknown>, messages: readonly LikeMessage[]) {
  for (const m of messages) {
    for (let attempt = 0; ; attempt++) {
      try {
        await apply(m);
        break;
      } catch (error) {
        if (attempt > 20) throw error;
      }
    }
  }
}

describe('applying likes', () => {
  it('counts a duplicate delivery once and an unlike removes it', async () => {
    const w = world();
    w.addUser('u');
    const apply = w.worker();
    const like = msg('a', 'like', 1);
    await apply(like);
    await apply(like);
    expect(w.users.get('u')?.likes).toBe(1);
    await apply(msg('a', 'unlike', 2));
    expect(w.users.get('u')?.likes).toBe(0);
  });

  it('lets the later request win when an older like arrives after an unlike', async () => {
    const w = world();
    w.addUser('u');
    const apply = w.worker();
    await apply(msg('a', 'unlike', 20));
    await apply(msg('a', 'like', 10));
    expect(w.users.get('u')?.likes).toBe(0);
  });

  it('drops a like for an unknown user without writing anything', async () => {
    const w = world();
    expect(await w.worker()(msg('a', 'like', 1, 'ghost'))).toBe('dropped');
    expect(w.users.has('ghost')).toBe(false);
    expect(w.pairs.size).toBe(0);
    expect(w.dropped).toEqual(['unknown-user']);
  });

  it('drops, and does not recreate, a user deleted between the pair write and the count', async () => {
    const w = world((call) => {
      if (call === 'likes.count') w.users.delete('u');
    });
    w.addUser('u');
    expect(await w.worker()(msg('a', 'like', 1))).toBe('dropped');
    expect(w.users.has('u')).toBe(false);
  });

  // Every call of every message, in turn, fails once (a crash there); redelivery must converge.
  const script = [
    msg('a', 'like', 1),
    msg('b', 'like', 2),
    msg('a', 'like', 1),
    msg('b', 'unlike', 3),
    msg('c', 'like', 4),
  ];
  const callsPerRun = 5 * script.length;
  it.each(Array.from({ length: callsPerRun }, (_, k) => k))(
    'is exact when call #%i fails once',
    async (k) => {
      let n = 0;
      const w = world((call) => {
        if (n++ === k) throw new Error(`crash at ${call}`);
      });
      w.addUser('u');
      await deliverAll(w.worker(), script);
      expect(w.users.get('u')?.likes).toBe(2); // a and c
    },
  );

  it('corrects a stale count written by a slower container', async () => {
    // Container A counts 1 and stalls before writing; B records a second like and writes 2;
    // then A writes its stale 1. A's check count must catch it.
    let stallA: (() => void) | undefined;
    let stalled = false;
    const w = world(async (call) => {
      if (call === 'users.setLikes' && !stalled) {
        stalled = true;
        await new Promise<void>((resolve) => {
          stallA = resolve;
        });
      }
    });
    w.addUser('u');
    const a = w.worker()(msg('a', 'like', 1));
    while (!stallA) await new Promise((r) => setTimeout(r, 0));
    await w.worker()(msg('b', 'like', 2));
    expect(w.users.get('u')?.likes).toBe(2);
    stallA();
    await a;
    expect(w.users.get('u')?.likes).toBe(2);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'is exact with three containers interleaving at random (seed %i)',
    async (seed) => {
      let state = seed;
      const random = () => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state / 2 ** 31;
      };
      const w = world(async () => {
        for (let i = Math.floor(random() * 4); i > 0; i--) await Promise.resolve();
      });
      w.addUser('u');
      const containers = [w.worker(), w.worker(), w.worker()];
      const messages = Array.from({ length: 30 }, (_, i) =>
        msg(`p${i % 12}`, i % 5 === 4 ? 'unlike' : 'like', i),
      );
      await Promise.all(messages.map((m, i) => containers[i % 3]?.(m)));
      const expected = [...w.pairs.values()].filter((p) => p.liked).length;
      expect(w.users.get('u')?.likes).toBe(expected);
    },
  );
});

describe('coalesce', () => {
  it('runs callers that arrive during a run in one next run, never in the running one', async () => {
    const runs: number[] = [];
    let release: () => void = () => undefined;
    const shared = coalesce(async () => {
      runs.push(runs.length);
      await new Promise<void>((r) => {
        release = r;
      });
      return runs.length;
    });
    const first = shared('k');
    const second = shared('k');
    const third = shared('k');
    expect(runs).toEqual([0]);
    release();
    expect(await first).toBe(1);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toEqual([0, 1]);
    release();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
  });
});

describe('like messages', () => {
  it('parses the message the gateway sends and rejects anything else', () => {
    const m = { userId: 'u', likerId: 'a', action: 'like', requestId: 'r', at: 5 };
    expect(parseLikeMessage(JSON.stringify(m))).toEqual(m);
    expect(() => parseLikeMessage('not json')).toThrow('Invalid request body');
    expect(() => parseLikeMessage(JSON.stringify({ ...m, likerId: '' }))).toThrow();
    expect(() => parseLikeMessage(JSON.stringify({ ...m, action: 'love' }))).toThrow();
  });

  it('orders requests by time first, then request id', () => {
    expect(requestOrder({ at: 9, requestId: 'z' }) < requestOrder({ at: 10, requestId: 'a' })).toBe(true);
    expect(requestOrder({ at: 10, requestId: 'a' }) < requestOrder({ at: 10, requestId: 'b' })).toBe(true);
  });
});

describe('makeHandleLikeBody (permanent vs transient)', () => {
  const valid = { userId: 'u', likerId: 'a', action: 'like', requestId: 'r1', at: 1 };
  it.each([
    ['not JSON', 'not json'],
    ['a user id over 200 characters', JSON.stringify({ ...valid, userId: 'u'.repeat(201) })],
    ['a liker id over 200 characters', JSON.stringify({ ...valid, likerId: 'a'.repeat(201) })],
    ['an empty liker id', JSON.stringify({ ...valid, likerId: '' })],
    ['a numeric liker id', JSON.stringify({ ...valid, likerId: 42 })],
    ['an unknown action', JSON.stringify({ ...valid, action: 'love' })],
    ['a missing field', JSON.stringify({ ...valid, at: undefined })],
  ])('drops %s (counted as invalid-message) and writes nothing', async (_case, body) => {
    const w = world();
    w.addUser('u');
    await expect(w.handleBody()(body)).resolves.toBe('dropped');
    expect(w.dropped).toEqual(['invalid-message']);
    expect(w.pairs.size).toBe(0);
    expect(w.users.get('u')?.likes).toBe(0);
  });

  it('applies a valid body', async () => {
    const w = world();
    w.addUser('u');
    await expect(w.handleBody()(JSON.stringify(valid))).resolves.toBe('applied');
    expect(w.users.get('u')?.likes).toBe(1);
    expect(w.dropped).toEqual([]);
  });

  it('drops a valid like of an unknown user as unknown-user', async () => {
    const w = world();
    await expect(w.handleBody()(JSON.stringify({ ...valid, userId: '😀' }))).resolves.toBe('dropped');
    expect(w.dropped).toEqual(['unknown-user']);
  });

  it('lets a transient failure through, so SQS retries the record', async () => {
    const w = world((call) => {
      if (call === 'likes.record') throw new Error('ProvisionedThroughputExceededException');
    });
    w.addUser('u');
    await expect(w.handleBody()(JSON.stringify(valid))).rejects.toThrow('ProvisionedThroughput');
    expect(w.dropped).toEqual([]);
  });
});
