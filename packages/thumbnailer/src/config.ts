/** Read once at cold start: the environment and the clients every thumbnail path shares. */
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from '@snapstack/domain/aws';
import { buckets } from '@snapstack/domain/buckets';
import { createDocumentClient } from '@snapstack/domain/dynamo';
import { positiveIntEnv, requiredEnv } from '@snapstack/domain/env';
import { THUMBNAIL_SIZE_LIMITS } from '@snapstack/domain/schemas';
import { tables } from '@snapstack/domain/tables';
import { DynamoImageRepository } from './adapters/dynamo-image-repository.js';
import { S3ImageStore } from './adapters/s3-image-store.js';
import type { Clock, ThumbnailSettings } from './ports.js';

/** Parses THUMBNAIL_SIZES etc.; a bad value fails the cold start, not every image. */
export function readThumbnailSettings(env: NodeJS.ProcessEnv = process.env): ThumbnailSettings {
  const sizes = (env.THUMBNAIL_SIZES ?? '128')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (
    sizes.length === 0 ||
    sizes.some(
      (n) => !Number.isInteger(n) || n < THUMBNAIL_SIZE_LIMITS.minimum || n > THUMBNAIL_SIZE_LIMITS.maximum,
    )
  ) {
    throw new Error(
      `THUMBNAIL_SIZES must be integers from ${THUMBNAIL_SIZE_LIMITS.minimum} to ${THUMBNAIL_SIZE_LIMITS.maximum}, got "${env.THUMBNAIL_SIZES}"`,
    );
  }
  const format = (env.THUMBNAIL_FORMAT ?? 'jpeg').toLowerCase();
  if (format !== 'jpeg' && format !== 'webp')
    throw new Error(`THUMBNAIL_FORMAT must be jpeg or webp, got "${format}"`);
  const maxInputPixels = positiveIntEnv('MAX_INPUT_PIXELS', 100_000_000, env);
  const maxSourceBytes = positiveIntEnv('MAX_UPLOAD_BYTES', 25 * 1024 * 1024, env);
  return { sizes: [...new Set(sizes)], format, maxInputPixels, maxSourceBytes };
}

export const clock: Clock = { now: () => new Date() };

/** Clients and adapters for a function that reads originals and writes thumbnails. */
export function createThumbnailDeps(env: NodeJS.ProcessEnv = process.env) {
  const bucketName = requiredEnv(buckets.images.envVar, env);
  return {
    bucketName,
    store: new S3ImageStore(new S3Client(awsClientConfig('s3', env)), bucketName),
    repo: new DynamoImageRepository(createDocumentClient(), requiredEnv(tables.images.envVar, env)),
    settings: readThumbnailSettings(env),
    clock,
  };
}
