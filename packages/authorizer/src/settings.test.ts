import { functionEnvironment, type ResourceNames } from '@snapstack/domain/function-environment';
import { authorizerIssuers } from '@snapstack/domain/issuers';
import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.js';

const SSM = { AUTH_JWT_SECRET_PARAMETER: '/snapstack/prod/auth/jwt-secret' };
const pool = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
  jwksUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json',
  clientId: 'client-1',
};
const issuersEnv = (issuers: unknown) => ({ ...SSM, AUTH_ISSUERS: JSON.stringify(issuers) });

describe('readSettings', () => {
  it('reads the environment functionEnvironment gives the authorizer: the shared secret and the user pool', () => {
    const names = { tables: {}, buckets: {}, queueUrls: {}, userPool: pool } as unknown as ResourceNames;
    const settings = readSettings(functionEnvironment('authorizer', 'prod', names));
    expect(settings.issuers).toEqual([
      {
        kind: 'sharedSecret',
        secret: { kind: 'ssm', name: '/snapstack/prod/auth/jwt-secret' },
        policy: {
          issuer: 'snapstack',
          audience: 'snapstack-api',
          audienceClaim: 'aud',
          algorithms: ['HS256'],
          clockToleranceSeconds: 30,
        },
      },
      {
        kind: 'userPool',
        jwksUrl: new URL(pool.jwksUrl),
        policy: {
          issuer: pool.issuer,
          audience: 'client-1',
          audienceClaim: 'client_id',
          tokenUse: 'access',
          scopePrefix: 'snapstack/',
          algorithms: ['RS256'],
          clockToleranceSeconds: 30,
        },
      },
    ]);
  });

  it('trusts only the shared secret when the stage has no user pool', () => {
    expect(readSettings(issuersEnv(authorizerIssuers())).issuers.map((i) => i.kind)).toEqual([
      'sharedSecret',
    ]);
  });

  it('takes a secret from the environment only when the local runner passes one', () => {
    const settings = readSettings({
      AUTH_JWT_SECRET: 'x'.repeat(32),
      AUTH_ISSUERS: JSON.stringify(authorizerIssuers()),
    });
    expect(settings.issuers[0]).toMatchObject({ secret: { kind: 'env' } });
  });

  it('needs no secret source when only a user pool is trusted', () => {
    const settings = readSettings({ AUTH_ISSUERS: JSON.stringify(authorizerIssuers(pool).slice(1)) });
    expect(settings.issuers.map((i) => i.kind)).toEqual(['userPool']);
  });

  const [shared, userPool] = authorizerIssuers(pool) as unknown as [
    Record<string, unknown>,
    Record<string, unknown>,
  ];
  const without = (entry: Record<string, unknown>, field: string) =>
    Object.fromEntries(Object.entries(entry).filter(([k]) => k !== field));

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['no AUTH_ISSUERS', { ...SSM }, /AUTH_ISSUERS is not set/],
    ['AUTH_ISSUERS that is not JSON', { ...SSM, AUTH_ISSUERS: '[{kind:' }, /AUTH_ISSUERS is not JSON/],
    ['an object instead of an array', issuersEnv(shared), /non-empty JSON array/],
    ['an empty array', issuersEnv([]), /non-empty JSON array/],
    ['an entry that is not an object', issuersEnv(['snapstack']), /AUTH_ISSUERS\[0\] must be an object/],
    [
      'an unknown kind',
      issuersEnv([{ ...shared, kind: 'magic' }]),
      /kind "magic"; expected "sharedSecret" or "userPool"/,
    ],
    ['an entry without kind', issuersEnv([without(shared, 'kind')]), /kind undefined/],
    ['a shared secret without audience', issuersEnv([without(shared, 'audience')]), /\[0\].*"audience"/],
    ['a user pool without jwksUrl', issuersEnv([shared, without(userPool, 'jwksUrl')]), /\[1\].*"jwksUrl"/],
    ['a user pool without clientId', issuersEnv([without(userPool, 'clientId')]), /"clientId"/],
    [
      'a user pool without resourceServer',
      issuersEnv([without(userPool, 'resourceServer')]),
      /"resourceServer"/,
    ],
    ['a user pool with an empty issuer', issuersEnv([{ ...userPool, issuer: '' }]), /"issuer"/],
    [
      'a jwksUrl that is not an http URL',
      issuersEnv([{ ...userPool, jwksUrl: 'file:///etc/keys' }]),
      /jwksUrl/,
    ],
    ['the same issuer twice', issuersEnv([userPool, { ...userPool, clientId: 'other' }]), /listed|twice/],
    [
      'a shared secret issuer without a secret source',
      { AUTH_ISSUERS: JSON.stringify([shared]) },
      /AUTH_JWT_SECRET_PARAMETER/,
    ],
  ])('fails the cold start on %s', (_name, env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });
});
