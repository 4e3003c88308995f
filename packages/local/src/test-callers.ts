/**
 * Every credential the tests and benches make, in one place. Until the authorizer lands on
 * this branch, a caller is a test header that `testAuthenticate` (the gateway's auth hook)
 * turns into the context a Lambda authorizer returns ({ principalId, sub }).
 * At merge: make `asCaller` return `Authorization: Bearer <real token>` and stop passing
 * `testAuthenticate` to the runners.
 */
import type { Authenticate } from './gateway.js';

const SUB_HEADER = 'x-test-sub';

/** Headers that authenticate as `sub`. */
export function asCaller(sub: string): Record<string, string> {
  return { [SUB_HEADER]: sub };
}

export const testAuthenticate: Authenticate = async (route, request) => {
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
