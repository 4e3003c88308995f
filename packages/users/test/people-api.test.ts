/**
 * GET /people and GET /people/{id}: the users reads for people signed in to the web app (a
 * bearer token with `users:read`), beside the usage-plan reads at /users (an API key). Real HTTP
 * through the local API Gateway and the real authorizer: the same handlers must answer alike on
 * either path, and each path must admit only its own credential.
 */
import { startTestRunner, type TestResponse, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from './support/callers.js';

let app: TestRunner;
let reader: Record<string, string>;
let apiKey: Record<string, string>;
const ids: string[] = [];
beforeAll(async () => {
  app = await startTestRunner();
  reader = { authorization: `Bearer ${await app.token({ sub: 'reader', scope: 'users:read' })}` };
  apiKey = { 'x-api-key': app.apiKey };
  for (let i = 0; i < 7; i++) ids.push(await createUser(app));
});
afterAll(() => app?.close());

const UNAUTHORIZED = { message: 'Unauthorized' };
const EXPLICIT_DENY = { message: 'User is not authorized to access this resource with an explicit deny' };
const FORBIDDEN = { message: 'Forbidden' };

/** Every id a read path lists, page by page with `limit` and `cursor`. */
async function listAll(path: '/people' | '/users', headers: Record<string, string>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const query = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await app.request('GET', `${path}${query}`, { headers });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(3);
    seen.push(...res.body.items.map((u: { id: string }) => u.id));
    cursor = res.body.cursor;
    if (!cursor) return seen;
  }
  throw new Error(`${path} never stopped paging`);
}

/** The parts of two answers a caller can tell apart: status, body, content type and CORS headers. */
const seenByCaller = (res: TestResponse) => ({
  status: res.status,
  body: res.body,
  headers: Object.fromEntries(
    [...res.headers].filter(([name]) => name === 'content-type' || name.startsWith('access-control-')),
  ),
});

describe('GET /people with a users:read token', () => {
  it('pages through the same users, in the same order, as GET /users with the API key', async () => {
    const people = await listAll('/people', reader);
    expect(people).toEqual(await listAll('/users', apiKey));
    for (const id of ids) expect(people).toContain(id);
  });

  it('gets a user exactly as GET /users/{id} does', async () => {
    const id = ids[0]!;
    const person = await app.request('GET', `/people/${id}`, { headers: reader });
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ id, likes: 0 });
    const user = await app.request('GET', `/users/${id}`, { headers: apiKey });
    expect(seenByCaller(person)).toEqual(seenByCaller(user));
  });

  it.each([
    [
      'an unknown id',
      '/people/00000000-0000-4000-8000-000000000000',
      '/users/00000000-0000-4000-8000-000000000000',
    ],
    ['an escaped id', '/people/a%20b', '/users/a%20b'],
    ['limit=0', '/people?limit=0', '/users?limit=0'],
    ['a forged cursor', '/people?cursor=forged', '/users?cursor=forged'],
  ])('refuses %s with the same status, body and CORS headers as /users', async (_case, people, users) => {
    const origin = { origin: 'https://app.example' };
    const res = await app.request('GET', people, { headers: { ...reader, ...origin } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(seenByCaller(res)).toEqual(
      seenByCaller(await app.request('GET', users, { headers: { ...apiKey, ...origin } })),
    );
  });

  it('is read by a person signed in at the local OpenID provider (their token carries users:read)', async () => {
    const token = await app.signIn('ada@example.com');
    const res = await app.request('GET', `/people/${ids[1]}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(ids[1]);
  });

  it('answers its preflight with the methods it declares', async () => {
    for (const path of ['/people', `/people/${ids[0]}`]) {
      const res = await app.request('OPTIONS', path, {
        anonymous: true,
        headers: { origin: 'https://app.example' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-methods')?.split(',')).toContain('GET');
    }
  });
});

describe('who may read /people', () => {
  it.each(['/people', '/people/some-id'])('answers 401 Unauthorized to %s without a token', async (path) => {
    const res = await app.request('GET', path, { anonymous: true });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
  });

  it.each(['/people', '/people/some-id'])('is not opened by the API key alone: %s', async (path) => {
    const res = await app.request('GET', path, { headers: apiKey });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
  });

  it.each(['/people', '/people/some-id'])(
    'answers 403 with the explicit deny to %s for a token without users:read',
    async (path) => {
      const token = await app.token({ sub: 'writer', scope: 'users:write images:read images:write' });
      const res = await app.request('GET', path, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(EXPLICIT_DENY);
    },
  );
});

describe('GET /users, the usage-plan read, is unchanged', () => {
  it('still answers the API key, and still refuses a users:read token without one', async () => {
    expect((await app.request('GET', `/users/${ids[0]}`, { headers: apiKey })).status).toBe(200);
    const res = await app.request('GET', '/users', { headers: reader });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(FORBIDDEN);
  });
});
