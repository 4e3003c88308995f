/** Read once at cold start: the environment and the clients every metadata-api handler shares. */
import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from '@snapstack/domain/aws';
import { buckets } from '@snapstack/domain/buckets';
import { createDocumentClient } from '@snapstack/domain/dynamo';
import { positiveIntEnv, requiredEnv } from '@snapstack/domain/env';
import { createLogger } from '@snapstack/domain/logger';
import { tables } from '@snapstack/domain/tables';
import { DynamoImageRepository } from '@snapstack/thumbnailer/api';
import { S3OriginalStore } from './adapters/s3-original-store.js';
import type { Clock, UploadLimits } from './ports.js';

/** Lambda's 6 MB (6,291,456 B) invoke payload holds ~4.7 MB once base64-encoded; keep room for the event. */
export const DEFAULT_MAX_DIRECT_UPLOAD_BYTES = 4_500_000;

export function readUploadLimits(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  return {
    maxDirectBytes: positiveIntEnv('MAX_DIRECT_UPLOAD_BYTES', DEFAULT_MAX_DIRECT_UPLOAD_BYTES, env),
    maxPresignedBytes: positiveIntEnv('MAX_UPLOAD_BYTES', 25 * 1024 * 1024, env),
    presignExpiresSeconds: positiveIntEnv('UPLOAD_URL_EXPIRES_SECONDS', 600, env),
  };
}

export const logger = createLogger('metadata-api');
export const clock: Clock = { now: () => new Date() };
export const newId = randomUUID;
export const limits = readUploadLimits();
export const imageRepository = new DynamoImageRepository(
  createDocumentClient(),
  requiredEnv(tables.images.envVar),
);

const s3Config = awsClientConfig('s3');
export const originalStore = new S3OriginalStore(
  new S3Client(s3Config),
  new S3Client({ ...s3Config, requestChecksumCalculation: 'WHEN_REQUIRED' }),
  requiredEnv(buckets.images.envVar),
);
