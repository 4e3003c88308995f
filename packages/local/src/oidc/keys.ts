/**
 * The local OpenID provider's secrets: its RS256 signing key (published as its JWKS) and the
 * keys that sign its cookies. Generated on first start and kept in the data directory next to
 * the dev credentials (cli/credentials.ts), so tokens and sign-in sessions survive a restart of
 * `pnpm dev`; in memory when there is no data directory. `pnpm dev --fresh` rotates them.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface ProviderKeys {
  /** The private RS256 signing key, as a JWK with `kid`, `alg` and `use`. */
  readonly signingKey: JWK;
  readonly cookieKeys: readonly string[];
}

export const OIDC_KEYS_FILE = 'oidc-keys.json';

export async function generateProviderKeys(): Promise<ProviderKeys> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    signingKey: { ...jwk, kid, alg: 'RS256', use: 'sig' },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

/** Without a data directory: one set per process, so test files starting several runners pay once. */
let inMemory: Promise<ProviderKeys> | undefined;

/** Reads the data directory's provider keys, creating them on first use. */
export async function loadProviderKeys(dataDir: string | undefined): Promise<ProviderKeys> {
  if (!dataDir) {
    inMemory ??= generateProviderKeys();
    return inMemory;
  }
  const file = path.join(dataDir, OIDC_KEYS_FILE);
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProviderKeys>;
    if (
      stored.signingKey?.kty === 'RSA' &&
      typeof stored.signingKey.d === 'string' &&
      Array.isArray(stored.cookieKeys) &&
      stored.cookieKeys.length > 0
    ) {
      return { signingKey: stored.signingKey, cookieKeys: stored.cookieKeys };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const created = await generateProviderKeys();
  mkdirSync(dataDir, { recursive: true });
  // Owner-only: the file holds a private key. Only the runner holding the data directory writes it.
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}
