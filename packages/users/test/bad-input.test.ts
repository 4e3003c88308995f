/**
 * Bad input never reaches a 5xx: over HTTP through the local API Gateway, the real handlers and
 * dynalite. Each input here answered 500 before (DynamoDB refused it, or the SDK could not
 * marshal it); now the model, or the key check before the call, answers as AWS would.
 */
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let app: TestRunner;
beforeAll(async () => {
  app = await startTestRunner();
}, 60_000);
afterAll(() => app.close());

const INVALID_BODY = { message: 'Invalid request body' };
const rawJson = (body: string) => ({ body, headers: { 'content-type': 'application/json' } });

let seq = 0;
async function createUser(): Promise<string> {
  seq++;
  const res = await app.request('POST', '/users', {
    json: { name: `Bad input ${seq}`, age: 40, email: `bad-input-${seq}@example.com` },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function allUsers(): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  do {
    const res = await app.request('GET', `/users?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.cursor;
  } while (cursor);
  return items;
}

// Literal JSON text: 1e309 and 9007199254740993 cannot be written from a JS number.
const badAges = ['151', '1e300', '1e309', '-1e309', '9007199254740993', '-1', '18.5', '1e2.5'];

describe('an age outside the model', () => {
  it.each(badAges)(
    'POST /users with age %s answers 400 Invalid request body and stores nothing',
    async (age) => {
      const before = await allUsers();
      const res = await app.request(
        'POST',
        '/users',
        rawJson(`{"name":"Ada","age":${age},"email":"ada-${age}@example.com"}`),
      );
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: INVALID_BODY });
      expect(await allUsers()).toEqual(before);
    },
  );

  it.each(badAges)('PATCH /users/{id} with age %s answers 400 and leaves the user as it was', async (age) => {
    const id = await createUser();
    const before = (await app.request('GET', `/users/${id}`)).body;
    const res = await app.request('PATCH', `/users/${id}`, rawJson(`{"age":${age}}`));
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: INVALID_BODY });
    expect((await app.request('GET', `/users/${id}`)).body).toEqual(before);
  });

  it('accepts the bounds: 18 and 150', async () => {
    for (const age of [18, 150]) {
      const res = await app.request('POST', '/users', {
        json: { name: 'Bound', age, email: `bound-${age}@example.com` },
      });
      expect(res.status).toBe(201);
      expect(res.body.age).toBe(age);
    }
  });
});

// Ids DynamoDB cannot hold as a key (over 2048 UTF-8 bytes) name no user: 404, not a 500.
const longIds = [
  ['3000 ASCII characters', 'x'.repeat(3000)],
  ['2049 ASCII characters (one byte over)', 'x'.repeat(2049)],
  ['600 emoji (2400 bytes in 1200 UTF-16 units)', '😀'.repeat(600)],
] as const;

describe('a path id over the DynamoDB key limit', () => {
  it.each(longIds)('GET /users/{id} with %s is 404', async (_case, id) => {
    const res = await app.request('GET', `/users/${encodeURIComponent(id)}`);
    expect(res.status).toBe(404);
  });

  it.each(longIds)('PATCH /users/{id} with %s is 404', async (_case, id) => {
    const res = await app.request('PATCH', `/users/${encodeURIComponent(id)}`, { json: { name: 'X' } });
    expect(res.status).toBe(404);
  });

  it.each(longIds)('DELETE /users/{id} with %s is 404 and deletes nothing', async (_case, id) => {
    const before = await allUsers();
    const res = await app.request('DELETE', `/users/${encodeURIComponent(id)}`);
    expect(res.status).toBe(404);
    expect(await allUsers()).toEqual(before);
  });

  it('still finds an id at exactly 2048 bytes not to exist (the call is made)', async () => {
    const res = await app.request('GET', `/users/${'x'.repeat(2048)}`);
    expect(res.status).toBe(404);
  });
});

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

describe('a cursor that is not a key DynamoDB could have returned', () => {
  it.each([
    ['an id over 2048 bytes', cursorOf({ id: 'x'.repeat(3000) })],
    ['an empty id', cursorOf({ id: '' })],
    ['a number id', cursorOf({ id: 7 })],
    ['a key of another table', cursorOf({ userId: 'a', likerId: 'b' })],
    ['garbage', 'not-a-cursor!'],
    ['base64 of garbage', Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')],
  ])('GET /users?cursor= with %s answers 400', async (_case, cursor) => {
    const res = await app.request('GET', `/users?cursor=${encodeURIComponent(cursor)}`);
    expect({ status: res.status, message: res.body?.message }).toEqual({
      status: 400,
      message: 'cursor is not a valid pagination cursor',
    });
  });
});
