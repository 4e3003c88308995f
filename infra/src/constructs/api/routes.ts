/**
 * Every route of the table: its method on the resource tree, then the integration its kind
 * asks for (Lambda proxy, or a service integration through the `serviceIntegration` hook).
 */
import type { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer/index.js';
import type { HttpMethod, RouteDefinition } from '@snapstack/domain/routes';
import type { ITerraformDependable } from 'cdktf';
import { methodAuthorization } from './authorizer.js';
import { addLambdaIntegration } from './lambda-integration.js';
import type { RequestValidation } from './request-validation.js';
import type { ResourceTree } from './resource-tree.js';
import { addRouteMethod } from './route-method.js';
import { addServiceIntegration } from './service-integration.js';
import type { ApiScope, RestApiProps } from './types.js';

export interface RoutesContext {
  readonly tree: ResourceTree;
  readonly validation: RequestValidation;
  readonly authorizer: ApiGatewayAuthorizer | undefined;
  /** `METHOD path` of the routes the stage caches. */
  readonly cached: ReadonlySet<string>;
}

export interface RenderedRoutes {
  /** What the deployment must wait for. */
  readonly deployed: readonly ITerraformDependable[];
  /** Every integration's target, in route order: a changed target must redeploy the API. */
  readonly integrationUris: readonly string[];
  /** The methods declared on each path, for its preflight. */
  readonly methodsByPath: ReadonlyMap<string, readonly HttpMethod[]>;
}

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

export function addRoutes(api: ApiScope, props: RestApiProps, context: RoutesContext): RenderedRoutes {
  const deployed: ITerraformDependable[] = [];
  const integrationUris: string[] = [];
  const methodsByPath = new Map<string, HttpMethod[]>();
  const seen = new Set<string>();
  for (const route of props.routes) {
    const key = routeKey(route);
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
    const method = addRouteMethod(api, {
      route,
      resourceId: context.tree.idOf(route.path),
      auth: methodAuthorization(route, context.authorizer, props.jwtWithoutAuthorizer),
      validation: context.validation.forRoute(route),
      cached: context.cached.has(key),
    });
    deployed.push(method.method);
    if (route.integration.kind === 'lambda') {
      const target = props.lambdaTarget(route.integration.function);
      deployed.push(addLambdaIntegration(api, route, method, target));
      integrationUris.push(target.invokeArn);
    } else {
      if (!props.serviceIntegration)
        throw new Error(`route ${key} has a service integration and no renderer`);
      const spec = props.serviceIntegration(route);
      deployed.push(...addServiceIntegration(api, route, method, spec, props.corsAllowedOrigins));
      integrationUris.push(spec.uri);
    }
  }
  return { deployed, integrationUris, methodsByPath };
}
