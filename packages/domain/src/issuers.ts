/**
 * The token issuers the Lambda authorizer trusts, as it receives them (`AUTH_ISSUERS`, JSON):
 *
 * - `sharedSecret`: HS256 tokens signed with the SSM secret (`parameters.jwtSecret`): machine
 *   clients and `pnpm token`.
 * - `userPool`: RS256 access tokens of an OpenID provider shaped like Cognito: a Cognito user
 *   pool in AWS, the runner's local OpenID provider under `pnpm dev`. Keys from `jwksUrl`; the
 *   audience is `client_id` (Cognito access tokens carry no `aud`); `token_use` must be `access`;
 *   custom scopes arrive as `<resourceServer>/<scope>` and only those count.
 *
 * A token is checked against the issuer whose `issuer` equals its `iss`; there is no fallback.
 */
import { apiSettings } from './api-settings.js';

export const AUTH_ISSUERS_ENV = 'AUTH_ISSUERS';

export interface SharedSecretIssuer {
  readonly kind: 'sharedSecret';
  readonly issuer: string;
  readonly audience: string;
}

export interface UserPoolIssuer {
  readonly kind: 'userPool';
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or the local provider's URL. */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The app client whose access tokens the API accepts (their `client_id`). */
  readonly clientId: string;
  /** Scopes are `${resourceServer}/${scope}`; the route table names them without the prefix. */
  readonly resourceServer: string;
}

export type IssuerConfig = SharedSecretIssuer | UserPoolIssuer;

/** A stage's user pool (or the local provider), as infra and the runner know it. */
export interface UserPoolEndpoints {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly clientId: string;
}

/** The issuers of a stage: always the shared secret, and the user pool when there is one. */
export function authorizerIssuers(userPool?: UserPoolEndpoints): IssuerConfig[] {
  const { sharedSecret, userPool: pool } = apiSettings.authorizer;
  return [
    { kind: 'sharedSecret', issuer: sharedSecret.issuer, audience: sharedSecret.audience },
    ...(userPool ? [{ kind: 'userPool' as const, ...userPool, resourceServer: pool.resourceServer }] : []),
  ];
}
