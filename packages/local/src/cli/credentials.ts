/**
 * Local auth defaults that work with no setup: a generated HS256 dev secret (the secret AWS
 * keeps in SSM) and one API key of the local usage plan. Persisted in the data directory so
 * `pnpm token`, `pnpm apikey` and `pnpm dev` agree; in memory when there is no data directory.
 * `pnpm dev --fresh` deletes the data directory, so it also rotates both.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiSettings } from '@snapstack/domain/api-settings';
import { SignJWT } from 'jose';

export interface DevCredentials {
  /** HS256 secret (43 base64url characters = 32 random bytes of entropy). */
  readonly jwtSecret: string;
  readonly apiKey: string;
}

export const CREDENTIALS_FILE = 'auth.json';

export function generateCredentials(): DevCredentials {
  return { jwtSecret: randomBytes(32).toString('base64url'), apiKey: randomBytes(20).toString('base64url') };
}

/** Reads the data directory's credentials, creating them on first use. */
export function loadDevCredentials(dataDir: string | undefined): DevCredentials {
  if (!dataDir) return generateCredentials();
  const file = path.join(dataDir, CREDENTIALS_FILE);
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevCredentials>;
    if (typeof stored.jwtSecret === 'string' && typeof stored.apiKey === 'string') {
      return { jwtSecret: stored.jwtSecret, apiKey: stored.apiKey };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const created = generateCredentials();
  mkdirSync(dataDir, { recursive: true });
  // `wx`: when two processes race to create it, the loser reads the winner's file.
  try {
    writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadDevCredentials(dataDir);
    throw error;
  }
}

export interface DevTokenClaims {
  readonly sub?: string;
  /** Space-separated scopes. */
  readonly scope?: string;
  readonly email?: string;
  /** Seconds, or a jose time span such as `1h`, `15m`. Default `1h`. */
  readonly expiresIn?: number | string;
}

/** Every scope some route of the table requires. */

/** A token the shared-secret issuer of this runner accepts (same issuer and audience as AWS). */
export async function signDevToken(jwtSecret: string, claims: DevTokenClaims = {}): Promise<string> {
  const { issuer, audience } = apiSettings.authorizer.sharedSecret;
  const expiresIn = claims.expiresIn ?? '1h';
  return new SignJWT({
    ...(claims.scope !== undefined ? { scope: claims.scope } : {}),
    ...(claims.email !== undefined ? { email: claims.email } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? 'dev-user')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn)
    .sign(new TextEncoder().encode(jwtSecret));
}
