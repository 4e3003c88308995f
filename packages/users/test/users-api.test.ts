/**
 * The users API end to end: real HTTP through the local API Gateway, the deployed handler
 * modules, and DynamoDB on dynalite. Each test creates the data it reads.
 */
import { userSchema } from '@snapstack/domain/schemas';
import type { User } from '@snapstack/domain/user';
import { compileValidator } from '@snapstack/domain/validation';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let app: TestRunner;
beforeAll(async () => {
  app = await startTestRunner();
});
afterAll(() => app.close());

let seq = 0;
const newUser = () => ({ name: `User ${++seq}`, age: 30 + (seq % 40), email: `user${seq}@example.com` });
async function createUser(body = newUser()) {
  const res = await app.request('POST', '/users', { json: body });
  expect(res.status).toBe(201);
  return res.body as User;
}

/** A user the API returns has exactly the shape of the schema `User` derives from. */
const asUser = compileValidator<User>(userSchema);

describe('POST /users', () => {
  it('creates a user with a server-made id and a Location header', async () => {
    const body = newUser();
    const res = await app.request('POST', '/users', { json: body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, likes: 0 });
    expect(asUser(res.body)).toEqual(res.body);
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    expect(res.headers.get('location')).toBe(`/users/${res.body.id}`);
    expect(res.headers.get('content-type')).toBe('application/json');
    const read = await app.request('GET', `/users/${res.body.id}`);
    expect(read.body).toEqual(res.body);
    expect(asUser(read.body)).toEqual(read.body);
  });

  it('ignores nothing: an id in the body is an unknown property', async () => {
    const res = await app.request('POST', '/users', { json: { ...newUser(), id: 'chosen-by-client' } });
    expect(res.status).toBe(400);
    expect((await app.request('GET', '/users/chosen-by-client')).status).toBe(404);
  });

  it.each([
    ['age 17', { name: 'A', age: 17, email: 'a@example.com' }],
    ['age as a string', { name: 'A', age: '20', email: 'a@example.com' }],
    ['a bad email', { name: 'A', age: 20, email: 'not-an-email' }],
    ['an unknown property', { name: 'A', age: 20, email: 'a@example.com', admin: true }],
    ['an empty name', { name: '', age: 20, email: 'a@example.com' }],
    ['a name over 100 characters', { name: 'x'.repeat(101), age: 20, email: 'a@example.com' }],
    ['a missing field', { name: 'A', age: 20 }],
  ])('answers 400 Invalid request body for %s, as the gateway does', async (_case, body) => {
    const before = (await app.request('GET', '/users?limit=100')).body.items.length;
    const res = await app.request('POST', '/users', { json: body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid request body' });
    expect((await app.request('GET', '/users?limit=100')).body.items.length).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"name": "A", "age": 20,'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
  ])('answers 400 Invalid request body for %s', async (_case, body) => {
    const res = await app.request('POST', '/users', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid request body' });
  });

  it('gives every one of 25 concurrent creates its own id', async () => {
    const bodies = Array.from({ length: 25 }, newUser);
    const results = await Promise.all(bodies.map((json) => app.request('POST', '/users', { json })));
    expect(results.map((r) => r.status)).toEqual(bodies.map(() => 201));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(25);
    for (const [i, r] of results.entries()) {
      const read = await app.request('GET', `/users/${r.body.id}`);
      expect(read.body).toMatchObject(bodies[i]!);
    }
  });
});

describe('GET /users/{id}', () => {
  it('answers 404 with a JSON body for an unknown id', async () => {
    const res = await app.request('GET', '/users/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'user 00000000-0000-4000-8000-000000000000 not found' });
  });

  it('decodes an escaped id in the path', async () => {
    const res = await app.request('GET', '/users/a%20b');
    expect(res.body.message).toBe('user a b not found');
  });
});

describe('PATCH /users/{id}', () => {
  it('changes only the given fields and stamps updatedAt', async () => {
    const user = await createUser();
    const res = await app.request('PATCH', `/users/${user.id}`, { json: { age: 77 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...user, age: 77 });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(user.createdAt));
    expect((await app.request('GET', `/users/${user.id}`)).body).toEqual(res.body);
  });

  it('answers 404 for an unknown id and creates nothing (never an upsert)', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    const res = await app.request('PATCH', `/users/${id}`, { json: { name: 'Ghost' } });
    expect(res.status).toBe(404);
    expect((await app.request('GET', `/users/${id}`)).status).toBe(404);
  });

  it.each([
    ['an empty object', {}],
    ['age 17', { age: 17 }],
    ['the read-only likes count', { likes: 1000 }],
    ['a bad email', { email: 'nope@' }],
  ])('answers 400 for %s and leaves the user as it was', async (_case, body) => {
    const user = await createUser();
    const res = await app.request('PATCH', `/users/${user.id}`, { json: body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid request body' });
    expect((await app.request('GET', `/users/${user.id}`)).body).toEqual(user);
  });
});

describe('DELETE /users/{id}', () => {
  it('answers 204, then 404 for the same id', async () => {
    const user = await createUser();
    const res = await app.request('DELETE', `/users/${user.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await app.request('GET', `/users/${user.id}`)).status).toBe(404);
    expect((await app.request('DELETE', `/users/${user.id}`)).status).toBe(404);
  });
});

describe('GET /users', () => {
  it('pages through every user exactly once, in a stable order', async () => {
    const created = await Promise.all(Array.from({ length: 12 }, () => createUser()));
    const collect = async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await app.request(
          'GET',
          `/users?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(5);
        seen.push(...res.body.items.map((u: { id: string }) => u.id));
        cursor = res.body.cursor;
        pages++;
      } while (cursor && pages < 100);
      return seen;
    };
    const first = await collect();
    expect(new Set(first).size).toBe(first.length);
    for (const user of created) expect(first).toContain(user.id);
    expect(await collect()).toEqual(first);
  });

  it.each(['0', '101', 'abc'])('answers 400 for limit=%s', async (limit) => {
    const res = await app.request('GET', `/users?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('limit must be an integer from 1 to 100');
  });

  it('answers 400 for a cursor it did not issue', async () => {
    const res = await app.request('GET', '/users?cursor=forged');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('cursor is not a valid pagination cursor');
  });
});
