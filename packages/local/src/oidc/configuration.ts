/**
 * The local provider's `oidc-provider` configuration, in parts: the client and its sign-in
 * (no consent screen), and access tokens shaped like Cognito's (JWT, RS256, its claims).
 */
import { randomUUID } from 'node:crypto';
import { apiSettings } from '@snapstack/domain/api-settings';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  INTERACTION_PATH,
  isRedirectOrigin,
  LOCAL_CLIENT_ID,
  RESOURCE_INDICATOR,
  resourceServerScopes,
} from './client.js';
import type { ProviderKeys } from './keys.js';
import { errorPage } from './login-page.js';
import { memoryStore } from './memory-store.js';

export type OidcLibrary = typeof import('oidc-provider');

export function configuration(
  library: OidcLibrary,
  keys: ProviderKeys,
  redirectUris: readonly string[],
  emails: ReadonlyMap<string, string>,
): Configuration {
  return {
    adapter: memoryStore(),
    jwks: { keys: [keys.signingKey] },
    cookies: { keys: [...keys.cookieKeys] },
    ...signIn(library, redirectUris, emails),
    ...cognitoAccessTokens(library),
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 300,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
  };
}

/** The one public client, the people it signs in (by email), and its interactions. */
function signIn(
  { interactionPolicy }: OidcLibrary,
  redirectUris: readonly string[],
  emails: ReadonlyMap<string, string>,
): Configuration {
  // The library asks native clients for consent at every authorization (a loopback redirect URI
  // proves little about the app); this one local client is first-party, so it never does.
  const prompts = interactionPolicy.base();
  prompts.get('consent')?.checks.remove('native_client_prompt');
  return {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [...redirectUris],
      },
    ],
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
    async findAccount(_ctx, sub) {
      const email = emails.get(sub);
      return {
        accountId: sub,
        claims: () => ({
          sub,
          ...(email !== undefined ? { email, email_verified: true, preferred_username: email } : {}),
        }),
      };
    },
    // The web app calls the token endpoint from its own origin: allow the client's redirect origins.
    clientBasedCORS: (_ctx, origin, client) => isRedirectOrigin(origin, client.redirectUris ?? []),
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error), out.error_description);
    },
    interactions: { policy: prompts, url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    loadExistingGrant: autoGrant,
  };
}

/** No consent screen: the signed-in person grants the one local client what it asked for. */
async function autoGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client?.clientId ?? '');
  if (grantId) {
    const existing = await oidc.provider.Grant.find(grantId);
    if (existing) return existing;
  }
  if (!oidc.session?.accountId || !oidc.client) return undefined;
  const grant = new oidc.provider.Grant({
    accountId: oidc.session.accountId,
    clientId: oidc.client.clientId,
  });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  grant.addResourceScope(RESOURCE_INDICATOR, resourceServerScopes().join(' '));
  await grant.save();
  return grant;
}

/** Access tokens for the API's resource server: RS256 JWTs with a Cognito access token's claims. */
function cognitoAccessTokens({ errors }: OidcLibrary): Configuration {
  return {
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE_INDICATOR,
        // The code is exchanged without a `resource` parameter (as at Cognito): use the granted one.
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== RESOURCE_INDICATOR) throw new errors.InvalidTarget();
          return {
            scope: resourceServerScopes().join(' '),
            audience: apiSettings.authorizer.userPool.resourceServer,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // The claims a Cognito access token carries beyond RFC 9068's.
    async extraTokenClaims(ctx, token) {
      const code = ctx.oidc.entities.AuthorizationCode;
      return {
        token_use: 'access',
        auth_time: code?.authTime ?? Math.floor(Date.now() / 1000),
        username: 'accountId' in token ? token.accountId : undefined,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        version: 2,
      };
    },
  };
}
