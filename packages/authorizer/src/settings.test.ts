import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.js';

describe('readSettings', () => {
  it('defaults to the shared-secret issuer, reading the secret from the SSM parameter named in the environment', () => {
    const settings = readSettings({ AUTH_JWT_SECRET_PARAMETER: '/snapstack/prod/auth/jwt-secret' });
    expect(settings).toMatchObject({
      kind: 'sharedSecret',
      secret: { kind: 'ssm', name: '/snapstack/prod/auth/jwt-secret' },
      policy: { issuer: 'snapstack', audience: 'snapstack-api', algorithms: ['HS256'] },
    });
  });

  it('takes a secret from the environment only when the local runner passes one', () => {
    expect(readSettings({ AUTH_JWT_SECRET: 'x'.repeat(32) })).toMatchObject({ secret: { kind: 'env' } });
  });

  it('fails the cold start without a secret source', () => {
    expect(() => readSettings({})).toThrow(/AUTH_JWT_SECRET_PARAMETER/);
  });

  it('configures a Cognito user pool as a JWKS issuer', () => {
    const pool = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc';
    const settings = readSettings({
      AUTH_ISSUER_KIND: 'jwks',
      AUTH_JWKS_URL: `${pool}/.well-known/jwks.json`,
      AUTH_ISSUER: pool,
      AUTH_AUDIENCE: 'client-1',
      AUTH_AUDIENCE_CLAIM: 'client_id',
      AUTH_TOKEN_USE: 'access',
    });
    expect(settings).toMatchObject({
      kind: 'jwks',
      policy: {
        issuer: pool,
        audience: 'client-1',
        audienceClaim: 'client_id',
        tokenUse: 'access',
        algorithms: ['RS256', 'ES256'],
      },
    });
  });

  it.each([
    [{ AUTH_ISSUER_KIND: 'jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, /AUTH_JWKS_URL/],
    [{ AUTH_ISSUER_KIND: 'jwks', AUTH_JWKS_URL: 'https://x/jwks', AUTH_AUDIENCE: 'a' }, /AUTH_ISSUER/],
    [{ AUTH_ISSUER_KIND: 'jwks', AUTH_JWKS_URL: 'https://x/jwks', AUTH_ISSUER: 'i' }, /AUTH_AUDIENCE/],
    [
      {
        AUTH_ISSUER_KIND: 'jwks',
        AUTH_JWKS_URL: 'https://x',
        AUTH_ISSUER: 'i',
        AUTH_AUDIENCE: 'a',
        AUTH_ALGORITHMS: 'RS256,HS256',
      },
      /asymmetric/,
    ],
    [{ AUTH_ISSUER_KIND: 'magic' }, /sharedSecret or jwks/],
  ])('refuses %j', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });
});
