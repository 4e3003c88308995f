import { describe, expect, it } from 'vitest';
import { apiSettings } from './api-settings.js';
import { authorizerIssuers } from './issuers.js';

describe('authorizerIssuers', () => {
  it('trusts the shared secret alone when the stage has no user pool', () => {
    expect(authorizerIssuers()).toEqual([
      {
        kind: 'sharedSecret',
        issuer: apiSettings.authorizer.sharedSecret.issuer,
        audience: apiSettings.authorizer.sharedSecret.audience,
      },
    ]);
  });

  it('adds the user pool with the resource server its scopes are prefixed with', () => {
    const pool = { issuer: 'https://idp.example/pool', jwksUrl: 'https://idp.example/jwks', clientId: 'c1' };
    const [, userPool] = authorizerIssuers(pool);
    expect(userPool).toEqual({ kind: 'userPool', ...pool, resourceServer: 'snapstack' });
  });
});
