/**
 * The pending-image sweeper's settings and clients, read once at cold start. Kept apart from
 * config.ts: the sweeper loads no image library and needs none of the thumbnail settings.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig, LOCAL_REGION } from '@snapstack/domain/aws';
import { buckets } from '@snapstack/domain/buckets';
import { createDocumentClient } from '@snapstack/domain/dynamo';
import { positiveIntEnv, requiredEnv } from '@snapstack/domain/env';
import { functionNameEnvVar } from '@snapstack/domain/functions';
import { tables } from '@snapstack/domain/tables';
import { DynamoPendingImages } from './adapters/dynamo-pending-images.js';
import { LambdaRedriver } from './adapters/lambda-redriver.js';
import { S3OriginalIndex } from './adapters/s3-original-index.js';
import type { SweepSettings } from './sweeper-ports.js';

/**
 * Defaults: re-drive after 15 min (Lambda's own async retries of an S3 event take ~3 min), at
 * most 3 times; expire 15 min after the upload URL expired (an upload started just before
 * its expiry may still be streaming, and its event may still be in Lambda's queue).
 */
export function readSweepSettings(env: NodeJS.ProcessEnv = process.env): SweepSettings {
  return {
    redriveAfterSeconds: positiveIntEnv('SWEEP_REDRIVE_AFTER_SECONDS', 900, env),
    maxRedrives: positiveIntEnv('SWEEP_MAX_REDRIVES', 3, env),
    expireGraceSeconds: positiveIntEnv('SWEEP_EXPIRE_GRACE_SECONDS', 900, env),
  };
}

export function createSweepDeps(env: NodeJS.ProcessEnv = process.env) {
  const bucket = requiredEnv(buckets.images.envVar, env);
  return {
    images: new DynamoPendingImages(createDocumentClient(), requiredEnv(tables.images.envVar, env)),
    originals: new S3OriginalIndex(new S3Client(awsClientConfig('s3', env)), bucket),
    redriver: new LambdaRedriver(
      new LambdaClient(awsClientConfig('lambda', env)),
      requiredEnv(functionNameEnvVar('thumbnailer'), env),
      bucket,
      env.AWS_REGION ?? LOCAL_REGION,
    ),
    settings: readSweepSettings(env),
    now: () => new Date(),
  };
}
