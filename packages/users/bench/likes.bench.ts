/**
 * Likes end to end through the local runner: accepted at the API (202, SQS SendMessage) ->
 * applied in the table by the likes worker (event source mapping, batches of 10). The run
 * checks every user's final count against the expected distinct likers; a wrong count is a MISS.
 *
 * Workload: USERS users, LIKERS likers each, every like sent twice (duplicate requests), then
 * a fifth of the likers unlike. Expected count per user = LIKERS - unlikers.
 */
import type { Bench, BenchReport } from '@snapstack/bench-kit';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';

const USERS = 10;
const LIKERS = 60;
const UNLIKERS = 12;
const CONCURRENCY = 32;

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

async function phase(
  app: TestRunner,
  requests: ReadonlyArray<{ method: string; path: string; sub: string }>,
) {
  const started = performance.now();
  let rejected = 0;
  await pool(requests, CONCURRENCY, async (r) => {
    const res = await app.request(r.method, r.path, { headers: await app.as(r.sub) });
    if (res.status !== 202) rejected++;
  });
  const acceptedMs = performance.now() - started;
  await app.settled();
  return { acceptedMs, appliedMs: performance.now() - started, rejected };
}

export default (async ({ log }) => {
  const app = await startTestRunner({ queues: { waitTimeSeconds: 1 } });
  try {
    const users: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const res = await app.request('POST', '/users', {
        json: { name: `Bench ${i}`, age: 30, email: `bench${i}@example.com` },
      });
      users.push(res.body.id);
    }
    const likes = users.flatMap((id) =>
      Array.from({ length: LIKERS * 2 }, (_, i) => ({
        method: 'POST',
        path: `/users/${id}/likes`,
        sub: `liker-${i % LIKERS}`,
      })),
    );
    const unlikes = users.flatMap((id) =>
      Array.from({ length: UNLIKERS }, (_, i) => ({
        method: 'DELETE',
        path: `/users/${id}/likes`,
        sub: `liker-${i}`,
      })),
    );
    log(`${likes.length} likes (half duplicates) for ${USERS} users, then ${unlikes.length} unlikes`);
    const p1 = await phase(app, likes);
    const p2 = await phase(app, unlikes);

    const counts = await Promise.all(
      users.map(async (id) => (await app.request('GET', `/users/${id}`)).body.likes),
    );
    const expected = LIKERS - UNLIKERS;
    const exact = counts.filter((c) => c === expected).length;
    const rate = (n: number, ms: number) => (n / ms) * 1000;
    const rows = [
      {
        phase: 'likes (x2 duplicates)',
        requests: likes.length,
        'accepted/s (API)': rate(likes.length, p1.acceptedMs),
        'applied/s (end to end)': rate(likes.length, p1.appliedMs),
        rejected: p1.rejected,
      },
      {
        phase: 'unlikes',
        requests: unlikes.length,
        'accepted/s (API)': rate(unlikes.length, p2.acceptedMs),
        'applied/s (end to end)': rate(unlikes.length, p2.appliedMs),
        rejected: p2.rejected,
      },
    ];
    return {
      name: 'likes',
      title: `Likes end to end through the local runner (${CONCURRENCY} concurrent clients, 4 pollers, batch 10)`,
      rows,
      targets: [
        {
          name: `users with exactly ${expected} likes`,
          value: exact,
          target: `= ${USERS}`,
          pass: exact === USERS && p1.rejected + p2.rejected === 0,
        },
      ],
      notes: [
        `final counts: ${counts.join(', ')}`,
        'applied/s counts from the first request until the queue is drained and every batch has finished',
        'in-process emulators on a shared 2-core machine: compare runs on the same machine only',
      ],
    } satisfies BenchReport;
  } finally {
    await app.close();
  }
}) satisfies Bench;
