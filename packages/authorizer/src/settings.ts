/**
 * The authorizer's configuration, from its environment: the issuers it trusts, as
 * `AUTH_ISSUERS` (a JSON array of `IssuerConfig`, see packages/domain/src/issuers.ts, written by
 * `functionEnvironment`). Each issuer gets its own verification policy:
 *
 * - `sharedSecret`: HS256 only, `aud` must be the configured audience. In AWS the secret is the
 *   SSM SecureString named by `AUTH_JWT_SECRET_PARAMETER`; only the local runner passes
 *   `AUTH_JWT_SECRET` (its generated dev secret) directly.
 * - `userPool` (Cognito, or the runner's local OpenID provider): RS256 only (Cognito signs with
 *   RS256), keys from `jwksUrl`, `token_use` must be `access`, `client_id` must be the app
 *   client (Cognito access tokens carry no `aud`), and only `<resourceServer>/<scope>` scopes
 *   count, without their prefix.
 *
 * A bad configuration fails the cold start with a message naming what is wrong, rather than
 * denying every token at run time.
 */

import { AUTH_ISSUERS_ENV } from '@snapstack/domain/issuers';
import { parameters } from '@snapstack/domain/parameters';
import type { IssuerPolicy } from './use-cases/verify-token.js';

export type SecretSource =
  | { readonly kind: 'env'; readonly secret: string }
  | { readonly kind: 'ssm'; readonly name: string };

export type TrustedIssuerSettings =
  | { readonly kind: 'sharedSecret'; readonly policy: IssuerPolicy; readonly secret: SecretSource }
  | { readonly kind: 'userPool'; readonly policy: IssuerPolicy; readonly jwksUrl: URL };

export interface AuthorizerSettings {
  readonly issuers: readonly TrustedIssuerSettings[];
}

export const CLOCK_TOLERANCE_SECONDS = 30;

export function readSettings(env: NodeJS.ProcessEnv): AuthorizerSettings {
  const raw = env[AUTH_ISSUERS_ENV];
  if (!raw) throw new Error(`${AUTH_ISSUERS_ENV} is not set (a JSON array of the issuers to trust)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new Error(`${AUTH_ISSUERS_ENV} is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new Error(`${AUTH_ISSUERS_ENV} must be a non-empty JSON array of issuers`);
  const issuers = parsed.map((entry, index) => issuerSettings(entry, `${AUTH_ISSUERS_ENV}[${index}]`, env));
  const seen = new Set<string>();
  for (const { policy } of issuers) {
    // The token's `iss` picks the issuer: two entries with one `iss` would make that choice ambiguous.
    if (seen.has(policy.issuer))
      throw new Error(`${AUTH_ISSUERS_ENV} lists the issuer "${policy.issuer}" twice`);
    seen.add(policy.issuer);
  }
  return { issuers };
}

function issuerSettings(entry: unknown, at: string, env: NodeJS.ProcessEnv): TrustedIssuerSettings {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new Error(`${at} must be an object`);
  const fields = entry as Record<string, unknown>;
  const text = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string' || value === '')
      throw new Error(`${at} (${String(fields.kind)}) needs "${name}", a non-empty string`);
    return value;
  };
  const common = { clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS };
  switch (fields.kind) {
    case 'sharedSecret':
      return {
        kind: 'sharedSecret',
        secret: secretSource(env),
        policy: {
          ...common,
          issuer: text('issuer'),
          audience: text('audience'),
          audienceClaim: 'aud',
          algorithms: ['HS256'],
        },
      };
    case 'userPool': {
      const jwksUrl = httpUrl(text('jwksUrl'));
      if (!jwksUrl) throw new Error(`${at} (userPool) has a jwksUrl that is not an http(s) URL`);
      return {
        kind: 'userPool',
        jwksUrl,
        policy: {
          ...common,
          issuer: text('issuer'),
          audience: text('clientId'),
          audienceClaim: 'client_id',
          tokenUse: 'access',
          scopePrefix: `${text('resourceServer')}/`,
          algorithms: ['RS256'],
        },
      };
    }
    default:
      throw new Error(`${at} has kind ${JSON.stringify(fields.kind)}; expected "sharedSecret" or "userPool"`);
  }
}

function secretSource(env: NodeJS.ProcessEnv): SecretSource {
  if (env.AUTH_JWT_SECRET) return { kind: 'env', secret: env.AUTH_JWT_SECRET };
  const name = env[parameters.jwtSecret.envVar];
  if (name) return { kind: 'ssm', name };
  throw new Error(
    `the sharedSecret issuer needs ${parameters.jwtSecret.envVar} (or AUTH_JWT_SECRET locally)`,
  );
}

function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
