/**
 * What browsers get from Snapstack besides the API, the same from the stage's CDN (infra) and from
 * the local runner: the headers on every thumbnail, the images bucket's CORS for the web app's
 * uploads, and the web app's Content-Security-Policy.
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

/** One CORS rule of a bucket, as S3's `PutBucketCors` takes it (camel-cased). */
export interface BucketCorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly ('GET' | 'POST')[];
  readonly allowedHeaders?: readonly string[];
  readonly maxAgeSeconds: number;
}

/**
 * The images bucket's CORS, the same in AWS (infra) and under `pnpm dev` (the local runner): the
 * web app posts originals straight to a presigned POST (with upload progress, which makes the
 * browser preflight) and follows `GET /images/{id}/original` to a presigned GET. Without a rule S3
 * answers neither to a page on another origin.
 *
 * @param appOrigins the origins the web app is served from (its uploads come from there only)
 */
export function imagesBucketCorsRules(appOrigins: readonly string[]): BucketCorsRule[] {
  if (appOrigins.length === 0)
    throw new Error('the images bucket needs the web app origin its uploads come from');
  return [
    { allowedOrigins: [...appOrigins], allowedMethods: ['POST'], allowedHeaders: ['*'], maxAgeSeconds: 600 },
    // A redirect to another origin sends `Origin: null` (the fetch standard's tainted origin), so
    // the GET rule cannot name the app; the presigned URL, valid minutes, is the capability.
    { allowedOrigins: ['*'], allowedMethods: ['GET'], maxAgeSeconds: 600 },
  ];
}

/**
 * Where the web app's pages may reach, each as an origin (scheme and host only: a CSP source
 * with a path matches that path alone).
 */
export interface WebAppSources {
  /** The API (`https://<id>.execute-api.<region>.amazonaws.com`, a `*.` wildcard host, or a custom domain). */
  readonly api: string;
  /** The OpenID provider's issuer: discovery is fetched there. */
  readonly issuer: string;
  /** The provider's login and token host. */
  readonly login: string;
  /** The images bucket's endpoint: presigned POSTs and GETs go there. */
  readonly imagesBucket: string;
  /** Where thumbnails come from: the page's own distribution in AWS (the default, `'self'`). */
  readonly thumbnails?: string;
}

/**
 * The web app's Content-Security-Policy: the app's own scripts and styles only (its build
 * inlines none), thumbnails from the distribution, `fetch` to the API, the OpenID provider and
 * the images bucket, forms only to the provider's login pages, no plugins, no framing, no
 * `<base>`. packages/web/test/browser-csp.test.ts runs the built app under it.
 *
 * @example
 * webAppContentSecurityPolicy({ api: 'https://*.execute-api.eu-west-1.amazonaws.com', ... })
 * // "default-src 'none'; script-src 'self'; ..."
 */
export function webAppContentSecurityPolicy(sources: WebAppSources): string {
  const connect = [...new Set([sources.api, sources.issuer, sources.login, sources.imagesBucket])];
  const thumbnails = sources.thumbnails ? ` ${sources.thumbnails}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self'${thumbnails} blob: data:`,
    `connect-src 'self' ${connect.join(' ')}`,
    `form-action 'self' ${sources.login}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
