/**
 * The web app's Content-Security-Policy (domain `webAppContentSecurityPolicy`) for the
 * distribution, from the stage's URLs: each cut to its origin, by Terraform when the value is
 * known only at apply time.
 *
 * @example
 * webContentSecurityPolicy({
 *   api: 'https://*.execute-api.eu-west-1.amazonaws.com',
 *   issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
 *   login: 'https://snapstack-dev-123.auth.eu-west-1.amazoncognito.com',
 *   imagesBucket: `https://${images.regionalDomainName}`,
 * }) // "default-src 'none'; script-src 'self'; ..."
 */
import { type WebAppSources, webAppContentSecurityPolicy } from '@snapstack/domain/delivery';
import { Fn, Token } from 'cdktf';

/** A CSP source with a path matches that path only: keep scheme and host. */
function originOf(url: string): string {
  return Token.isUnresolved(url) ? Fn.regex('^https?://[^/]+', url) : new URL(url).origin;
}

export function webContentSecurityPolicy(urls: Omit<WebAppSources, 'thumbnails'>): string {
  return webAppContentSecurityPolicy({
    api: originOf(urls.api),
    issuer: originOf(urls.issuer),
    login: originOf(urls.login),
    imagesBucket: originOf(urls.imagesBucket),
  });
}
