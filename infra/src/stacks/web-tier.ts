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
import { thumbnailResponseHeaders } from '@snapstack/domain/delivery';
import { resourceName } from '@snapstack/domain/naming';
import { type RouteDefinition, routeScopes, routes } from '@snapstack/domain/routes';
import { TerraformOutput } from 'cdktf';
import { webOrigins } from '../config.js';
import { DeliveryDistribution } from '../constructs/delivery/distribution.js';
import { SecureBucket } from '../constructs/secure-bucket.js';
import { type ApiScope, SignIn } from '../constructs/sign-in/sign-in.js';
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

/** The web app's bucket and the distribution in front of it and of the images bucket's thumbnails. */
export function addDelivery(stack: SnapstackStack, images: SecureBucket): DeliveryDistribution {
  const { config } = stack;
  const web = new SecureBucket(stack, 'bucket-web', { bucketName: resourceName(config.stage, 'web') });
  const domain = config.delivery.customDomain;
  const delivery = new DeliveryDistribution(stack, 'delivery', {
    name: resourceName(config.stage),
    images,
    imagesPrefix: imagePrefixes.thumbnails,
    imagesCacheControl: thumbnailResponseHeaders['cache-control'],
    web,
    priceClass: config.delivery.priceClass,
    ...(domain
      ? { customDomain: { ...domain, usEast1: stack.providerFor(CLOUDFRONT_CERTIFICATE_REGION) } }
      : {}),
  });
  const outputs = {
    'delivery-url': delivery.url,
    'delivery-distribution-id': delivery.distribution.id,
    'delivery-distribution-domain': delivery.domainName,
    'bucket-web-name': web.bucketName,
  };
  for (const [id, value] of Object.entries(outputs)) new TerraformOutput(stack, id, { value });
  return delivery;
}

/**
 * The user pool. Sign-in returns to the stage's web origins and to the distribution (which serves
 * the web app), unless the stage lists its own URLs. The managed login prefix defaults to
 * `snapstack-<stage>-<account id>`: unique per region, with no name to reserve by hand.
 */
export function addSignIn(stack: SnapstackStack, delivery: DeliveryDistribution, accountArn: string): SignIn {
  const { config } = stack;
  const returnUrls = [...webOrigins(config.stage), delivery.url].map((origin) => `${origin}/`);
  const signIn = new SignIn(stack, 'sign-in', {
    name: resourceName(config.stage),
    region: config.region,
    domainPrefix:
      config.signIn.domainPrefix ??
      `${resourceName(config.stage)}-${accountOf(stack, 'sign-in-account', accountArn)}`,
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
