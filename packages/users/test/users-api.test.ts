import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let app: TestRunner;
beforeAll(async () => {
  app = await startTestRunner();
});
afterAll(() => app.close());

const ada = { name: 'Ada Lovelace', age: 36, email: 'ada@example.com' };

describe('POST /users', () => {
  it('creates a user with a server-made id and a Location header', async () => {
    const res = await app.request('POST', '/users', { json: ada });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...ada, likes: 0 });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`/users/${res.body.id}`);
    const read = await app.request('GET', `/users/${res.body.id}`);
    expect(read.body).toEqual(res.body);
  });
});
