/**
 * The local API Gateway's CORS over HTTP on the default stage: preflights (the MOCK integration
 * infra deploys: 204, no body, the static headers) and CORS headers on every kind of answer.
 */
import { randomUUID } from 'node:crypto';
import { routes } from '@snapstack/domain/routes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestResponse, type TestRunner } from '../src/testing.js';

let app: TestRunner;
beforeAll(async () => {
  app = await startTestRunner();
});
afterAll(() => app.close());

const ada = () => ({ name: 'Ada Lovelace', age: 36, email: `ada-${randomUUID()}@example.com` });

describe('CORS', () => {
  const origin = { origin: 'https://app.example' };

  it.each(
    routes.map((r) => [r.path] as const).filter(([p], i, all) => all.findIndex(([q]) => q === p) === i),
  )('answers the preflight of %s with its methods', async (path) => {
    const res = await app.request('OPTIONS', path.replace(/\{[^}]+\}/g, 'x'), {
      anonymous: true,
      headers: origin,
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const methods = routes.filter((r) => r.path === path).map((r) => r.method);
    expect(res.headers.get('access-control-allow-methods')?.split(',').sort()).toEqual(
      [...methods, 'OPTIONS'].sort(),
    );
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each<[string, () => Promise<TestResponse>]>([
    ['401', () => app.request('POST', '/users', { anonymous: true, headers: origin, json: ada() })],
    ['403 missing key', () => app.request('GET', '/users', { anonymous: true, headers: origin })],
    ['403 unknown path', () => app.request('GET', '/nope', { headers: origin })],
    ['403 preflight of an unknown path', () => app.request('OPTIONS', '/nope', { headers: origin })],
    ['400 invalid body', () => app.request('POST', '/users', { headers: origin, json: { name: 1 } })],
    ['200 from a function', () => app.request('GET', '/users', { headers: origin })],
    ['404 from a function', () => app.request('GET', `/users/${randomUUID()}`, { headers: origin })],
    // infra maps Access-Control-Allow-Origin onto the SQS integration's responses (service-integration.ts)
    [
      '202 from the likes queue',
      () => app.request('POST', `/users/${randomUUID()}/likes`, { headers: origin }),
    ],
  ])('puts CORS headers on a %s', async (_name, call) => {
    const res = await call();
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
