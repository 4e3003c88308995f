/**
 * How thumbnails are delivered: the response headers the stage's CDN adds to every thumbnail
 * (infra's response-headers policy) and the local runner's delivery server sends, so a browser
 * sees the same caching locally as in AWS.
 *
 * Thumbnail URLs are capability URLs: `${IMAGE_DELIVERY_URL}/thumbnails/<image id>/<size>.<ext>`,
 * where the id is a random UUID issued at upload. Whoever has the URL can fetch the thumbnail
 * (that is what lets an `<img>` tag show it without a token); nobody can list or guess one.
 * Originals are never delivered this way: only their owner gets a short-lived presigned GET
 * (GET /images/{image_id}/original).
 */

/**
 * Caches keep a thumbnail a year and never revalidate: a thumbnail is rendered from its image's
 * one original, and rendering it again (POST /process) gives the same image. The exception is an
 * original replaced under the same id (an operator's put, or a presigned upload used twice
 * before it expires): caches keep serving the old thumbnails until they expire.
 */
export const THUMBNAIL_MAX_AGE_SECONDS = 31_536_000;

/** Headers on every delivered thumbnail, lower-case (HSTS only over HTTPS: see below). */
export const thumbnailResponseHeaders = {
  'cache-control': `public, max-age=${THUMBNAIL_MAX_AGE_SECONDS}, immutable`,
  'x-content-type-options': 'nosniff',
} as const;

/**
 * HSTS max-age (two years, what browsers' preload lists ask for), sent by the CDN with
 * `includeSubDomains`. The CDN answers HTTPS only; browsers ignore HSTS over plain HTTP
 * (RFC 6797 §8.1), so the local delivery server does not send it.
 */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;
