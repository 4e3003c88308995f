/**
 * The Lambda authorizer in front of `jwt` routes, with the one invoke permission it needs, and
 * the authorization each route's method gets.
 */
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import type { RouteDefinition } from '@snapstack/domain/routes';
import type { ApiScope, AuthorizerProps } from './types.js';

export function addAuthorizer(
  { scope, restApiId, executionArn }: ApiScope,
  props: AuthorizerProps,
): ApiGatewayAuthorizer {
  const authorizer = new ApiGatewayAuthorizer(scope, 'authorizer', {
    restApiId,
    name: 'jwt',
    type: props.type,
    authorizerUri: props.invokeArn,
    identitySource: props.identitySource,
    authorizerResultTtlInSeconds: props.cacheTtlSeconds,
  });
  new LambdaPermission(scope, 'authorizer-permission', {
    statementId: 'AllowApiGatewayAuthorizer',
    action: 'lambda:InvokeFunction',
    functionName: props.functionName,
    principal: 'apigateway.amazonaws.com',
    sourceArn: `${executionArn}/authorizers/${authorizer.id}`,
  });
  return authorizer;
}

export interface MethodAuthorization {
  readonly authorization: 'NONE' | 'CUSTOM' | 'AWS_IAM';
  readonly authorizerId?: string;
}

/** `jwt` routes go through the authorizer, or fail closed to SigV4 when asked to; others are open. */
export function methodAuthorization(
  route: RouteDefinition,
  authorizer: ApiGatewayAuthorizer | undefined,
  jwtWithoutAuthorizer: 'iam' | undefined,
): MethodAuthorization {
  if (route.auth.kind !== 'jwt') return { authorization: 'NONE' };
  if (authorizer) return { authorization: 'CUSTOM', authorizerId: authorizer.id };
  if (jwtWithoutAuthorizer === 'iam') return { authorization: 'AWS_IAM' };
  throw new Error(`route ${route.method} ${route.path} needs the JWT authorizer, and none was given`);
}
