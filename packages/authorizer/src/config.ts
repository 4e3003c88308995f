/** Read once at cold start: settings, the key sources (cached across invocations) and the use case. */
import { createLogger } from '@snapstack/domain/logger';
import { routes } from '@snapstack/domain/routes';
import { remoteKeySet } from './adapters/jwks.js';
import { readSettings, type SecretSource, type TrustedIssuerSettings } from './settings.js';
import { makeAuthorize } from './use-cases/authorize.js';
import { type KeyResolver, makeVerifyBearer, type TrustedIssuer } from './use-cases/verify-token.js';

export const logger = createLogger('authorizer');
const settings = readSettings(process.env);

/**
 * The shared secret's key source, loaded on the first HS256 token: the SSM client (and
 * Powertools Parameters) then load only when such a token arrives, so a cold start that
 * verifies user pool tokens (JWKS) never pays for them. A failed load is retried next time.
 */
function sharedSecretKey(source: SecretSource): KeyResolver {
  let loading: Promise<KeyResolver> | undefined;
  const load = async (): Promise<KeyResolver> => {
    const { ssmSecret, staticSecret } = await import('./adapters/shared-secret.js');
    return source.kind === 'env' ? staticSecret(source.secret) : ssmSecret(source.name);
  };
  return async (header, token) => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return (await loading)(header, token);
  };
}

function trusted(issuer: TrustedIssuerSettings): TrustedIssuer {
  return {
    policy: issuer.policy,
    resolveKey: issuer.kind === 'userPool' ? remoteKeySet(issuer.jwksUrl) : sharedSecretKey(issuer.secret),
  };
}

export const authorize = makeAuthorize(makeVerifyBearer(settings.issuers.map(trusted)), routes);
