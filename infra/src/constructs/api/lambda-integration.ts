/**
 * A route's Lambda proxy integration, and the invoke permission for it: scoped to that one
 * method and path of this API, so a function can be invoked through no other route.
 */
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { arnPattern } from '@snapstack/domain/path-template';
import type { RouteDefinition } from '@snapstack/domain/routes';
import { type RouteMethod, routeSlug } from './route-method.js';
import type { ApiScope, LambdaTarget } from './types.js';

export function addLambdaIntegration(
  { scope, restApiId, executionArn }: ApiScope,
  route: RouteDefinition,
  { method, resourceId, pathParameters, cacheKeyParameters }: RouteMethod,
  target: LambdaTarget,
): ApiGatewayIntegration {
  const integration = new ApiGatewayIntegration(scope, `integration-${routeSlug(route)}`, {
    restApiId,
    resourceId,
    httpMethod: method.httpMethod,
    type: 'AWS_PROXY',
    integrationHttpMethod: 'POST',
    uri: target.invokeArn,
    ...(cacheKeyParameters.length > 0
      ? {
          cacheKeyParameters: [...cacheKeyParameters],
          cacheNamespace: resourceId,
          requestParameters: Object.fromEntries(
            pathParameters.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`]),
          ),
        }
      : {}),
  });
  new LambdaPermission(scope, `permission-${routeSlug(route)}`, {
    statementId: `AllowApiGateway-${routeSlug(route)}`,
    action: 'lambda:InvokeFunction',
    functionName: target.functionName,
    principal: 'apigateway.amazonaws.com',
    sourceArn: `${executionArn}/*/${route.method}${arnPattern(route.path)}`,
  });
  return integration;
}
