/**
 * The authorizer's configuration, from its environment. Two issuer kinds:
 *
 * - `sharedSecret` (default): HS256 tokens. In AWS the secret is the SSM SecureString named by
 *   `AUTH_JWT_SECRET_PARAMETER`, read through a cached parameters client. Only the local runner
 *   passes `AUTH_JWT_SECRET` (its generated dev secret) directly.
 * - `jwks`: RS256/ES256 tokens whose keys come from `AUTH_JWKS_URL` (a Cognito user pool:
 *   `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`).
 */

import { apiSettings } from '@snapstack/domain/api-settings';
import { parameters } from '@snapstack/domain/parameters';
import type { Algorithm, IssuerPolicy } from './use-cases/verify-token.js';

export type SecretSource =
  | { readonly kind: 'env'; readonly secret: string }
  | { readonly kind: 'ssm'; readonly name: string };

export type AuthorizerSettings =
  | { readonly kind: 'sharedSecret'; readonly policy: IssuerPolicy; readonly secret: SecretSource }
  | { readonly kind: 'jwks'; readonly policy: IssuerPolicy; readonly jwksUrl: URL };

export const CLOCK_TOLERANCE_SECONDS = 30;
const ASYMMETRIC: readonly Algorithm[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'];

export function readSettings(env: NodeJS.ProcessEnv): AuthorizerSettings {
  const kind = env.AUTH_ISSUER_KIND ?? 'sharedSecret';
  if (kind === 'sharedSecret') {
    const defaults = apiSettings.authorizer.sharedSecret;
    const secretName = env[parameters.jwtSecret.envVar];
    const secret: SecretSource | undefined = env.AUTH_JWT_SECRET
      ? { kind: 'env', secret: env.AUTH_JWT_SECRET }
      : secretName
        ? { kind: 'ssm', name: secretName }
        : undefined;
    if (!secret) throw new Error(`set ${parameters.jwtSecret.envVar} (or AUTH_JWT_SECRET locally)`);
    return {
      kind,
      secret,
      policy: {
        issuer: env.AUTH_ISSUER || defaults.issuer,
        audience: env.AUTH_AUDIENCE || defaults.audience,
        audienceClaim: 'aud',
        algorithms: ['HS256'],
        clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      },
    };
  }
  if (kind === 'jwks') {
    const required = (name: string) => {
      const value = env[name];
      if (!value) throw new Error(`AUTH_ISSUER_KIND=jwks needs ${name}`);
      return value;
    };
    const algorithms = (env.AUTH_ALGORITHMS ?? 'RS256,ES256').split(',').map((a) => a.trim()) as Algorithm[];
    const unsafe = algorithms.filter((a) => !ASYMMETRIC.includes(a));
    if (unsafe.length > 0)
      throw new Error(`a JWKS issuer accepts asymmetric algorithms only, not ${unsafe.join(', ')}`);
    const audienceClaim = env.AUTH_AUDIENCE_CLAIM ?? 'aud';
    if (audienceClaim !== 'aud' && audienceClaim !== 'client_id')
      throw new Error('AUTH_AUDIENCE_CLAIM is aud or client_id');
    return {
      kind,
      jwksUrl: new URL(required('AUTH_JWKS_URL')),
      policy: {
        issuer: required('AUTH_ISSUER'),
        audience: required('AUTH_AUDIENCE'),
        audienceClaim,
        ...(env.AUTH_TOKEN_USE ? { tokenUse: env.AUTH_TOKEN_USE } : {}),
        algorithms,
        clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      },
    };
  }
  throw new Error(`AUTH_ISSUER_KIND must be sharedSecret or jwks, got "${kind}"`);
}
