/**
 * The HS256 key of the shared-secret issuer. In AWS: an SSM SecureString, cached for
 * `maxAgeSeconds` so a warm authorizer does not read it per token, and a rotated secret is
 * picked up within that time. Read through the Parameters and Secrets Lambda Extension when it
 * is attached (parameters-extension.ts), else through Powertools Parameters and the SDK's SSM
 * client — both loaded on the first read, so neither path weighs on the cold start.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientConfig } from '@snapstack/domain/aws';
import type { KeyResolver } from '../use-cases/verify-token.js';
import { extensionEndpoint, readParameter } from './parameters-extension.js';

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
    client,
    env = process.env,
  }: { maxAgeSeconds?: number; client?: SSMClient; env?: NodeJS.ProcessEnv } = {},
): KeyResolver {
  const endpoint = extensionEndpoint(env);
  const read = endpoint
    ? cachedFor(maxAgeSeconds, () => readParameter(name, endpoint))
    : sdkParameter(name, maxAgeSeconds, client, env);
  return async () => secretKey(await read());
}

/** The SDK path: Powertools Parameters (its own cache) over an SSM client, both imported on first use. */
function sdkParameter(
  name: string,
  maxAgeSeconds: number,
  client: SSMClient | undefined,
  env: NodeJS.ProcessEnv,
): () => Promise<string> {
  let provider: Promise<{ get: (n: string, o: object) => Promise<unknown> }> | undefined;
  return async () => {
    provider ??= (async () => {
      const [{ SSMProvider }, { SSMClient }] = await Promise.all([
        import('@aws-lambda-powertools/parameters/ssm'),
        import('@aws-sdk/client-ssm'),
      ]);
      return new SSMProvider({ awsSdkV3Client: client ?? new SSMClient(awsClientConfig('ssm', env)) });
    })();
    const value = await (await provider).get(name, { decrypt: true, maxAge: maxAgeSeconds });
    if (typeof value !== 'string') throw new Error(`SSM parameter ${name} has no value`);
    return value;
  };
}

/** `read` at most once per `maxAgeSeconds`; a failed read is not cached. */
function cachedFor(maxAgeSeconds: number, read: () => Promise<string>): () => Promise<string> {
  let cached: { value: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.expiresAt) return cached.value;
    const value = await read();
    cached = { value, expiresAt: Date.now() + maxAgeSeconds * 1000 };
    return value;
  };
}
