/**
 * A route's method: its authorization, API key requirement, path parameters, validation, and
 * (for a cached route) the request parameters the stage cache is keyed by.
 */
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method/index.js';
import { parameterNames } from '@snapstack/domain/path-template';
import type { RouteDefinition } from '@snapstack/domain/routes';
import type { MethodAuthorization } from './authorizer.js';
import type { RouteValidation } from './request-validation.js';
import { slug } from './resource-tree.js';
import type { ApiScope } from './types.js';

export interface RouteMethod {
  readonly method: ApiGatewayMethod;
  readonly resourceId: string;
  /** Path parameters by name, as the route's template declares them. */
  readonly pathParameters: readonly string[];
  /** What the stage cache keys this route by; empty when it is not cached. */
  readonly cacheKeyParameters: readonly string[];
}

export interface RouteMethodProps {
  readonly route: RouteDefinition;
  readonly resourceId: string;
  readonly auth: MethodAuthorization;
  readonly validation: RouteValidation;
  readonly cached: boolean;
}

/** The construct-id suffix of a route's resources: `GET-users_id`. */
export function routeSlug(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method}-${slug(route.path)}`;
}

export function addRouteMethod({ scope, restApiId }: ApiScope, props: RouteMethodProps): RouteMethod {
  const { route, resourceId, auth, validation, cached } = props;
  const pathParameters = parameterNames(route.path);
  // A cached jwt route is keyed by caller too, so one caller's answer never serves another.
  const cacheHeader = cached && route.auth.kind === 'jwt' ? ['method.request.header.Authorization'] : [];
  const requestParameters = Object.fromEntries([
    ...pathParameters.map((p) => [`method.request.path.${p}`, true] as const),
    // Optional: only a cache key. Required, a missing token would get a validator 400 instead of the authorizer's 401.
    ...cacheHeader.map((h) => [h, false] as const),
  ]);
  const method = new ApiGatewayMethod(scope, `method-${routeSlug(route)}`, {
    restApiId,
    resourceId,
    httpMethod: route.method,
    authorization: auth.authorization,
    ...(auth.authorizerId ? { authorizerId: auth.authorizerId } : {}),
    apiKeyRequired: route.auth.kind === 'apiKey',
    requestParameters,
    ...validation,
  });
  const cacheKeyParameters = cached
    ? [...pathParameters.map((p) => `method.request.path.${p}`), ...cacheHeader]
    : [];
  return { method, resourceId, pathParameters, cacheKeyParameters };
}
