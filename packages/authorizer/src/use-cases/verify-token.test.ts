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
const cognitoIssuer: IssuerPolicy = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST',
  audience: 'client-123',
  audienceClaim: 'client_id',
  tokenUse: 'access',
  algorithms: ['RS256', 'ES256'],
  clockToleranceSeconds: 30,
};
const hsClaims = () => ({
  sub: 'alice',
  iss: 'snapstack',
  aud: 'snapstack-api',
  exp: now() + 600,
  scope: 'users:write',
});
const cognitoClaims = () => ({
  sub: 'bob',
  iss: cognitoIssuer.issuer,
  client_id: 'client-123',
  token_use: 'access',
  exp: now() + 600,
  scope: 'images:write',
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
  verifyHs = makeVerifyBearer(hsIssuer, staticSecret(SECRET));
  verifyJwks = makeVerifyBearer(cognitoIssuer, remoteKeySet(jwks.url, { timeoutMs: 1000 }));
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

describe('makeVerifyBearer (JWKS issuer, Cognito access tokens)', () => {
  it.each(['rs', 'es'] as const)('accepts a valid %s-signed token', async (which) => {
    const key = which === 'rs' ? rs : es;
    const token = await sign(cognitoClaims(), key.privateKey, { alg: key.alg, kid: key.kid });
    await expect(verifyJwks(bearer(token))).resolves.toEqual({ sub: 'bob', scopes: ['images:write'] });
  });

  it.each<[string, () => Promise<string>]>([
    [
      'HS256 signed with the RS public key (key confusion)',
      async () =>
        sign(cognitoClaims(), new TextEncoder().encode(await exportSPKI(rs.publicKey)), {
          alg: 'HS256',
          kid: 'rs-1',
        }),
    ],
    ['alg none', async () => new UnsecuredJWT(cognitoClaims()).encode()],
    ['unknown kid', async () => sign(cognitoClaims(), rs.privateKey, { alg: 'RS256', kid: 'no-such-key' })],
    [
      'signed by a key not in the set',
      async () => sign(cognitoClaims(), (await rsaKey('rs-1')).privateKey, { alg: 'RS256', kid: 'rs-1' }),
    ],
    [
      'wrong token_use (an id token)',
      async () => sign({ ...cognitoClaims(), token_use: 'id' }, rs.privateKey, { alg: 'RS256', kid: 'rs-1' }),
    ],
    [
      'wrong client_id',
      async () =>
        sign({ ...cognitoClaims(), client_id: 'other' }, rs.privateKey, { alg: 'RS256', kid: 'rs-1' }),
    ],
    [
      'wrong iss',
      async () =>
        sign({ ...cognitoClaims(), iss: 'https://evil.example' }, rs.privateKey, {
          alg: 'RS256',
          kid: 'rs-1',
        }),
    ],
    [
      'expired',
      async () =>
        sign({ ...cognitoClaims(), exp: now() - 120 }, es.privateKey, { alg: 'ES256', kid: 'es-1' }),
    ],
    [
      'tampered payload',
      async () => tamper(await sign(cognitoClaims(), rs.privateKey, { alg: 'RS256', kid: 'rs-1' })),
    ],
    [
      'ES256 header on an RS key',
      async () => sign(cognitoClaims(), es.privateKey, { alg: 'ES256', kid: 'rs-1' }),
    ],
  ])('denies %s', async (_name, token) => {
    await expect(verifyJwks(bearer(await token()))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('HS256 token signed with the RS public key is also denied by the shared-secret issuer', async () => {
    const token = await sign(hsClaims(), new TextEncoder().encode(await exportSPKI(rs.publicKey)), {
      alg: 'HS256',
    });
    await expect(verifyHs(bearer(token))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('denies (does not crash) when the JWKS cannot be fetched, and recovers when it can', async () => {
    const fresh = await startJwksServer([rs.jwk]);
    const verify = makeVerifyBearer(cognitoIssuer, remoteKeySet(fresh.url, { timeoutMs: 1000 }));
    const token = await sign(cognitoClaims(), rs.privateKey, { alg: 'RS256', kid: 'rs-1' });
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
    const verify = makeVerifyBearer(cognitoIssuer, remoteKeySet(gone.url, { timeoutMs: 1000 }));
    const token = await sign(cognitoClaims(), rs.privateKey, { alg: 'RS256', kid: 'rs-1' });
    await expect(verify(bearer(token))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('caches the key set across verifications', async () => {
    const counted = await startJwksServer([rs.jwk]);
    const verify = makeVerifyBearer(cognitoIssuer, remoteKeySet(counted.url));
    try {
      for (let i = 0; i < 5; i += 1) {
        const token = await sign({ ...cognitoClaims(), sub: `user-${i}` }, rs.privateKey, {
          alg: 'RS256',
          kid: 'rs-1',
        });
        await verify(bearer(token));
      }
      expect(counted.requests).toBe(1);
    } finally {
      await counted.close();
    }
  });
});
