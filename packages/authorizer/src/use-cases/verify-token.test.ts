import { randomUUID } from 'node:crypto';
import { exportSPKI, generateSecret, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecKey, type JwksServer, now, rsaKey, sign, startJwksServer } from '../../test/keys.js';
import { remoteKeySet } from '../adapters/jwks.js';
import { staticSecret } from '../adapters/shared-secret.js';
import { InvalidTokenError } from '../errors.js';
import { type IssuerPolicy, makeVerifyBearer } from './verify-token.js';

const SECRET = 'a-dev-secret-that-is-long-enough-for-hs256!';
const secretBytes = new TextEncoder().encode(SECRET);
const hsIssuer: IssuerPolicy = {
  issuer: 'snapstack',
  audience: 'snapstack-api',
  audienceClaim: 'aud',
  algorithms: ['HS256'],
  clockToleranceSeconds: 30,
};
/** What settings.ts makes of a `userPool` issuer. */
const cognitoIssuer: IssuerPolicy = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST',
  audience: 'client-123',
  audienceClaim: 'client_id',
  tokenUse: 'access',
  scopePrefix: 'snapstack/',
  algorithms: ['RS256'],
  clockToleranceSeconds: 30,
};
const hsClaims = () => ({
  sub: 'alice',
  iss: 'snapstack',
  aud: 'snapstack-api',
  exp: now() + 600,
  scope: 'users:write',
});
/** The claims of a Cognito user pool access token (no `aud`; the app client is `client_id`). */
const cognitoClaims = () => ({
  sub: 'bob',
  iss: cognitoIssuer.issuer,
  client_id: 'client-123',
  origin_jti: randomUUID(),
  event_id: randomUUID(),
  token_use: 'access',
  scope: 'openid email snapstack/images:write',
  auth_time: now() - 60,
  iat: now() - 60,
  exp: now() + 600,
  jti: randomUUID(),
  username: 'bob',
  version: 2,
});
/** A Cognito ID token of the same user: `aud` is the app client, `token_use` is `id`, no scope. */
const cognitoIdTokenClaims = () => ({
  sub: 'bob',
  iss: cognitoIssuer.issuer,
  aud: 'client-123',
  token_use: 'id',
  email: 'bob@example.com',
  email_verified: true,
  'cognito:username': 'bob',
  origin_jti: randomUUID(),
  event_id: randomUUID(),
  auth_time: now() - 60,
  iat: now() - 60,
  exp: now() + 600,
  jti: randomUUID(),
});

let jwks: JwksServer;
let rs: Awaited<ReturnType<typeof rsaKey>>;
let es: Awaited<ReturnType<typeof ecKey>>;
let verifyHs: ReturnType<typeof makeVerifyBearer>;
let verifyJwks: ReturnType<typeof makeVerifyBearer>;

beforeAll(async () => {
  rs = await rsaKey('rs-1');
  es = await ecKey('es-1');
  jwks = await startJwksServer([rs.jwk, es.jwk]);
  const shared = { policy: hsIssuer, resolveKey: staticSecret(SECRET) };
  const pool = { policy: cognitoIssuer, resolveKey: remoteKeySet(jwks.url, { timeoutMs: 1000 }) };
  verifyHs = makeVerifyBearer([shared]);
  // Both issuers, as every stage's authorizer has them: each token meets its own issuer's rules.
  verifyJwks = makeVerifyBearer([shared, pool]);
});
afterAll(() => jwks.close());

const bearer = (token: string) => `Bearer ${token}`;
const tamper = (token: string) => {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'users:write images:write admin' })).toString(
    'base64url',
  );
  return [header, forged, signature].join('.');
};

describe('makeVerifyBearer (shared secret, HS256)', () => {
  it('accepts a valid token and returns sub, scopes and email', async () => {
    const token = await sign({ ...hsClaims(), email: 'a@example.com' }, secretBytes, { alg: 'HS256' });
    await expect(verifyHs(bearer(token))).resolves.toEqual({
      sub: 'alice',
      scopes: ['users:write'],
      email: 'a@example.com',
    });
  });

  it('accepts a token expired by less than the clock skew', async () => {
    const token = await sign({ ...hsClaims(), exp: now() - 10 }, secretBytes, { alg: 'HS256' });
    await expect(verifyHs(bearer(token))).resolves.toMatchObject({ sub: 'alice' });
  });

  it.each<[string, () => Promise<string | undefined>]>([
    ['no header', async () => undefined],
    ['empty header', async () => ''],
    ['wrong scheme', async () => `Basic ${Buffer.from('alice:secret').toString('base64')}`],
    ['bare token without scheme', async () => sign(hsClaims(), secretBytes, { alg: 'HS256' })],
    ['garbage', async () => 'Bearer not-a-jwt'],
    ['garbage in three parts', async () => 'Bearer aaa.bbb.ccc'],
    ['alg none', async () => bearer(new UnsecuredJWT(hsClaims()).encode())],
    ['alg none with a signature part', async () => bearer(`${new UnsecuredJWT(hsClaims()).encode()}c2ln`)],
    [
      'wrong secret',
      async () => bearer(await sign(hsClaims(), await generateSecret('HS256'), { alg: 'HS256' })),
    ],
    [
      'HS384 with the right secret (not allowed)',
      async () => bearer(await sign(hsClaims(), secretBytes, { alg: 'HS384' })),
    ],
    [
      'RS256 token (not allowed for this issuer)',
      async () => bearer(await sign(hsClaims(), rs.privateKey, { alg: 'RS256', kid: 'rs-1' })),
    ],
    ['tampered payload', async () => bearer(tamper(await sign(hsClaims(), secretBytes, { alg: 'HS256' })))],
    [
      'expired',
      async () => bearer(await sign({ ...hsClaims(), exp: now() - 120 }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'nbf in the future',
      async () => bearer(await sign({ ...hsClaims(), nbf: now() + 120 }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'no exp',
      async () => bearer(await sign({ ...hsClaims(), exp: undefined }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'no sub',
      async () => bearer(await sign({ ...hsClaims(), sub: undefined }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'a numeric sub',
      async () =>
        bearer(await sign({ ...hsClaims(), sub: 42 as unknown as string }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'an empty sub',
      async () => bearer(await sign({ ...hsClaims(), sub: '' }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'an object sub',
      async () =>
        bearer(
          await sign({ ...hsClaims(), sub: { id: 'alice' } as unknown as string }, secretBytes, {
            alg: 'HS256',
          }),
        ),
    ],
    [
      'wrong iss',
      async () => bearer(await sign({ ...hsClaims(), iss: 'someone-else' }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'no iss',
      async () => bearer(await sign({ ...hsClaims(), iss: undefined }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'wrong aud',
      async () => bearer(await sign({ ...hsClaims(), aud: 'another-api' }, secretBytes, { alg: 'HS256' })),
    ],
    [
      'no aud',
      async () => bearer(await sign({ ...hsClaims(), aud: undefined }, secretBytes, { alg: 'HS256' })),
    ],
  ])('denies %s', async (_name, header) => {
    await expect(verifyHs(await header())).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('makeVerifyBearer (user pool issuer, Cognito access tokens)', () => {
  const rsSigned = (claims: Record<string, unknown>, kid = 'rs-1') =>
    sign(claims, rs.privateKey, { alg: 'RS256', kid });

  it('accepts a Cognito access token and keeps only the resource server scopes, without their prefix', async () => {
    await expect(verifyJwks(bearer(await rsSigned(cognitoClaims())))).resolves.toEqual({
      sub: 'bob',
      scopes: ['images:write'],
    });
  });

  it.each<[string, string, string[]]>([
    [
      'several resource server scopes',
      'snapstack/images:write snapstack/users:write',
      ['images:write', 'users:write'],
    ],
    ['only OpenID scopes', 'openid email profile', []],
    ['an unprefixed route scope (not granted by this resource server)', 'images:write', []],
    ['another resource server', 'billing/images:write', []],
    ['the bare prefix', 'snapstack/', []],
    ['a look-alike prefix', 'snapstackx/images:write snapstack-images:write', []],
  ])('maps %s', async (_name, scope, scopes) => {
    const token = await rsSigned({ ...cognitoClaims(), scope });
    await expect(verifyJwks(bearer(token))).resolves.toMatchObject({ scopes });
  });

  it('the shared-secret issuer keeps its scopes as they are', async () => {
    const token = await sign({ ...hsClaims(), scope: 'users:write snapstack/images:write' }, secretBytes, {
      alg: 'HS256',
    });
    await expect(verifyJwks(bearer(token))).resolves.toMatchObject({
      scopes: ['users:write', 'snapstack/images:write'],
    });
  });

  it.each<[string, () => Promise<string>]>([
    ['wrong token_use', () => rsSigned({ ...cognitoClaims(), token_use: 'refresh' })],
    ['no token_use', () => rsSigned({ ...cognitoClaims(), token_use: undefined })],
    ['an ID token instead of an access token', () => rsSigned(cognitoIdTokenClaims())],
    ['wrong client_id', () => rsSigned({ ...cognitoClaims(), client_id: 'other' })],
    [
      'no client_id (aud only)',
      () => rsSigned({ ...cognitoClaims(), client_id: undefined, aud: 'client-123' }),
    ],
    ['wrong iss', () => rsSigned({ ...cognitoClaims(), iss: 'https://evil.example' })],
    ['no iss', () => rsSigned({ ...cognitoClaims(), iss: undefined })],
    ['a numeric iss', () => rsSigned({ ...cognitoClaims(), iss: 42 })],
    [
      "another pool's iss (same keys, not trusted)",
      () => rsSigned({ ...cognitoClaims(), iss: `${cognitoIssuer.issuer}x` }),
    ],
    [
      "HS256 with the shared secret, claiming the pool's iss (algorithm confusion)",
      () => sign(cognitoClaims(), secretBytes, { alg: 'HS256' }),
    ],
    [
      "HS256 signed with the pool's RS public key (key confusion)",
      async () =>
        sign(cognitoClaims(), new TextEncoder().encode(await exportSPKI(rs.publicKey)), {
          alg: 'HS256',
          kid: 'rs-1',
        }),
    ],
    [
      'ES256 from a key in the set (the pool signs RS256 only)',
      () => sign(cognitoClaims(), es.privateKey, { alg: 'ES256', kid: 'es-1' }),
    ],
    ['ES256 header on an RS key', () => sign(cognitoClaims(), es.privateKey, { alg: 'ES256', kid: 'rs-1' })],
    ['alg none', async () => new UnsecuredJWT(cognitoClaims()).encode()],
    ['expired', () => rsSigned({ ...cognitoClaims(), exp: now() - 120 })],
    ['unknown kid', () => rsSigned(cognitoClaims(), 'no-such-key')],
    [
      'signed by a key not in the set',
      async () => sign(cognitoClaims(), (await rsaKey('rs-1')).privateKey, { alg: 'RS256', kid: 'rs-1' }),
    ],
    ['tampered payload', async () => tamper(await rsSigned(cognitoClaims()))],
  ])('denies %s', async (_name, token) => {
    await expect(verifyJwks(bearer(await token()))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('denies a valid pool token when the pool is not among the trusted issuers', async () => {
    await expect(verifyHs(bearer(await rsSigned(cognitoClaims())))).rejects.toThrow(/unknown issuer/);
  });

  it('HS256 token signed with the RS public key is also denied by the shared-secret issuer', async () => {
    const token = await sign(hsClaims(), new TextEncoder().encode(await exportSPKI(rs.publicKey)), {
      alg: 'HS256',
    });
    await expect(verifyHs(bearer(token))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a list naming one issuer twice', () => {
    const resolveKey = staticSecret(SECRET);
    expect(() =>
      makeVerifyBearer([
        { policy: hsIssuer, resolveKey },
        { policy: hsIssuer, resolveKey },
      ]),
    ).toThrow(/twice/);
  });

  const poolVerifier = (url: URL, options?: { timeoutMs?: number }) =>
    makeVerifyBearer([{ policy: cognitoIssuer, resolveKey: remoteKeySet(url, options) }]);

  it('denies (does not crash) when the JWKS cannot be fetched, and recovers when it can', async () => {
    const fresh = await startJwksServer([rs.jwk]);
    const verify = poolVerifier(fresh.url, { timeoutMs: 1000 });
    const token = await rsSigned(cognitoClaims());
    try {
      fresh.mode = 'fail';
      await expect(verify(bearer(token))).rejects.toBeInstanceOf(InvalidTokenError);
      fresh.mode = 'ok';
      await expect(verify(bearer(token))).resolves.toMatchObject({ sub: 'bob' });
    } finally {
      await fresh.close();
    }
  });

  it('denies when the JWKS server is gone', async () => {
    const gone = await startJwksServer([rs.jwk]);
    await gone.close();
    const verify = poolVerifier(gone.url, { timeoutMs: 1000 });
    await expect(verify(bearer(await rsSigned(cognitoClaims())))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('caches the key set across verifications', async () => {
    const counted = await startJwksServer([rs.jwk]);
    const verify = poolVerifier(counted.url);
    try {
      for (let i = 0; i < 5; i += 1) {
        await verify(bearer(await rsSigned({ ...cognitoClaims(), sub: `user-${i}` })));
      }
      expect(counted.requests).toBe(1);
    } finally {
      await counted.close();
    }
  });
});
