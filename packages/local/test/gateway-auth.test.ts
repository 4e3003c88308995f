/**
 * The local API Gateway's auth stage over HTTP, with the real authorizer behind it: which
 * credentials each route of the table admits, the identity source, the authorizer cache, the
 * authorizer context handed to functions, and API keys. (The authorizer's own token checks are
 * tested in its package.)
 */
import { randomUUID } from 'node:crypto';
import { stringLike } from '@snapstack/domain/iam-pattern';
import { arnPattern } from '@snapstack/domain/path-template';
import { type RouteDefinition, routes } from '@snapstack/domain/routes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestResponse, type TestRunner } from '../src/testing.js';

let app: TestRunner;
beforeAll(async () => {
  app = await startTestRunner();
});
afterAll(() => app.close());

const UNAUTHORIZED = { message: 'Unauthorized' };
const EXPLICIT_DENY = { message: 'User is not authorized to access this resource with an explicit deny' };
const IMPLICIT_DENY = { message: 'User is not authorized to access this resource' };
const FORBIDDEN = { message: 'Forbidden' };
/** Routes meant to be callable by anyone. Adding one here is a decision, not an accident. */
const PUBLIC_ROUTES: readonly string[] = [];

const jwtScopes = [
  ...new Set(routes.flatMap((r) => (r.auth.kind === 'jwt' ? (r.auth.scopes ?? []) : []))),
].sort();
const ada = () => ({ name: 'Ada Lovelace', age: 36, email: `ada-${randomUUID()}@example.com` });
const concretePath = (route: RouteDefinition, value: () => string = () => randomUUID()) =>
  route.path.replace(/\{[^}]+\}/g, value);
/** A body the route's validator accepts, for methods that carry one (fetch refuses a body on a GET). */
const bodyFor = (route: RouteDefinition) =>
  route.method === 'GET' || route.method === 'DELETE'
    ? {}
    : { json: route.requestSchema === 'CreateUser' ? ada() : { name: 'Ada' } };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** What the route table promises: a token holding every scope a `jwt` route declares may call it. */
const permits = (route: RouteDefinition, scopes: readonly string[]) =>
  route.auth.kind === 'jwt' && (route.auth.scopes ?? []).every((scope) => scopes.includes(scope));

/** Whether the gateway's auth stage turned the request away (as opposed to a function answering). */
function authVerdict(
  res: TestResponse,
): 'admitted' | 401 | 'explicit-deny' | 'implicit-deny' | 'forbidden' | 'other-deny' {
  const type = res.headers.get('x-amzn-errortype');
  if (type === 'UnauthorizedException') return 401;
  if (type === 'AccessDeniedException') {
    if (res.body?.message === EXPLICIT_DENY.message) return 'explicit-deny';
    return res.body?.message === IMPLICIT_DENY.message ? 'implicit-deny' : 'other-deny';
  }
  if (type === 'ForbiddenException') return 'forbidden';
  return 'admitted';
}

type Credential = {
  readonly name: string;
  readonly scopes?: readonly string[];
  readonly apiKey?: 'valid' | 'unknown';
};
const credentials: Credential[] = [
  { name: 'nothing' },
  { name: 'api key', apiKey: 'valid' },
  { name: 'unknown api key', apiKey: 'unknown' },
  { name: 'token without scopes', scopes: [] },
  ...jwtScopes.map((scope) => ({ name: `token with ${scope}`, scopes: [scope] })),
  { name: 'token with every scope', scopes: jwtScopes },
];

function expectedVerdict(route: RouteDefinition, credential: Credential) {
  switch (route.auth.kind) {
    case 'none':
      return 'admitted';
    case 'apiKey':
      return credential.apiKey === 'valid' ? 'admitted' : 'forbidden';
    case 'jwt': {
      if (!credential.scopes) return 401;
      const scopes = credential.scopes;
      if (permits(route, scopes)) return 'admitted';
      // IAM's `*` spans `/`: a Deny for this route's pattern would also hit a route the token may
      // call (DELETE /users/* vs DELETE /users/{id}/likes), so AWS answers with the implicit deny.
      const pattern = `${route.method}${arnPattern(route.path)}`;
      const overlapsAllowed = routes.some(
        (other) =>
          permits(other, scopes) && stringLike(pattern, `${other.method}${concretePath(other, () => 'x')}`),
      );
      return overlapsAllowed ? 'implicit-deny' : 'explicit-deny';
    }
  }
}

describe('the route table', () => {
  it('declares gateway auth on every route that is not deliberately public', () => {
    const unprotected = routes.filter((r) => r.auth.kind === 'none').map((r) => `${r.method} ${r.path}`);
    expect(unprotected.filter((r) => !PUBLIC_ROUTES.includes(r))).toEqual([]);
  });

  // Every route x every kind of credential, so a new route is checked the moment it is declared.
  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s admits exactly the credentials its auth declares',
    async (_name, route) => {
      for (const credential of credentials) {
        const headers: Record<string, string> = {};
        if (credential.scopes)
          Object.assign(
            headers,
            bearer(await app.token({ sub: 'walker', scope: credential.scopes.join(' ') })),
          );
        if (credential.apiKey)
          headers['x-api-key'] = credential.apiKey === 'valid' ? app.apiKey : 'not-a-key';
        const res = await app.request(route.method, concretePath(route), {
          anonymous: true,
          headers,
          ...bodyFor(route),
        });
        expect(authVerdict(res), `${credential.name}: ${res.status} ${res.text}`).toBe(
          expectedVerdict(route, credential),
        );
      }
    },
  );
});

describe('the identity source', () => {
  it('answers 401 to a missing Authorization header without invoking the authorizer', async () => {
    const before = app.authorizerInvocations();
    for (const headers of [{}, { authorization: '' }, { 'x-api-key': app.apiKey }] as Record<
      string,
      string
    >[]) {
      const res = await app.request('POST', '/users', { anonymous: true, headers, json: ada() });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    }
    expect(app.authorizerInvocations()).toBe(before);
  });
});

describe('the authorizer cache (per token, 300 s by default)', () => {
  it('reuses one authorizer result for every route the token calls', async () => {
    const token = await app.token({ sub: 'writer', scope: 'users:write' });
    const before = app.authorizerInvocations();
    const made = await app.request('POST', '/users', { headers: bearer(token), json: ada() });
    expect(made.status).toBe(201);
    const patched = await app.request('PATCH', `/users/${made.body.id}`, {
      headers: bearer(token),
      json: { age: 37 },
    });
    expect(patched.status).toBe(200);
    const deleted = await app.request('DELETE', `/users/${made.body.id}`, { headers: bearer(token) });
    expect(deleted.status).toBe(204);
    expect(app.authorizerInvocations()).toBe(before + 1);
  });

  it('keeps denying, from the cache, the routes a cached token lacks the scope for', async () => {
    const token = await app.token({ sub: 'nobody', scope: 'images:write' });
    const before = app.authorizerInvocations();
    expect((await app.request('POST', '/users', { headers: bearer(token), json: ada() })).body).toEqual(
      EXPLICIT_DENY,
    );
    const res = await app.request('PATCH', `/users/${randomUUID()}`, {
      headers: bearer(token),
      json: { age: 40 },
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(EXPLICIT_DENY);
    expect(app.authorizerInvocations()).toBe(before + 1);
  });

  // Needs two jwt routes a single scope set tells apart (e.g. likes: any token; users: users:write).
  const pair = (() => {
    const jwt = routes.filter((r) => r.auth.kind === 'jwt');
    for (const allowed of jwt) {
      const scopes = allowed.auth.kind === 'jwt' ? (allowed.auth.scopes ?? []) : [];
      const denied = jwt.find(
        (r) => r.auth.kind === 'jwt' && !(r.auth.scopes ?? []).every((s) => scopes.includes(s)),
      );
      if (denied) return { allowed, denied, scopes };
    }
    return undefined;
  })();
  it.skipIf(!pair)('denies a route after the same token was allowed (and cached) on another', async () => {
    if (!pair) return;
    const token = await app.token({ sub: 'partial', scope: pair.scopes.join(' ') });
    const before = app.authorizerInvocations();
    const first = await app.request(pair.allowed.method, concretePath(pair.allowed), {
      headers: bearer(token),
      ...bodyFor(pair.allowed),
    });
    expect(authVerdict(first)).toBe('admitted');
    const second = await app.request(pair.denied.method, concretePath(pair.denied), {
      headers: bearer(token),
      ...bodyFor(pair.denied),
    });
    expect(second.status).toBe(403);
    expect(second.body).toEqual(EXPLICIT_DENY);
    expect(app.authorizerInvocations()).toBe(before + 1);
  });

  it('does not cache a 401: a rejected token is re-checked every time', async () => {
    const before = app.authorizerInvocations();
    await app.request('POST', '/users', { anonymous: true, headers: bearer('a.b.c'), json: ada() });
    await app.request('POST', '/users', { anonymous: true, headers: bearer('a.b.c'), json: ada() });
    expect(app.authorizerInvocations()).toBe(before + 2);
  });
});

describe('the caller reaches handlers as requestContext.authorizer', () => {
  it("records the token's sub as createdBy on POST /users", async () => {
    const token = await app.token({
      sub: `alice-${randomUUID()}`,
      scope: 'users:write',
      email: 'alice@example.com',
    });
    const sub = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).sub;
    const res = await app.request('POST', '/users', { headers: bearer(token), json: ada() });
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe(sub);
    const read = await app.request('GET', `/users/${res.body.id}`);
    expect(read.body.createdBy).toBe(sub);
  });
});

describe('API keys', () => {
  it.each([
    ['missing', {}],
    ['unknown', { 'x-api-key': 'not-a-key' }],
    ['a bearer token instead', { authorization: 'Bearer x.y.z' }],
  ])('answers 403 Forbidden when the key is %s', async (_name, headers) => {
    const res = await app.request('GET', '/users', { anonymous: true, headers });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(FORBIDDEN);
  });

  it('admits a request with the local key', async () => {
    const res = await app.request('GET', '/users', { anonymous: true, headers: { 'x-api-key': app.apiKey } });
    expect(res.status).toBe(200);
  });
});
