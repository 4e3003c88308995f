/**
 * The IAM policy an authorizer returns, computed from the route table. API Gateway caches one
 * result per token and evaluates it against every later request's method ARN, so the policy
 * covers the whole API: Allow exactly the `jwt` routes this token's scopes satisfy, Deny the
 * other `jwt` routes. A route whose ARN pattern would also match an allowed route (IAM's `*`
 * spans `/`) is left out of the Deny, where the missing Allow still denies it.
 */
import { stringLike } from '@snapstack/domain/iam-pattern';
import { arnPattern } from '@snapstack/domain/path-template';
import type { RouteDefinition } from '@snapstack/domain/routes';
import type { APIGatewayAuthorizerResult, Statement } from 'aws-lambda';

export interface PolicyInput {
  readonly methodArn: string;
  readonly principalId: string;
  readonly scopes: readonly string[];
  readonly context: Readonly<Record<string, string | number | boolean>>;
}

/** `arn:aws:execute-api:region:account:apiId/stage` from `.../stage/METHOD/path`. */
export function apiStageArn(methodArn: string): string {
  const match = /^(arn:aws[a-z-]*:execute-api:[^:]+:\d{12}:[^/]+\/[^/]+)\/[A-Z*]+\//.exec(methodArn);
  if (!match?.[1]) throw new Error(`not an execute-api method ARN: ${methodArn}`);
  return match[1];
}

/** The method ARN pattern of a route: `{param}` segments become `*`. */
export function routeArn(apiStage: string, route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${apiStage}/${route.method}${arnPattern(route.path)}`;
}

export function permits(route: RouteDefinition, scopes: readonly string[]): boolean {
  if (route.auth.kind !== 'jwt') return false;
  return (route.auth.scopes ?? []).every((scope) => scopes.includes(scope));
}

/**
 * The old name of the domain's IAM matcher, kept only for test/auth-api.test.ts, which moves to
 * packages/local and imports `stringLike` from `@snapstack/domain/iam-pattern` there.
 */

export function buildPolicy(
  routes: readonly RouteDefinition[],
  input: PolicyInput,
): APIGatewayAuthorizerResult {
  const apiStage = apiStageArn(input.methodArn);
  const jwtRoutes = routes.filter((route) => route.auth.kind === 'jwt');
  const allow = jwtRoutes
    .filter((route) => permits(route, input.scopes))
    .map((route) => routeArn(apiStage, route));
  const deny = jwtRoutes
    .filter((route) => !permits(route, input.scopes))
    .map((route) => routeArn(apiStage, route))
    .filter((pattern) => !allow.some((allowed) => stringLike(pattern, allowed)));
  const statements: Statement[] = [
    ...(allow.length > 0
      ? [{ Action: 'execute-api:Invoke', Effect: 'Allow' as const, Resource: allow }]
      : []),
    ...(deny.length > 0 ? [{ Action: 'execute-api:Invoke', Effect: 'Deny' as const, Resource: deny }] : []),
  ];
  if (statements.length === 0) {
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${apiStage}/*`] });
  }
  return {
    principalId: input.principalId,
    policyDocument: { Version: '2012-10-17', Statement: statements },
    context: { ...input.context },
  };
}
