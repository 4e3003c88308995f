/**
 * The likes tests' requests. Credentials come only from `asCaller` (@snapstack/local/test-callers).
 */
import { asCaller } from '@snapstack/local/test-callers';
import type { TestResponse, TestRunner } from '@snapstack/local/testing';

export { asCaller, testAuthenticate } from '@snapstack/local/test-callers';

export const likeAs = (app: TestRunner, sub: string, userId: string): Promise<TestResponse> =>
  app.request('POST', `/users/${encodeURIComponent(userId)}/likes`, { headers: asCaller(sub) });

export const unlikeAs = (app: TestRunner, sub: string, userId: string): Promise<TestResponse> =>
  app.request('DELETE', `/users/${encodeURIComponent(userId)}/likes`, { headers: asCaller(sub) });

let created = 0;
/** Creates a fresh user (as an admin caller) and returns its id. */
export async function createUser(app: TestRunner): Promise<string> {
  created++;
  const res = await app.request('POST', '/users', {
    json: { name: `Liked ${created}`, age: 30, email: `liked${created}@example.com` },
    headers: asCaller('admin'),
  });
  if (res.status !== 201) throw new Error(`creating a user failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}

export async function likesOf(app: TestRunner, userId: string): Promise<number> {
  const res = await app.request('GET', `/users/${userId}`);
  if (res.status !== 200) throw new Error(`GET /users/${userId}: ${res.status}`);
  return res.body.likes as number;
}
