/**
 * S3 bucket definitions: infra declares buckets, their notification configuration and the
 * IAM grants from these; the local runner creates the emulated bucket and delivers events
 * with the same filter. Nothing else spells a bucket prefix.
 *
 * @example
 * const key = `${buckets.images.prefixes.uploads}${imageId}`; // "uploads/<id>"
 */
import type { FunctionId } from './routes.js';

export type S3EventType = 's3:ObjectCreated:*' | 's3:ObjectRemoved:*';

/** One S3 -> Lambda notification, as `aws_s3_bucket_notification.lambda_function` takes it. */
export interface BucketNotification {
  readonly id: string;
  readonly events: readonly S3EventType[];
  readonly filterPrefix?: string;
  readonly filterSuffix?: string;
  /** Invoked asynchronously (its `asyncInvoke` settings apply). */
  readonly function: FunctionId;
}

export interface BucketDefinition {
  /** Logical name; the physical name is `resourceName(stage, id)`. */
  readonly id: string;
  /** The environment variable through which functions receive the physical name. */
  readonly envVar: string;
  readonly notifications: readonly BucketNotification[];
}

/** Where originals land (the watched prefix) and where thumbnails go (never watched). */
export const imagePrefixes = {
  uploads: 'uploads/',
  thumbnails: 'thumbnails/',
} as const;

/** Declared as a literal union (not derived from `buckets`) so routes.ts can name it without a cycle. */
export type BucketId = 'images';

export const buckets = {
  images: {
    id: 'images',
    envVar: 'IMAGES_BUCKET',
    notifications: [
      {
        id: 'thumbnail-uploads',
        events: ['s3:ObjectCreated:*'],
        // Only originals: thumbnails are written outside this prefix, so they cannot re-trigger.
        filterPrefix: imagePrefixes.uploads,
        function: 'thumbnailer',
      },
    ],
  },
} as const satisfies Record<BucketId, BucketDefinition>;

/** Whether an S3 event (`ObjectCreated:Put`) for `key` passes a notification's filter. */
export function notificationMatches(
  notification: BucketNotification,
  eventName: string,
  key: string,
): boolean {
  const eventMatches = notification.events.some((pattern) => {
    const wanted = pattern.replace(/^s3:/, '');
    return wanted.endsWith(':*') ? eventName.startsWith(wanted.slice(0, -1)) : eventName === wanted;
  });
  return (
    eventMatches &&
    key.startsWith(notification.filterPrefix ?? '') &&
    key.endsWith(notification.filterSuffix ?? '')
  );
}

/**
 * How S3 encodes object keys in event notifications: form encoding (space as `+`, `+` as
 * `%2B`, UTF-8 percent-escapes, `*-._` kept) with `/` left as is. The local S3 and the
 * pending-image sweeper's synthetic events both use it; handlers decode it back.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}
