/**
 * A route's AWS service integration (SQS SendMessage): the integration with its execution role
 * and mapping templates, and one method + integration response per status the mapping answers,
 * each carrying the gateway's CORS origin (a static value, as for every gateway answer).
 */
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration/index.js';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response/index.js';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response/index.js';
import { gatewayCorsHeaders } from '@snapstack/domain/cors';
import type { RouteDefinition } from '@snapstack/domain/routes';
import type { ITerraformDependable } from 'cdktf';
import { type RouteMethod, routeSlug } from './route-method.js';
import type { ApiScope, AwsIntegrationSpec } from './types.js';

const ALLOW_ORIGIN = 'Access-Control-Allow-Origin';

/** Returns what the deployment must wait for: the integration and its responses. */
export function addServiceIntegration(
  { scope, restApiId }: ApiScope,
  route: RouteDefinition,
  { method, resourceId }: RouteMethod,
  spec: AwsIntegrationSpec,
  allowOrigins: readonly string[],
): ITerraformDependable[] {
  const origin = gatewayCorsHeaders(allowOrigins)[ALLOW_ORIGIN];
  const integration = new ApiGatewayIntegration(scope, `integration-${routeSlug(route)}`, {
    restApiId,
    resourceId,
    httpMethod: method.httpMethod,
    type: 'AWS',
    integrationHttpMethod: 'POST',
    uri: spec.uri,
    credentials: spec.credentialsRoleArn,
    passthroughBehavior: spec.passthroughBehavior ?? 'NEVER',
    requestParameters: { ...spec.requestParameters },
    requestTemplates: { ...spec.requestTemplates },
  });
  const responses = spec.responses.map((response) => {
    const id = `${routeSlug(route)}-${response.statusCode}`;
    const methodResponse = new ApiGatewayMethodResponse(scope, `method-response-${id}`, {
      restApiId,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: response.statusCode,
      responseParameters: { [`method.response.header.${ALLOW_ORIGIN}`]: true },
    });
    return new ApiGatewayIntegrationResponse(scope, `integration-response-${id}`, {
      restApiId,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: methodResponse.statusCode,
      ...(response.selectionPattern !== undefined ? { selectionPattern: response.selectionPattern } : {}),
      responseTemplates: { ...response.responseTemplates },
      responseParameters: { [`method.response.header.${ALLOW_ORIGIN}`]: `'${origin}'` },
      dependsOn: [integration],
    });
  });
  return [integration, ...responses];
}
