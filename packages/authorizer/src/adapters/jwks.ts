/**
 * Keys of a JWKS issuer (a Cognito user pool): jose's remote key set, created once per cold
 * start so fetched keys are cached across invocations. An unknown `kid` triggers at most one
 * refetch per cooldown; a fetch failure rejects, and the token is denied.
 */
import { createRemoteJWKSet } from 'jose';
import type { KeyResolver } from '../use-cases/verify-token.js';

export function remoteKeySet(url: URL, options: { timeoutMs?: number } = {}): KeyResolver {
  return createRemoteJWKSet(url, {
    timeoutDuration: options.timeoutMs ?? 3000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
}
