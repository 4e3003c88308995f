/**
 * The CloudFront policies of a stage's distribution: what a cached copy is keyed on and how long
 * it lives (cache policies), and the headers every answer carries (response-headers policies).
 *
 * @example
 * const cache = pathOnlyCachePolicy(this, 'thumbnails-cache', { name: 'snapstack-dev-thumbnails', ... });
 */
import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy/index.js';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy/index.js';
import { HSTS_MAX_AGE_SECONDS } from '@snapstack/domain/delivery';
import type { Construct } from 'constructs';

export const ONE_DAY_SECONDS = 86_400;
export const ONE_YEAR_SECONDS = 31_536_000;

export interface CachePolicyProps {
  /** Unique in the account: `snapstack-<stage>-<purpose>`. */
  readonly name: string;
  readonly comment: string;
  /** Used when the origin sends no Cache-Control. */
  readonly defaultTtlSeconds: number;
  readonly maxTtlSeconds: number;
  /** Whether gzip/brotli variants are cached (text); images are compressed already. */
  readonly compress: boolean;
}

/**
 * The cache key is the path alone — no cookies, headers or query strings — so every viewer of a
 * URL shares one cached copy, and nothing a viewer sends reaches S3 beyond the path.
 */
export function pathOnlyCachePolicy(
  scope: Construct,
  id: string,
  props: CachePolicyProps,
): CloudfrontCachePolicy {
  return new CloudfrontCachePolicy(scope, id, {
    name: props.name,
    comment: props.comment,
    minTtl: 0,
    defaultTtl: props.defaultTtlSeconds,
    maxTtl: props.maxTtlSeconds,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: 'none' },
      headersConfig: { headerBehavior: 'none' },
      queryStringsConfig: { queryStringBehavior: 'none' },
      enableAcceptEncodingGzip: props.compress,
      enableAcceptEncodingBrotli: props.compress,
    },
  });
}

export interface SecurityHeadersProps {
  readonly name: string;
  readonly comment: string;
  /**
   * Sent instead of whatever the origin stored (override): objects written before a change of
   * policy still reach browsers with the current one.
   */
  readonly cacheControl?: string;
  /** The pages' Content-Security-Policy (the web app's); none for images. */
  readonly contentSecurityPolicy?: string;
  /** Default `strict-origin-when-cross-origin`; the web app sends none (a callback URL carries a code). */
  readonly referrerPolicy?: 'strict-origin-when-cross-origin' | 'no-referrer';
}

/**
 * HSTS (two years, subdomains included), `nosniff`, `X-Frame-Options: DENY` and a referrer policy
 * that sends no path across origins, overriding whatever the origin sent.
 */
export function securityHeadersPolicy(
  scope: Construct,
  id: string,
  props: SecurityHeadersProps,
): CloudfrontResponseHeadersPolicy {
  return new CloudfrontResponseHeadersPolicy(scope, id, {
    name: props.name,
    comment: props.comment,
    securityHeadersConfig: {
      strictTransportSecurity: {
        accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: 'DENY', override: true },
      referrerPolicy: {
        referrerPolicy: props.referrerPolicy ?? 'strict-origin-when-cross-origin',
        override: true,
      },
      ...(props.contentSecurityPolicy
        ? { contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true } }
        : {}),
    },
    ...(props.cacheControl
      ? {
          customHeadersConfig: {
            items: [{ header: 'Cache-Control', value: props.cacheControl, override: true }],
          },
        }
      : {}),
  });
}
