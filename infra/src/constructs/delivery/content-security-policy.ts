/**
 * The web app's Content-Security-Policy, sent by the distribution on every page it serves from
 * the web bucket: the app's own scripts and styles only (the build inlines none), thumbnails from
 * the distribution itself, `fetch` to the API, the OpenID provider and the images bucket
 * (presigned POST and GET), forms only to the provider's login pages, no plugins, no framing.
 *
 * @example
 * webContentSecurityPolicy({
 *   api: 'https://*.execute-api.eu-west-1.amazonaws.com',
 *   issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
 *   login: 'https://snapstack-dev-123.auth.eu-west-1.amazoncognito.com',
 *   imagesBucket: 'https://snapstack-dev-images.s3.eu-west-1.amazonaws.com',
 * }) // "default-src 'none'; script-src 'self'; ..."
 */
import { Fn, Token } from 'cdktf';

export interface WebAppOrigins {
  /** The API (`https://<id>.execute-api.<region>.amazonaws.com`, a wildcard host, or a custom domain). */
  readonly api: string;
  /** The OpenID provider's issuer: discovery is fetched from it. */
  readonly issuer: string;
  /** The provider's login and token host. */
  readonly login: string;
  /** The images bucket's regional endpoint, where presigned POSTs and GETs go. */
  readonly imagesBucket: string;
}

export function webContentSecurityPolicy(origins: WebAppOrigins): string {
  // A CSP source with a path matches that path only: keep scheme and host. Values known only at
  // apply time (tokens) are cut by Terraform.
  const origin = (url: string) =>
    Token.isUnresolved(url) ? Fn.regex('^https?://[^/]+', url) : new URL(url).origin;
  const connect = [
    ...new Set([origins.api, origins.issuer, origins.login, origins.imagesBucket].map(origin)),
  ];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `connect-src 'self' ${connect.join(' ')}`,
    `form-action 'self' ${origin(origins.login)}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
