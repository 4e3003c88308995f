/**
 * What the parts of `RestApi` share: the props it is built from and the specs its hooks return.
 * Each part (resource tree, route methods, integrations, preflights, gateway responses, stage,
 * usage plan, custom domain) adds its resources to the `RestApi` itself, so a part is a unit of
 * code, not a level of the construct tree: Terraform addresses stay those of one construct.
 */
import type { UsagePlanLimits } from '@snapstack/domain/api-settings';
import type { HttpMethod, RouteDefinition } from '@snapstack/domain/routes';
import type { JsonSchema } from '@snapstack/domain/schemas';
import type { Construct } from 'constructs';

export interface LambdaTarget {
  readonly functionName: string;
  readonly invokeArn: string;
}

export interface IntegrationResponseSpec {
  readonly statusCode: string;
  /** Regex on the backend's status; omit for the default response. */
  readonly selectionPattern?: string;
  readonly responseTemplates?: Readonly<Record<string, string>>;
}

/** A non-proxy AWS service integration (e.g. SQS SendMessage), see SqsSendMessageIntegration. */
export interface AwsIntegrationSpec {
  readonly uri: string;
  readonly credentialsRoleArn: string;
  readonly requestParameters?: Readonly<Record<string, string>>;
  readonly requestTemplates: Readonly<Record<string, string>>;
  /** Default NEVER: a request of an unmapped content type is refused (415), never passed to the service. */
  readonly passthroughBehavior?: 'NEVER' | 'WHEN_NO_TEMPLATES' | 'WHEN_NO_MATCH';
  readonly responses: readonly IntegrationResponseSpec[];
}

export interface AuthorizerProps {
  readonly functionName: string;
  readonly invokeArn: string;
  readonly cacheTtlSeconds: number;
  readonly type: 'TOKEN' | 'REQUEST';
  /** e.g. `method.request.header.Authorization`. */
  readonly identitySource: string;
}

export interface CachedRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly ttlSeconds: number;
}

export interface RestApiProps {
  readonly name: string;
  readonly stageName: string;
  readonly routes: readonly RouteDefinition[];
  readonly requestSchemas: Readonly<Record<string, JsonSchema>>;
  readonly gatewayResponses: Readonly<
    Record<string, { readonly statusCode: number; readonly message: string | null }>
  >;
  readonly binaryMediaTypes: readonly string[];
  /**
   * The stage's allowed origins. Preflights and gateway responses carry the headers the domain's
   * `@snapstack/domain/cors` renders from them (the first origin, or `*`), as the local gateway does.
   */
  readonly corsAllowedOrigins: readonly string[];
  /** The stage's usage plan (`usagePlanFor(stage)`): the API-key plan and the stage-wide throttle. */
  readonly usagePlan: UsagePlanLimits;
  readonly accessLogRetentionDays: number;
  /** Resolves a lambda integration's function id to the deployed function. */
  readonly lambdaTarget: (functionId: string) => LambdaTarget;
  /** Renders every integration that is not `lambda` (the SQS service integration). */
  readonly serviceIntegration?: (route: RouteDefinition) => AwsIntegrationSpec;
  readonly authorizer?: AuthorizerProps;
  /**
   * What `jwt` routes get while no authorizer is wired: `'iam'` makes them require SigV4
   * (fail closed: no token holder can call them). Without it a jwt route and no authorizer is an error.
   */
  readonly jwtWithoutAuthorizer?: 'iam';
  /** Cached when the route exists; routes missing from the table are ignored. */
  readonly cachedRoutes?: readonly CachedRoute[];
  readonly cacheClusterSize?: string;
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

/** Where a part adds its resources: the `RestApi` construct and the API it belongs to. */
export interface ApiScope {
  readonly scope: Construct;
  readonly restApiId: string;
  readonly executionArn: string;
}
