/** Read once at cold start: settings, the key source (cached across invocations) and the use case. */
import { createLogger } from '@snapstack/domain/logger';
import { routes } from '@snapstack/domain/routes';
import { remoteKeySet } from './adapters/jwks.js';
import { readSettings } from './settings.js';
import { makeAuthorize } from './use-cases/authorize.js';
import { type KeyResolver, makeVerifyBearer } from './use-cases/verify-token.js';

export const logger = createLogger('authorizer');
const settings = readSettings(process.env);

async function keyResolver(): Promise<KeyResolver> {
  if (settings.kind === 'jwks') return remoteKeySet(settings.jwksUrl);
  // Loaded only when used, so JWKS and local authorizers do not pay for the SSM client at cold start.
  const { ssmSecret, staticSecret } = await import('./adapters/shared-secret.js');
  return settings.secret.kind === 'env'
    ? staticSecret(settings.secret.secret)
    : ssmSecret(settings.secret.name);
}

export const authorize = makeAuthorize(makeVerifyBearer(settings.policy, await keyResolver()), routes);
