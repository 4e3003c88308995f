import type { FromSchema } from 'json-schema-to-ts';
import type { createUploadSchema, processImageSchema } from './schemas.js';

/**
 * An image's lifecycle: `pending` until its original is processed, then `ready` (thumbnails
 * made) or `failed` (the original can never be processed). `expired`: the upload never came —
 * the presigned upload expired with no original, so the pending-image sweeper gave up on it.
 */
export const IMAGE_STATUSES = ['pending', 'ready', 'failed', 'expired'] as const;

/** An uploaded image and its thumbnails, as stored in the images table and returned by the API. */
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

// The accepted formats are part of the upload request's schema, so they are written there.
export { IMAGE_CONTENT_TYPES, type ImageContentType } from './schemas.js';

export type ThumbnailFormat = 'jpeg' | 'webp';

export interface Thumbnail {
  /** The bounding box (pixels) the thumbnail fits inside. */
  readonly size: number;
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly contentType: string;
  /**
   * Where the thumbnail is served (`withThumbnailUrls`): the stage's CDN, or the local runner's
   * delivery server. Derived when an item is returned, never stored, so it follows the stage.
   */
  readonly url?: string;
}

export interface Image {
  readonly image_id: string;
  readonly status: ImageStatus;
  /** The original's S3 key, `uploads/{image_id}`. */
  readonly originalKey: string;
  /** The original's media type, from its magic bytes once known. */
  readonly contentType?: string;
  readonly bytes?: number;
  /** Display dimensions (after EXIF orientation). */
  readonly width?: number;
  readonly height?: number;
  /** The decoder's name for the format (`jpeg`, `png`, `webp`, `gif`, `heif`, `tiff`). */
  readonly format?: string;
  /** EXIF orientation tag (1-8) of the original, when it has one. */
  readonly orientation?: number;
  readonly createdAt: string;
  readonly processedAt?: string;
  readonly thumbnails?: readonly Thumbnail[];
  /** Why processing failed (`failed`), or why the image was given up on (`expired`). */
  readonly error?: string;
  /** POST /uploads: when the presigned upload stops being accepted. */
  readonly uploadExpiresAt?: string;
  /** When the pending-image sweeper marked the image `expired`. */
  readonly expiredAt?: string;
  /** The authorizer's `sub` of whoever created the image, when the route is authenticated. */
  readonly createdBy?: string;
}

/** POST /uploads: a presigned upload for a large image (`bytes`: the exact size, when known). */
export type CreateUploadInput = Readonly<FromSchema<typeof createUploadSchema>>;

/** POST /process: regenerate an image's thumbnails now. */
export type ProcessImageInput = Readonly<FromSchema<typeof processImageSchema>>;

/**
 * The URL a thumbnail is served at: the delivery base (`IMAGE_DELIVERY_URL`, no trailing slash)
 * and the object key, each segment percent-encoded so an id with spaces or `#` stays one path.
 * The CDN (and the local delivery server) maps the decoded path back to the same key.
 *
 * @example
 * thumbnailUrl('https://d1.cloudfront.net', 'thumbnails/a b/128.jpg') // 'https://d1.cloudfront.net/thumbnails/a%20b/128.jpg'
 */
export function thumbnailUrl(deliveryUrl: string, key: string): string {
  return `${deliveryUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The image with `url` on each thumbnail; unchanged when no delivery URL is configured. */
export function withThumbnailUrls(image: Image, deliveryUrl: string | undefined): Image {
  if (deliveryUrl === undefined || !image.thumbnails) return image;
  return {
    ...image,
    thumbnails: image.thumbnails.map((t) => ({ ...t, url: thumbnailUrl(deliveryUrl, t.key) })),
  };
}
