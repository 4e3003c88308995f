import { admitAll } from '@snapstack/local/gateway';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, likesOf } from './support/callers.js';

const queues = { visibilityTimeoutSeconds: 1, waitTimeSeconds: 1 };

describe('the likes integration at the gateway', () => {
  let app: TestRunner;
  beforeAll(async () => {
    app = await startTestRunner({ queues });
  });
  afterAll(() => app?.close());

  it('answers 401 without a token and enqueues nothing', async () => {
    const userId = await createUser(app);
    const res = await app.request('POST', `/users/${userId}/likes`, { anonymous: true });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
    await app.settled();
    expect(await likesOf(app, userId)).toBe(0);
  });

  it('answers 415 to a body type the integration has no template for (passthrough NEVER)', async () => {
    const res = await app.request('POST', '/users/u1/likes', {
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(await app.as('someone')) },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ message: 'Unsupported Media Type' });
  });
});

describe('a likes route admitted without an authorizer context (a misconfigured gateway)', () => {
  let app: TestRunner;
  beforeAll(async () => {
    app = await startTestRunner({ queues, authenticate: admitAll });
  });
  afterAll(() => app?.close());

  it('refuses with 401 rather than enqueue a like with no liker', async () => {
    const userId = await createUser(app);
    const res = await app.request('POST', `/users/${userId}/likes`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
    await app.settled();
    expect(await likesOf(app, userId)).toBe(0);
  });
});
