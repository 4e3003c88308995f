/**
 * The stage's web and sign-in tiers, part of the stateful stack: the CloudFront distribution
 * (thumbnails, the web app's bucket) and the Cognito user pool with its client, resource server
 * and managed login domain.
 *
 * Why in the stateful stack: the images bucket's one policy must name the distribution's ARN
 * while functions need the distribution's domain. With the distribution in a stack of its own,
 * the stateful stack would depend on it (policy) and it on the stateful stack (bucket): a cycle.
 * Here the bucket, the distribution and the policy are one Terraform graph, and services read
 * the delivery URL and the pool from the stateful stack as they read table names. The pool holds
 * people's accounts: stateful by nature, deployed rarely, deletion-protected like the tables.
 */

import { apiSettings } from '@snapstack/domain/api-settings';
import { imagePrefixes } from '@snapstack/domain/buckets';
import { imagesBucketCorsRules, thumbnailResponseHeaders } from '@snapstack/domain/delivery';
import { resourceName } from '@snapstack/domain/naming';
import { type RouteDefinition, routeScopes, routes } from '@snapstack/domain/routes';
import { TerraformOutput } from 'cdktf';
import { type StageConfig, webOrigins } from '../config.js';
import { webContentSecurityPolicy } from '../constructs/delivery/content-security-policy.js';
import { DeliveryDistribution } from '../constructs/delivery/distribution.js';
import { SecureBucket } from '../constructs/secure-bucket.js';
import {
  type ApiScope,
  cognitoIssuerOrigin,
  managedLoginHost,
  SignIn,
} from '../constructs/sign-in/sign-in.js';
import { accountOf } from '../iam/account.js';
import type { SnapstackStack } from './snapstack-stack.js';

/** Region of the certificates CloudFront accepts. */
const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/** Cognito's limit on a scope description. */
const MAX_SCOPE_DESCRIPTION = 256;

/** A scope's description on the resource server: the routes that require it, within Cognito's limit. */
export function scopeDescription(scope: string, table: readonly RouteDefinition[] = routes): string {
  const usedBy = table
    .filter((r) => r.auth.kind === 'jwt' && (r.auth.scopes ?? []).includes(scope))
    .map((r) => `${r.method} ${r.path}`);
  const description = `Calls ${usedBy.join(', ')}`;
  return description.length <= MAX_SCOPE_DESCRIPTION
    ? description
    : `${description.slice(0, MAX_SCOPE_DESCRIPTION - 1)}…`;
}

/** The resource server's scopes: every scope the route table requires (`routeScopes()`). */
export function apiScopes(): ApiScope[] {
  return routeScopes().map((name) => ({ name, description: scopeDescription(name) }));
}

/**
 * The managed login prefix: the stage's own, else `snapstack-<stage>-<account id>`, unique per
 * region with no name to reserve by hand. The account is parsed from `accountArn`: no lookup.
 */
export function signInDomainPrefix(stack: SnapstackStack, accountArn: string): string {
  const { config } = stack;
  return (
    config.signIn.domainPrefix ??
    `${resourceName(config.stage)}-${accountOf(stack, 'sign-in-account', accountArn)}`
  );
}

/**
 * The origin the web app's `fetch` reaches the API at, for its Content-Security-Policy. The REST
 * API's id is only known once the API stack exists, and that stack is deployed after this one
 * (its functions need the distribution's URL), so without a custom domain the policy allows API
 * Gateway in the stage's region. The policy's real work (scripts and styles from the app alone,
 * no framing) does not depend on it.
 */
export function apiOriginForCsp(config: StageConfig): string {
  return config.customDomain
    ? `https://${config.customDomain.domainName}`
    : `https://*.execute-api.${config.region}.amazonaws.com`;
}

/**
 * The web app's bucket and the distribution in front of it and of the images bucket's
 * thumbnails, the app's Content-Security-Policy on its pages, and the images bucket's CORS for
 * the app's presigned uploads.
 */
export function addDelivery(
  stack: SnapstackStack,
  images: SecureBucket,
  signInPrefix: string,
): DeliveryDistribution {
  const { config } = stack;
  const web = new SecureBucket(stack, 'bucket-web', { bucketName: resourceName(config.stage, 'web') });
  const domain = config.delivery.customDomain;
  const delivery = new DeliveryDistribution(stack, 'delivery', {
    name: resourceName(config.stage),
    images,
    imagesPrefix: imagePrefixes.thumbnails,
    imagesCacheControl: thumbnailResponseHeaders['cache-control'],
    web,
    webContentSecurityPolicy: webContentSecurityPolicy({
      api: apiOriginForCsp(config),
      issuer: cognitoIssuerOrigin(config.region),
      login: `https://${managedLoginHost(signInPrefix, config.region)}`,
      imagesBucket: `https://${images.regionalDomainName}`,
    }),
    priceClass: config.delivery.priceClass,
    ...(domain
      ? { customDomain: { ...domain, usEast1: stack.providerFor(CLOUDFRONT_CERTIFICATE_REGION) } }
      : {}),
  });
  images.allowCrossOrigin(imagesBucketCorsRules(webAppOrigins(config.stage, delivery)));
  const outputs = {
    'delivery-url': delivery.url,
    'delivery-distribution-id': delivery.distribution.id,
    'delivery-distribution-domain': delivery.domainName,
    'bucket-web-name': web.bucketName,
  };
  for (const [id, value] of Object.entries(outputs)) new TerraformOutput(stack, id, { value });
  return delivery;
}

/** Where the stage's web app runs in browsers: the distribution, then the stage's own web origins. */
export function webAppOrigins(stage: string, delivery: DeliveryDistribution): string[] {
  return [delivery.url, ...webOrigins(stage).filter((origin) => origin !== delivery.url)];
}

/**
 * The user pool. Sign-in returns to the distribution (which serves the web app) and to the
 * stage's web origins, unless the stage lists its own URLs.
 */
export function addSignIn(
  stack: SnapstackStack,
  delivery: DeliveryDistribution,
  domainPrefix: string,
): SignIn {
  const { config } = stack;
  const returnUrls = webAppOrigins(config.stage, delivery).map((origin) => `${origin}/`);
  const signIn = new SignIn(stack, 'sign-in', {
    name: resourceName(config.stage),
    region: config.region,
    domainPrefix,
    resourceServer: { identifier: apiSettings.authorizer.userPool.resourceServer, scopes: apiScopes() },
    callbackUrls: config.signIn.callbackUrls ?? returnUrls,
    logoutUrls: config.signIn.logoutUrls ?? returnUrls,
    deletionProtection: config.deletionProtection,
  });
  const outputs = {
    'user-pool-id': signIn.pool.id,
    'user-pool-client-id': signIn.client.id,
    'user-pool-issuer': signIn.endpoints.issuer,
    'sign-in-domain': signIn.loginDomain,
  };
  for (const [id, value] of Object.entries(outputs)) new TerraformOutput(stack, id, { value });
  return signIn;
}
