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
