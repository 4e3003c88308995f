/**
 * Matches request paths against the route table the way API Gateway matches resources:
 * literal segments win over `{param}` segments, and a path that matches a resource with no
 * such method is as unknown as a path that matches nothing.
 */
import { literalSegmentCount, matchPath } from '@snapstack/domain/path-template';
import type { HttpMethod, RouteDefinition } from '@snapstack/domain/routes';

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly pathParameters: Readonly<Record<string, string>>;
}

interface CompiledResource {
  readonly path: string;
  readonly methods: ReadonlyMap<string, RouteDefinition>;
  /** Literal segments count more, so `/users/me` would beat `/users/{id}`. */
  readonly specificity: number;
}

export interface RouteMatcher {
  match(method: string, path: string): RouteMatch | undefined;
  /** The methods a resource path defines, for preflight answers. */
  methodsAt(path: string): readonly HttpMethod[];
}

export function compileRoutes(routes: readonly RouteDefinition[]): RouteMatcher {
  const byPath = new Map<string, Map<string, RouteDefinition>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Map<string, RouteDefinition>();
    if (methods.has(route.method)) throw new Error(`route ${route.method} ${route.path} is declared twice`);
    methods.set(route.method, route);
    byPath.set(route.path, methods);
  }
  const resources: CompiledResource[] = [...byPath].map(([path, methods]) => ({
    path,
    methods,
    specificity: literalSegmentCount(path),
  }));
  resources.sort((a, b) => b.specificity - a.specificity);

  function findResource(
    path: string,
  ): { resource: CompiledResource; params: Record<string, string> } | undefined {
    for (const resource of resources) {
      const params = matchPath(resource.path, path);
      if (params) return { resource, params };
    }
    return undefined;
  }

  return {
    match(method, path) {
      const found = findResource(path);
      const route = found?.resource.methods.get(method.toUpperCase());
      return found && route ? { route, pathParameters: found.params } : undefined;
    },
    methodsAt(path) {
      const found = findResource(path);
      return found ? ([...found.resource.methods.keys()] as HttpMethod[]) : [];
    },
  };
}
