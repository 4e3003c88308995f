/**
 * SignIn: a stage's user pool with what people and the API need around it — a resource server
 * offering the API's scopes, one public app client (no secret) for the Authorization Code grant
 * (Cognito requires PKCE from a client without a secret), and the managed login domain.
 *
 * @example
 * const signIn = new SignIn(this, 'sign-in', {
 *   name: 'snapstack-dev', region: 'eu-west-1', domainPrefix: 'snapstack-dev-123456789012',
 *   resourceServer: { identifier: 'snapstack', scopes: [{ name: 'images:write', description: 'POST /images' }] },
 *   callbackUrls: ['http://localhost:5173/'], logoutUrls: ['http://localhost:5173/'], deletionProtection: false,
 * });
 * signIn.endpoints // { issuer, jwksUrl, clientId }: what the authorizer trusts
 */
import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server/index.js';
import type { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool/index.js';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client/index.js';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain/index.js';
import type { UserPoolEndpoints } from '@snapstack/domain/issuers';
import { Construct } from 'constructs';
import { createUserPool } from './user-pool.js';

export interface ApiScope {
  /** As the route table names it (`images:write`); tokens carry `<identifier>/<name>`. */
  readonly name: string;
  readonly description: string;
}

export interface SignInProps {
  /** `snapstack-<stage>`: the pool is `<name>-users`, the client `<name>-web`. */
  readonly name: string;
  readonly region: string;
  /** `<domainPrefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  readonly resourceServer: { readonly identifier: string; readonly scopes: readonly ApiScope[] };
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  readonly deletionProtection: boolean;
}

/** The managed login host of a domain prefix: where the browser signs in and redeems its code. */
export function managedLoginHost(domainPrefix: string, region: string): string {
  return `${domainPrefix}.auth.${region}.amazoncognito.com`;
}

/** Where a region's pools publish discovery and keys: a pool's `iss` is this plus `/<pool id>`. */
export function cognitoIssuerOrigin(region: string): string {
  return `https://cognito-idp.${region}.amazonaws.com`;
}

/** Access and ID tokens live an hour; a refresh token (revocable) a month. */
const TOKEN_VALIDITY = { accessMinutes: 60, idMinutes: 60, refreshDays: 30 } as const;

export class SignIn extends Construct {
  public readonly pool: CognitoUserPool;
  public readonly client: CognitoUserPoolClient;
  public readonly resourceServer: CognitoResourceServer;
  public readonly domain: CognitoUserPoolDomain;
  /** The managed login host: `<prefix>.auth.<region>.amazoncognito.com`. */
  public readonly loginDomain: string;
  /** Issuer, JWKS and client id of the pool's access tokens, as the authorizer's issuer list takes them. */
  public readonly endpoints: UserPoolEndpoints;

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id);
    this.pool = createUserPool(this, 'pool', {
      name: `${props.name}-users`,
      deletionProtection: props.deletionProtection,
    });
    const { identifier, scopes } = props.resourceServer;
    this.resourceServer = new CognitoResourceServer(this, 'api', {
      userPoolId: this.pool.id,
      identifier,
      name: `${props.name}-api`,
      scope: scopes.map((s) => ({ scopeName: s.name, scopeDescription: s.description })),
    });
    this.client = new CognitoUserPoolClient(this, 'web-client', {
      name: `${props.name}-web`,
      userPoolId: this.pool.id,
      // A browser app cannot keep a secret; without one, Cognito insists on PKCE for the code grant.
      generateSecret: false,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: ['openid', 'email', ...scopes.map((s) => `${identifier}/${s.name}`)],
      supportedIdentityProviders: ['COGNITO'],
      callbackUrls: [...props.callbackUrls],
      logoutUrls: [...props.logoutUrls],
      // Sign-in happens on the managed login pages only: no password or SRP flow for this client.
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: TOKEN_VALIDITY.accessMinutes,
      idTokenValidity: TOKEN_VALIDITY.idMinutes,
      refreshTokenValidity: TOKEN_VALIDITY.refreshDays,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' }],
      // The client names the resource server's scopes, which must exist first.
      dependsOn: [this.resourceServer],
    });
    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      userPoolId: this.pool.id,
      domain: props.domainPrefix,
      // 1 = the hosted UI: version 2 (the newer managed login) shows no page until a branding
      // style exists for the client, and the pinned provider (5.100) has no resource for one.
      managedLoginVersion: 1,
    });
    this.loginDomain = managedLoginHost(this.domain.domain, props.region);
    // `endpoint` is `cognito-idp.<region>.amazonaws.com/<pool id>`: the `iss` of the pool's tokens.
    const issuer = `https://${this.pool.endpoint}`;
    this.endpoints = { issuer, jwksUrl: `${issuer}/.well-known/jwks.json`, clientId: this.client.id };
  }
}
