/**
 * The web app in a stage: the built app (packager `buildWebAppArtifact`) uploaded to the web
 * bucket the distribution serves as its default origin, and its `config.json` written from the
 * stage's own resources (API URL, user pool issuer, app client, registered redirect and sign-out
 * URLs). One build serves every stage: only `config.json` differs. The pages' Content-Security-
 * Policy is the distribution's (delivery/content-security-policy.ts).
 *
 * @example
 * new WebSite(stack, 'web-site', {
 *   bucket: delivery.webBucket, distDir: artifacts.web.dir, apiUrl: api.url, appUrl: delivery.url,
 *   signIn: { issuer: signIn.endpoints.issuer, clientId: signIn.client.id, loginHost: signIn.loginDomain },
 * });
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object/index.js';
import { apiSettings } from '@snapstack/domain/api-settings';
import { routeScopes } from '@snapstack/domain/routes';
import { Fn } from 'cdktf';
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
    /** `<prefix>.auth.<region>.amazoncognito.com`: where the browser signs in and out. */
    readonly loginHost: string;
  };
  /** Where the distribution serves the app (`https://dxxxx.cloudfront.net` or the custom domain). */
  readonly appUrl: string;
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

export class WebSite extends Construct {
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
    // The app client registers `<app>/` for both (infra's sign-in tier), compared exactly.
    const appRoot = `${props.appUrl}/`;
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
          redirectUri: appRoot,
          scopes: ['openid', 'email', ...routeScopes().map((s) => `${resourceServer}/${s}`)],
          // Cognito's discovery names no end_session_endpoint: its managed login signs out here.
          signOutUrl: `https://${props.signIn.loginHost}/logout?client_id=${props.signIn.clientId}&logout_uri=${Fn.urlencode(appRoot)}`,
        },
      }),
    });
  }
}
