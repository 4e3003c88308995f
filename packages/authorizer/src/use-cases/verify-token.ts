/**
 * Bearer JWT verification with `jose` against a list of trusted issuers. The token's
 * (unverified) `iss` only picks which issuer's rules apply; that issuer's key source and
 * algorithm allow-list then verify it strictly: required `iss`, audience, `exp` and `sub`,
 * `exp`/`nbf` checked with a small clock skew. An `iss` no issuer has is denied: there is no
 * fallback, so an HS256 token claiming a user pool's `iss` meets only RS256 keys. Keys come in
 * through a port (a shared secret, or a JWKS set), so this stays pure.
 *
 * @example
 * const verify = makeVerifyBearer([{ policy, resolveKey: async () => secret }]);
 * const caller = await verify('Bearer eyJ...'); // { sub, scopes, email? }
 */
import { decodeJwt, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { InvalidTokenError } from '../errors.js';

export type Algorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'ES256'
  | 'ES384'
  | 'PS256';

export interface IssuerPolicy {
  /** Required `iss`. */
  readonly issuer: string;
  /** Required audience: the `aud` claim, or Cognito access tokens' `client_id`. */
  readonly audience: string;
  readonly audienceClaim: 'aud' | 'client_id';
  /** Required `token_use` (Cognito: `access` or `id`), when set. */
  readonly tokenUse?: string;
  /**
   * When set, only scopes starting with it count, without it (Cognito's resource server scopes
   * `snapstack/images:write` → `images:write`); `openid`, `email` and the like are ignored.
   */
  readonly scopePrefix?: string;
  /** Only these `alg`s are accepted; `none` never is. */
  readonly algorithms: readonly Algorithm[];
  readonly clockToleranceSeconds: number;
}

/** Who the token says the caller is. */
export interface VerifiedCaller {
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly email?: string;
}

/** Resolves the verification key for a token's protected header (a secret, or a JWKS lookup by `kid`). */
export type KeyResolver = JWTVerifyGetKey;

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/** An issuer the authorizer trusts: its rules and where its keys come from. */
export interface TrustedIssuer {
  readonly policy: IssuerPolicy;
  readonly resolveKey: KeyResolver;
}

export function makeVerifyBearer(issuers: readonly TrustedIssuer[]) {
  const byIssuer = new Map<string, TrustedIssuer>();
  for (const trusted of issuers) {
    if (trusted.policy.algorithms.length === 0)
      throw new Error('an issuer needs at least one allowed algorithm');
    if (byIssuer.has(trusted.policy.issuer))
      throw new Error(`issuer ${trusted.policy.issuer} is listed twice`);
    byIssuer.set(trusted.policy.issuer, trusted);
  }
  return async (authorization: string | undefined): Promise<VerifiedCaller> => {
    const token = BEARER.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new InvalidTokenError('the Authorization header is not "Bearer <jwt>"');
    let claimed: unknown;
    try {
      claimed = decodeJwt(token).iss;
    } catch (cause) {
      throw new InvalidTokenError('token rejected: not a decodable JWT', { cause });
    }
    const trusted = typeof claimed === 'string' ? byIssuer.get(claimed) : undefined;
    if (!trusted) throw new InvalidTokenError('token rejected: unknown issuer');
    return verifyWith(trusted, token);
  };
}

async function verifyWith({ policy, resolveKey }: TrustedIssuer, token: string): Promise<VerifiedCaller> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, resolveKey, {
      issuer: policy.issuer,
      algorithms: [...policy.algorithms],
      clockTolerance: policy.clockToleranceSeconds,
      requiredClaims: ['exp', 'sub'],
      ...(policy.audienceClaim === 'aud' ? { audience: policy.audience } : {}),
    }));
  } catch (cause) {
    // Every failure is a denial; only the kind of failure is worth logging.
    const reason = cause instanceof errors.JOSEError ? cause.code : 'ERR_KEY_UNAVAILABLE';
    throw new InvalidTokenError(`token rejected: ${reason}`, { cause });
  }
  // jose checks that `sub` is present, not what it is. The principal must be a non-empty
  // string: a number or an empty string would reach API Gateway as a non-string principal
  // (its 500) and every handler as "no caller".
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new InvalidTokenError('token rejected: sub is not a non-empty string');
  }
  if (policy.audienceClaim === 'client_id' && payload.client_id !== policy.audience) {
    throw new InvalidTokenError('token rejected: client_id is not this API');
  }
  if (policy.tokenUse !== undefined && payload.token_use !== policy.tokenUse) {
    throw new InvalidTokenError(`token rejected: token_use is not "${policy.tokenUse}"`);
  }
  return {
    sub: payload.sub,
    scopes: scopesOf(payload, policy.scopePrefix),
    ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
  };
}

/** OAuth 2 `scope` (space-separated), as Cognito and most issuers send it; `scp` arrays too. */
function scopesOf(payload: JWTPayload, prefix: string | undefined): string[] {
  const all =
    typeof payload.scope === 'string'
      ? payload.scope.split(' ').filter(Boolean)
      : Array.isArray(payload.scp)
        ? payload.scp.filter((s): s is string => typeof s === 'string')
        : [];
  if (prefix === undefined) return all;
  return all.flatMap((scope) =>
    scope.startsWith(prefix) && scope.length > prefix.length ? [scope.slice(prefix.length)] : [],
  );
}
