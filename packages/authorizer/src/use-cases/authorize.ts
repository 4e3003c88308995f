/**
 * The authorizer's use case: verify the bearer token of a REQUEST authorizer event and answer
 * with the policy for every route, `principalId` = `sub`, and a flat context (API Gateway
 * rejects nested values) that reaches handlers as `requestContext.authorizer`.
 */
import { headerValue } from '@snapstack/domain/headers';
import type { RouteDefinition } from '@snapstack/domain/routes';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { buildPolicy } from './policy.js';
import type { VerifiedCaller } from './verify-token.js';

export type VerifyBearer = (authorization: string | undefined) => Promise<VerifiedCaller>;

export function makeAuthorize(verify: VerifyBearer, routes: readonly RouteDefinition[]) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const caller = await verify(headerValue(event.headers, 'authorization'));
    return buildPolicy(routes, {
      methodArn: event.methodArn,
      principalId: caller.sub,
      scopes: caller.scopes,
      context: {
        sub: caller.sub,
        scope: caller.scopes.join(' '),
        ...(caller.email !== undefined ? { email: caller.email } : {}),
      },
    });
  };
}
