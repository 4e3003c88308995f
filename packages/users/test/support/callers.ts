/**
 * Every credential the users tests make, in one place. Until the authorizer lands on this
 * branch, a caller is a test header that `testAuthenticate` (the gateway's auth hook) turns
 * into the authorizer context a Lambda authorizer would return ({ principalId, sub }).
 * At merge: make `asCaller` return `Authorization: Bearer <real token>` and drop
 * `testAuthenticate` from the runners.
 */
import type { LocalRunnerOptions } from '@snapstack/local/server';
import type { TestResponse, TestRunner } from '@snapstack/local/testing';

const SUB_HEADER = 'x-test-sub';

/** Headers that authenticate as `sub`. */
export function asCaller(sub: string): Record<string, string> {
  return { [SUB_HEADER]: sub };
}

export const testAuthenticate: NonNullable<LocalRunnerOptions['authenticate']> = async (route, request) => {
  if (route.auth.kind === 'none' || route.auth.kind === 'apiKey') return {};
  const index = request.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === SUB_HEADER);
  const sub = index >= 0 ? request.rawHeaders[index + 1] : undefined;
  if (!sub) {
    return {
      deny: {
        statusCode: 401,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException' },
        body: Buffer.from(JSON.stringify({ message: 'Unauthorized' })),
      },
    };
  }
  return { authorizer: { principalId: sub, sub } };
};

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
