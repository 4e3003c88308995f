/**
 * The authorizer's token checks, over HTTP against the local runner: the real authorizer handler
 * (bundled from the function catalog) behind the local API Gateway's auth stage. How the gateway
 * applies the authorizer's answers (route walk, cache, API keys, CORS) is tested in
 * packages/local/test.
 */
import { randomUUID } from 'node:crypto';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let app: TestRunner;
beforeAll(async () => {
  app = await startTestRunner();
}, 60_000);
afterAll(() => app?.close());

const UNAUTHORIZED = { message: 'Unauthorized' };
const EXPLICIT_DENY = { message: 'User is not authorized to access this resource with an explicit deny' };

const ada = () => ({ name: 'Ada Lovelace', age: 36, email: `ada-${randomUUID()}@example.com` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('token attacks over HTTP', () => {
  const secret = () => new TextEncoder().encode(app.credentials.jwtSecret);
  const claims = () => ({ scope: 'users:write' });
  const signed = (build: (jwt: SignJWT) => SignJWT, key: Uint8Array = secret()) =>
    build(
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mallory')
        .setIssuer('snapstack')
        .setAudience('snapstack-api')
        .setExpirationTime('5m'),
    ).sign(key);

  it.each<[string, () => Promise<Record<string, string>>]>([
    ['wrong scheme', async () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['garbage', async () => ({ authorization: 'Bearer garbage' })],
    [
      'alg none',
      async () =>
        bearer(
          new UnsecuredJWT({ ...claims(), sub: 'mallory', iss: 'snapstack', aud: 'snapstack-api' })
            .setExpirationTime('5m')
            .encode(),
        ),
    ],
    ['wrong secret', async () => bearer(await signed((j) => j, new TextEncoder().encode('x'.repeat(43))))],
    [
      'expired',
      async () => bearer(await signed((j) => j.setExpirationTime(Math.floor(Date.now() / 1000) - 300))),
    ],
    ['nbf in the future', async () => bearer(await signed((j) => j.setNotBefore('5m')))],
    ['wrong iss', async () => bearer(await signed((j) => j.setIssuer('evil')))],
    ['wrong aud', async () => bearer(await signed((j) => j.setAudience('another-api')))],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await app.token({ sub: 'mallory', scope: '' })).split('.');
        const forged = Buffer.from(
          JSON.stringify({
            sub: 'mallory',
            scope: 'users:write',
            iss: 'snapstack',
            aud: 'snapstack-api',
            exp: 9999999999,
          }),
        ).toString('base64url');
        return bearer(`${h}.${forged}.${s}`);
      },
    ],
  ])('denies %s with 401 Unauthorized', async (_name, headers) => {
    const res = await app.request('POST', '/users', {
      anonymous: true,
      headers: await headers(),
      json: ada(),
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
  });

  // Signed with the right secret, every other claim valid: only `sub` is wrong. The principal
  // must be a non-empty string, or API Gateway (and the likes message) gets a non-string one.
  it.each<[string, Record<string, unknown>]>([
    ['a numeric sub', { sub: 42 }],
    ['an empty sub', { sub: '' }],
    ['an absent sub', {}],
    ['an object sub', { sub: { id: 'mallory' } }],
    ['a boolean sub', { sub: true }],
  ])(
    'denies a correctly signed token with %s: 401 on the users and likes routes',
    async (_name, subClaim) => {
      const token = await new SignJWT({ scope: 'users:write', ...subClaim })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('snapstack')
        .setAudience('snapstack-api')
        .setExpirationTime('5m')
        .sign(secret());
      for (const [method, path, json] of [
        ['POST', '/users', ada()],
        ['POST', `/users/${randomUUID()}/likes`, undefined],
        ['DELETE', `/users/${randomUUID()}/likes`, undefined],
      ] as const) {
        const res = await app.request(method, path, { anonymous: true, headers: bearer(token), json });
        expect({ route: `${method} ${path}`, status: res.status, body: res.body }).toEqual({
          route: `${method} ${path}`,
          status: 401,
          body: UNAUTHORIZED,
        });
      }
    },
  );

  // The runner trusts two issuers: its dev secret (HS256) and its local OpenID provider (RS256,
  // JWKS), as a stage trusts the secret and its Cognito pool. The `iss` picks the issuer's rules.
  it.each<[string, () => Promise<string>]>([
    [
      "HS256 with the dev secret, claiming the provider's iss (algorithm confusion)",
      () =>
        new SignJWT({ scope: 'snapstack/users:write', token_use: 'access', client_id: app.oidc.clientId })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('mallory')
          .setIssuer(app.oidc.issuer)
          .setExpirationTime('5m')
          .sign(secret()),
    ],
    [
      "RS256 from a key of its own, claiming the provider's iss and kid",
      async () => {
        const jwks = (await (await fetch(app.oidc.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({
          scope: 'snapstack/users:write',
          token_use: 'access',
          client_id: app.oidc.clientId,
        })
          .setProtectedHeader({ alg: 'RS256', kid: jwks.keys[0]!.kid })
          .setSubject('mallory')
          .setIssuer(app.oidc.issuer)
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
    ['an issuer nobody trusts', () => signed((j) => j.setIssuer('https://issuer.example'))],
  ])('denies %s with 401 Unauthorized', async (_name, token) => {
    const res = await app.request('POST', '/users', {
      anonymous: true,
      headers: bearer(await token()),
      json: ada(),
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
  });

  it('answers 403 with the explicit-deny body to a valid token without the scope', async () => {
    const token = await app.token({ sub: 'reader', scope: 'images:write' });
    const res = await app.request('POST', '/users', { headers: bearer(token), json: ada() });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(EXPLICIT_DENY);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });
});
