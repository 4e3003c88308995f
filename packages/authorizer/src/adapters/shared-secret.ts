/**
 * The HS256 key of the shared-secret issuer. In AWS: an SSM SecureString read through
 * Powertools Parameters, cached for `maxAgeSeconds` so a warm authorizer does not call SSM per
 * token, and a rotated secret is picked up within that time.
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientConfig } from '@snapstack/domain/aws';
import type { KeyResolver } from '../use-cases/verify-token.js';

/** HS256 needs at least 256 bits of key; shorter secrets are refused, not padded. */
export const MIN_SECRET_BYTES = 32;

export function secretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.length < MIN_SECRET_BYTES)
    throw new Error(`the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return key;
}

export function staticSecret(secret: string): KeyResolver {
  const key = secretKey(secret);
  return async () => key;
}

export function ssmSecret(
  name: string,
  {
    maxAgeSeconds = 300,
    client = new SSMClient(awsClientConfig('ssm')),
  }: { maxAgeSeconds?: number; client?: SSMClient } = {},
): KeyResolver {
  const provider = new SSMProvider({ awsSdkV3Client: client });
  return async () => {
    const value = await provider.get(name, { decrypt: true, maxAge: maxAgeSeconds });
    if (typeof value !== 'string') throw new Error(`SSM parameter ${name} has no value`);
    return secretKey(value);
  };
}
