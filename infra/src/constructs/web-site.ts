/**
 * The web app in a stage: the built app (`packages/web/dist`, from `pnpm --filter @snapstack/web
 * build`) uploaded to the web bucket the distribution serves as its default origin, its
 * `config.json` written from the stage's own resources (API URL, user pool issuer, app client,
 * a registered redirect URI), and the strict Content-Security-Policy for the distribution's
 * default behavior. One build serves every stage: only `config.json` differs.
 *
 * The policy allows exactly what the app does: its own scripts and styles (the build inlines
 * none), thumbnails from the distribution itself, `fetch` to the API, the OpenID provider's
 * discovery and token endpoints and the images bucket (presigned POST and GET), and navigation
 * to the provider's login pages.
 *
 * @example
 * new WebSite(stack, 'web-site', {
 *   bucket: web, distDir, apiUrl: api.url,
 *   signIn: { issuer: signIn.endpoints.issuer, clientId: signIn.client.id, loginOrigin: `https://${signIn.loginDomain}` },
 *   appUrl: delivery.url, imagesBucketOrigin: `https://${images.bucketName}.s3.${region}.amazonaws.com`,
 * });
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy/index.js';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object/index.js';
import { apiSettings } from '@snapstack/domain/api-settings';
import { routeScopes } from '@snapstack/domain/routes';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';

export interface WebSiteProps {
  readonly bucket: { readonly bucketName: string };
  /** The built app: `index.html` and `assets/`. */
  readonly distDir: string;
  /** The stage's API base URL (an output of the API stage). */
  readonly apiUrl: string;
  readonly signIn: {
    readonly issuer: string;
    readonly clientId: string;
    /** `https://<prefix>.auth.<region>.amazoncognito.com`: where the browser signs in. */
    readonly loginOrigin: string;
  };
  /** Where the distribution serves the app (`https://dxxxx.cloudfront.net` or the custom domain). */
  readonly appUrl: string;
  /** The images bucket's regional origin: the presigned POST and GET go there. */
  readonly imagesBucketOrigin: string;
  /** The API Gateway origin when `apiUrl` carries a stage path (`https://id.execute-api...`). */
  readonly apiOrigin?: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Hashed assets never change; everything else is revalidated so a deploy shows at once. */
function cacheControl(key: string): string {
  return key.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The Content-Security-Policy of the app's pages (no inline script or style, no plugins, no framing). */
export function webContentSecurityPolicy(origins: {
  readonly api: string;
  readonly issuer: string;
  readonly login: string;
  readonly imagesBucket: string;
}): string {
  // A CSP source with a path matches that path only: keep scheme and host. Values known only at
  // apply time (tokens) are cut by Terraform.
  const origin = (url: string) =>
    Token.isUnresolved(url) ? Fn.regex('^https?://[^/]+', url) : new URL(url).origin;
  const connect = [origins.api, origins.issuer, origins.login, origins.imagesBucket].map(origin);
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

export class WebSite extends Construct {
  /** The policy the distribution's default (web app) behavior should use. */
  public readonly headers: CloudfrontResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    const files = readdirSync(props.distDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(props.distDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    if (!files.includes('index.html'))
      throw new Error(`${props.distDir} holds no index.html: build the web app first`);
    for (const key of files.sort()) {
      const source = path.join(props.distDir, key);
      new S3Object(this, `file-${key.replace(/[^A-Za-z0-9]/g, '-')}`, {
        bucket: props.bucket.bucketName,
        key,
        source,
        etag: Fn.filemd5(source),
        contentType: CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream',
        cacheControl: cacheControl(key),
      });
    }
    const { resourceServer } = apiSettings.authorizer.userPool;
    new S3Object(this, 'config-json', {
      bucket: props.bucket.bucketName,
      key: 'config.json',
      contentType: 'application/json',
      cacheControl: 'no-cache',
      // Terraform renders the stage's values (tokens until apply) into the file.
      content: Fn.jsonencode({
        apiUrl: props.apiUrl,
        oidc: {
          issuer: props.signIn.issuer,
          clientId: props.signIn.clientId,
          // A callback URL the app client registers (infra's sign-in tier: `<origin>/`).
          redirectUri: `${props.appUrl}/`,
          scopes: ['openid', 'email', ...routeScopes().map((s) => `${resourceServer}/${s}`)],
        },
      }),
    });
    this.headers = new CloudfrontResponseHeadersPolicy(this, 'headers', {
      name: `${id}-web-app`,
      comment: 'The web app: strict CSP, HSTS, nosniff, no framing, no referrer leaks',
      securityHeadersConfig: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: webContentSecurityPolicy({
            api: props.apiOrigin ?? props.apiUrl,
            issuer: props.signIn.issuer,
            login: props.signIn.loginOrigin,
            imagesBucket: props.imagesBucketOrigin,
          }),
        },
        strictTransportSecurity: {
          override: true,
          accessControlMaxAgeSec: 63_072_000,
          includeSubdomains: true,
          preload: false,
        },
        contentTypeOptions: { override: true },
        frameOptions: { override: true, frameOption: 'DENY' },
        referrerPolicy: { override: true, referrerPolicy: 'no-referrer' },
      },
    });
  }
}
