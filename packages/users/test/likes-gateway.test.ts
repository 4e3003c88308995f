import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, likesOf } from './support/callers.js';

// The gateway's default auth stage on this branch admits without an authorizer context, as a
// misconfigured route would: the integration must refuse rather than enqueue an empty liker.
let app: TestRunner;
beforeAll(async () => {
  app = await startTestRunner({ queues: { visibilityTimeoutSeconds: 1, waitTimeSeconds: 1 } });
});
afterAll(() => app?.close());

describe('the likes integration at the gateway', () => {
  it('answers 401 and enqueues nothing when the authorizer supplied no principal', async () => {
    const userId = await createUser(app);
    const res = await app.request('POST', `/users/${userId}/likes`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
    await app.settled();
    expect(await likesOf(app, userId)).toBe(0);
  });

  it('answers 415 to a body type the integration has no template for (passthrough NEVER)', async () => {
    const res = await app.request('POST', '/users/u1/likes', {
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ message: 'Unsupported Media Type' });
  });
});
