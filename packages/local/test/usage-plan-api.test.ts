/** Usage plan limits, authorizer TTL 0 and per-stage CORS origins, on runners configured for them. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '../src/testing.js';

let strict: TestRunner;
let quota: TestRunner;
beforeAll(async () => {
  // A refill of one token per 1000 s: the bucket cannot refill during the test, however slow the machine.
  strict = await startTestRunner({
    auth: {
      usagePlan: { rateLimit: 0.001, burstLimit: 2, quota: { limit: 1000, period: 'DAY' } },
      resultTtlSeconds: 0,
      corsOrigins: ['https://app.example'],
    },
  });
  quota = await startTestRunner({
    auth: { usagePlan: { rateLimit: 1000, burstLimit: 1000, quota: { limit: 3, period: 'DAY' } } },
  });
  // Two runners, one after the other: on a busy machine that is more than the default 10 s.
}, 60_000);
afterAll(async () => {
  await strict?.close();
  await quota?.close();
});

describe('usage plan', () => {
  it('answers 429 Too Many Requests once the burst is spent', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push(await strict.request('GET', '/users'));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(statuses[2]?.body).toEqual({ message: 'Too Many Requests' });
    expect(statuses[2]?.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
  });

  it('answers 429 Limit Exceeded once the daily quota is spent, and keeps answering it', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push(await quota.request('GET', '/users'));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(statuses[3]?.body).toEqual({ message: 'Limit Exceeded' });
    expect(statuses[4]?.body).toEqual({ message: 'Limit Exceeded' });
  });

  it('does not count requests turned away for a bad key', async () => {
    const res = await quota.request('GET', '/users', { anonymous: true, headers: { 'x-api-key': 'nope' } });
    expect(res.status).toBe(403);
  });
});

describe('authorizer result TTL 0', () => {
  it('invokes the authorizer on every request', async () => {
    const token = await strict.token({ sub: 'ttl', scope: 'users:write' });
    const before = strict.authorizerInvocations();
    for (let i = 0; i < 3; i += 1) {
      const res = await strict.request('POST', '/users', {
        headers: { authorization: `Bearer ${token}` },
        json: { name: 'Tess', age: 30, email: `t${i}@example.com` },
      });
      expect(res.status).toBe(201);
    }
    expect(strict.authorizerInvocations()).toBe(before + 3);
  });
});

describe('CORS origins of a stage', () => {
  it('sends the listed origin on preflights, gateway errors and function responses', async () => {
    const headers = { origin: 'https://app.example' };
    const preflight = await strict.request('OPTIONS', '/users', { anonymous: true, headers });
    const denied = await strict.request('POST', '/users', { anonymous: true, headers, json: {} });
    const token = await strict.token({ sub: 'cors', scope: 'users:write' });
    const created = await strict.request('POST', '/users', {
      headers: { ...headers, authorization: `Bearer ${token}` },
      json: { name: 'Cora', age: 20, email: 'cora@example.com' },
    });
    expect(preflight.status).toBe(204);
    expect(created.status).toBe(201);
    for (const res of [preflight, denied, created]) {
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    }
    expect(denied.headers.get('vary')).toBe('Origin');
    expect(created.headers.get('vary')).toBe('Origin');
  });

  it("answers every preflight with the stage's origin, as API Gateway's MOCK integration does", async () => {
    // A static header: a browser on another origin compares it with its own and refuses.
    const res = await strict.request('OPTIONS', '/users', {
      anonymous: true,
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('gives an unlisted origin no CORS headers on function responses', async () => {
    const token = await strict.token({ sub: 'cors', scope: 'users:write' });
    const res = await strict.request('POST', '/users', {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` },
      json: { name: 'Eve', age: 30, email: 'eve@example.com' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
