/**
 * S3 bucket definitions: infra declares buckets and the IAM grants from these; the local runner
 * creates the emulated bucket. Which functions a bucket notifies is part of those functions'
 * triggers (functions.ts, `bucketNotifications`). Bucket key prefixes are spelled only here.
 *
 * @example
 * const key = `${imagePrefixes.uploads}${imageId}`; // "uploads/<id>"
 */

export type S3EventType = 's3:ObjectCreated:*' | 's3:ObjectRemoved:*';

export interface BucketDefinition {
  /** Logical name; the physical name is `resourceName(stage, id)`. */
  readonly id: string;
  /** The environment variable through which functions receive the physical name. */
  readonly envVar: string;
}

/** Where originals land (the watched prefix) and where thumbnails go (never watched). */
export const imagePrefixes = {
  uploads: 'uploads/',
  thumbnails: 'thumbnails/',
} as const;

export type BucketId = 'images';

export const buckets = {
  images: {
    id: 'images',
    envVar: 'IMAGES_BUCKET',
  },
} as const satisfies Record<BucketId, BucketDefinition>;

/** Whether an S3 event (`ObjectCreated:Put`) for `key` passes a notification's filter. */
export function notificationMatches(
  notification: {
    readonly events: readonly S3EventType[];
    readonly filterPrefix?: string;
    readonly filterSuffix?: string;
  },
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
