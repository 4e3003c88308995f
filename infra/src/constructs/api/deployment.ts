/**
 * The deployment, replaced whenever the rendered API changes: its trigger is a hash of everything
 * the API is made from, plus the integrations' targets (they live in other stacks).
 */
import { createHash } from 'node:crypto';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment/index.js';
import { apiSettings } from '@snapstack/domain/api-settings';
import { gatewayCorsHeaders } from '@snapstack/domain/cors';
import { Fn, type ITerraformDependable } from 'cdktf';
import type { ApiScope, RestApiProps } from './types.js';

/** Hash of what the API is rendered from; `cached` lists the `METHOD path` of cached routes. */
export function renderedHash(props: RestApiProps, cached: readonly string[]): string {
  // The CORS inputs of the preflights and gateway responses (see @snapstack/domain/cors).
  const cors = [
    gatewayCorsHeaders(props.corsAllowedOrigins)['Access-Control-Allow-Origin'],
    apiSettings.cors.allowHeaders,
    apiSettings.cors.maxAgeSeconds,
  ];
  const authorizer = props.authorizer
    ? [props.authorizer.type, props.authorizer.identitySource, props.authorizer.cacheTtlSeconds]
    : null;
  return createHash('sha256')
    .update(
      JSON.stringify({
        routes: props.routes,
        requestSchemas: props.requestSchemas,
        gatewayResponses: props.gatewayResponses,
        binaryMediaTypes: props.binaryMediaTypes,
        cors,
        authorizer,
        jwtWithoutAuthorizer: props.jwtWithoutAuthorizer ?? null,
        cached,
      }),
    )
    .digest('hex');
}

export function addDeployment(
  { scope, restApiId }: ApiScope,
  hash: string,
  integrationUris: readonly string[],
  deployed: readonly ITerraformDependable[],
): ApiGatewayDeployment {
  return new ApiGatewayDeployment(scope, 'deployment', {
    restApiId,
    description: `routes ${hash.slice(0, 12)}`,
    triggers: {
      rendered: hash,
      // Integration targets live in other stacks; a changed ARN must redeploy too.
      integrations: Fn.sha1(Fn.jsonencode([...integrationUris])),
    },
    lifecycle: { createBeforeDestroy: true },
    dependsOn: [...deployed],
  });
}
