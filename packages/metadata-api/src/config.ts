/** Read once at cold start: the environment and the clients every metadata-api handler shares. */
import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from '@snapstack/domain/aws';
import { buckets } from '@snapstack/domain/buckets';
import { createDocumentClient } from '@snapstack/domain/dynamo';
import { positiveIntEnv, requiredEnv } from '@snapstack/domain/env';
import { IMAGE_DELIVERY_URL_ENV } from '@snapstack/domain/function-environment';
import { createLogger } from '@snapstack/domain/logger';
import { tables } from '@snapstack/domain/tables';
import { DynamoImageRepository, toImage } from '@snapstack/thumbnailer/api';
import { DynamoOwnedImages } from './adapters/dynamo-owned-images.js';
import { S3OriginalStore } from './adapters/s3-original-store.js';
import type { Clock, DownloadSettings, ImageView, UploadLimits } from './ports.js';

/** Lambda's 6 MB (6,291,456 B) invoke payload holds ~4.7 MB once base64-encoded; keep room for the event. */
export const DEFAULT_MAX_DIRECT_UPLOAD_BYTES = 4_500_000;

export function readUploadLimits(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  return {
    maxDirectBytes: positiveIntEnv('MAX_DIRECT_UPLOAD_BYTES', DEFAULT_MAX_DIRECT_UPLOAD_BYTES, env),
    maxPresignedBytes: positiveIntEnv('MAX_UPLOAD_BYTES', 25 * 1024 * 1024, env),
    presignExpiresSeconds: positiveIntEnv('UPLOAD_URL_EXPIRES_SECONDS', 600, env),
  };
}

export function readDownloadSettings(env: NodeJS.ProcessEnv = process.env): DownloadSettings {
  // Long enough to start a download, short enough that a leaked link soon stops working.
  return { originalUrlExpiresSeconds: positiveIntEnv('ORIGINAL_URL_EXPIRES_SECONDS', 300, env) };
}

/**
 * Where thumbnails are served (`IMAGE_DELIVERY_URL`, set when the stage has a delivery path):
 * absent, items carry no thumbnail `url`; present, it must be an absolute http(s) URL with no
 * query or fragment — anything else fails the cold start rather than every response.
 */
export function readImageDeliveryUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[IMAGE_DELIVERY_URL_ENV];
  if (raw === undefined || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '') {
    throw new Error(
      `${IMAGE_DELIVERY_URL_ENV} must be an absolute http(s) URL without query or fragment, got "${raw}"`,
    );
  }
  return raw.replace(/\/+$/, '');
}

export const logger = createLogger('metadata-api');
export const clock: Clock = { now: () => new Date() };
export const newId = randomUUID;
export const limits = readUploadLimits();
export const downloads = readDownloadSettings();
const imageDeliveryUrl = readImageDeliveryUrl();
/** Every image the API returns goes through the one mapper, which adds the thumbnail URLs. */
export const imageView: ImageView = (item) =>
  toImage(item as unknown as Record<string, unknown>, imageDeliveryUrl);
const documentClient = createDocumentClient();
export const imageRepository = new DynamoImageRepository(documentClient, requiredEnv(tables.images.envVar));
export const ownedImages = new DynamoOwnedImages(documentClient, requiredEnv(tables.images.envVar));

const s3Config = awsClientConfig('s3');
export const originalStore = new S3OriginalStore(
  new S3Client(s3Config),
  new S3Client({ ...s3Config, requestChecksumCalculation: 'WHEN_REQUIRED' }),
  requiredEnv(buckets.images.envVar),
);
