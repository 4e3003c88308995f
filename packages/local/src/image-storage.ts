/**
 * The runner's S3: the emulator started with the domain's bucket definitions, its
 * notifications delivered as asynchronous invokes, and the environment handlers read.
 */
import path from 'node:path';
import { type BucketId, buckets } from '@snapstack/domain/buckets';
import { resourceName } from '@snapstack/domain/naming';
import type { FunctionId } from '@snapstack/domain/routes';
import type { S3Event } from 'aws-lambda';
import { startS3 } from './emulators/s3.js';

export interface ImageStorage {
  readonly endpoint: string;
  readonly bucketNames: Readonly<Record<BucketId, string>>;
  /** Environment for handlers: the S3 endpoint override and each bucket's name variable. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startImageStorage(options: {
  stage: string;
  dataDir: string | undefined;
  port?: number;
  deliver: (functionId: FunctionId, event: S3Event) => void;
}): Promise<ImageStorage> {
  const definitions = Object.values(buckets);
  const bucketNames = Object.fromEntries(
    definitions.map((b) => [b.id, resourceName(options.stage, b.id)]),
  ) as Record<BucketId, string>;
  const s3 = await startS3({
    ...(options.dataDir ? { directory: path.join(options.dataDir, 's3') } : {}),
    port: options.port ?? 0,
    buckets: definitions.map((definition) => ({ name: bucketNames[definition.id], definition })),
    deliver: (notification, event) => options.deliver(notification.function, event),
  });
  return {
    endpoint: s3.endpoint,
    bucketNames,
    env: {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      ...Object.fromEntries(definitions.map((b) => [b.envVar, bucketNames[b.id]])),
    },
    close: () => s3.close(),
  };
}
