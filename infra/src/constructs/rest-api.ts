/**
 * RestApi: an API Gateway REST API generated from the domain's route table — resources,
 * methods, models and validators from the JSON Schemas, Lambda proxy integrations (one
 * invoke permission per route, scoped to that method and path), service integrations through a
 * hook, the Lambda authorizer, API keys with a usage plan, gateway responses with CORS headers,
 * binary media types, and a stage with throttling, access logs, X-Ray and per-route caching.
 *
 * The deployment is replaced whenever the rendered API changes: its trigger is a hash of
 * everything the API is made from.
 *
 * @example
 * const api = new RestApi(this, 'api', { name, stageName: 'dev', routes, requestSchemas, ... });
 * api.url // https://{id}.execute-api.{region}.amazonaws.com/dev
 */
import { createHash } from 'node:crypto';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key/index.js';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer/index.js';
import { ApiGatewayBasePathMapping } from '@cdktf/provider-aws/lib/api-gateway-base-path-mapping/index.js';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment/index.js';
import { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response/index.js';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration/index.js';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response/index.js';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method/index.js';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response/index.js';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings/index.js';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model/index.js';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator/index.js';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource/index.js';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api/index.js';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan/index.js';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import type { HttpMethod, RouteDefinition } from '@snapstack/domain/routes';
import type { JsonSchema } from '@snapstack/domain/schemas';
import { Fn, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

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
  /** The first origin is the one gateway responses and preflights carry. */
  readonly corsAllowedOrigins: readonly string[];
  readonly corsAllowedHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer (`Access-Control-Max-Age`, default 600). */
  readonly corsMaxAgeSeconds?: number;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
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
  readonly usagePlan?: { readonly quotaPerDay: number };
  /** Cached when the route exists; routes missing from the table are ignored. */
  readonly cachedRoutes?: readonly CachedRoute[];
  readonly cacheClusterSize?: string;
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

const PROXY_DEFAULT_HEADERS = ['Content-Type', 'Authorization', 'X-Api-Key'];

export function slug(path: string): string {
  return path === '/' ? 'root' : path.slice(1).replace(/[{}]/g, '').replace(/\//g, '_');
}

/** `/users/{id}` -> `/users/*`: the part of an execute-api ARN a permission is scoped to. */
export function arnPath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!);
}

export class RestApi extends Construct {
  public readonly api: ApiGatewayRestApi;
  public readonly stage: ApiGatewayStage;
  public readonly deployment: ApiGatewayDeployment;
  public readonly accessLogGroup: CloudwatchLogGroup;
  public readonly url: string;
  public readonly executionArn: string;
  public readonly apiKey?: ApiGatewayApiKey;
  public readonly domainName?: ApiGatewayDomainName;
  /** Hash of the rendered API; the deployment's trigger. */
  public readonly renderedHash: string;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const origin = props.corsAllowedOrigins[0];
    if (!origin) throw new Error('corsAllowedOrigins needs at least one origin');
    const corsHeaders = props.corsAllowedHeaders ?? PROXY_DEFAULT_HEADERS;

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.name,
      description: `Snapstack REST API (${props.stageName})`,
      binaryMediaTypes: [...props.binaryMediaTypes],
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['REGIONAL'] },
    });
    this.executionArn = this.api.executionArn;
    const restApiId = this.api.id;

    // Resources: one per path prefix of any route.
    const resources = new Map<string, string>([['/', this.api.rootResourceId]]);
    const resourceFor = (path: string): string => {
      const known = resources.get(path);
      if (known) return known;
      const parentPath = path.slice(0, path.lastIndexOf('/')) || '/';
      const resource = new ApiGatewayResource(this, `resource-${slug(path)}`, {
        restApiId,
        parentId: resourceFor(parentPath),
        pathPart: path.slice(path.lastIndexOf('/') + 1),
      });
      resources.set(path, resource.id);
      return resource.id;
    };

    const usedSchemas = new Set<string>(
      props.routes.flatMap((r) => (r.requestSchema ? [r.requestSchema] : [])),
    );
    const models = new Map<string, ApiGatewayModel>();
    for (const [name, schema] of Object.entries(props.requestSchemas)) {
      if (!usedSchemas.has(name)) continue;
      models.set(
        name,
        new ApiGatewayModel(this, `model-${name}`, {
          restApiId,
          name,
          contentType: 'application/json',
          schema: JSON.stringify(schema),
        }),
      );
    }
    const bodyValidator = new ApiGatewayRequestValidator(this, 'validate-body', {
      restApiId,
      name: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const paramsValidator = new ApiGatewayRequestValidator(this, 'validate-parameters', {
      restApiId,
      name: 'parameters',
      validateRequestParameters: true,
    });

    let authorizer: ApiGatewayAuthorizer | undefined;
    if (props.authorizer) {
      authorizer = new ApiGatewayAuthorizer(this, 'authorizer', {
        restApiId,
        name: 'jwt',
        type: props.authorizer.type,
        authorizerUri: props.authorizer.invokeArn,
        identitySource: props.authorizer.identitySource,
        authorizerResultTtlInSeconds: props.authorizer.cacheTtlSeconds,
      });
      new LambdaPermission(this, 'authorizer-permission', {
        statementId: 'AllowApiGatewayAuthorizer',
        action: 'lambda:InvokeFunction',
        functionName: props.authorizer.functionName,
        principal: 'apigateway.amazonaws.com',
        sourceArn: `${this.api.executionArn}/authorizers/${authorizer.id}`,
      });
    }

    const cached = new Map(
      (props.cachedRoutes ?? [])
        .filter((c) => props.routes.some((r) => r.method === c.method && r.path === c.path))
        .map((c) => [`${c.method} ${c.path}`, c]),
    );
    const deployed: ITerraformDependable[] = [];
    const integrationUris: string[] = [];
    const seen = new Set<string>();
    const methodsByPath = new Map<string, HttpMethod[]>();

    for (const route of props.routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
      seen.add(key);
      methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
      const resourceId = resourceFor(route.path);
      const params = pathParameters(route.path);
      const isCached = cached.has(key);

      let authorization = 'NONE';
      let authorizerId: string | undefined;
      if (route.auth.kind === 'jwt') {
        if (authorizer) {
          authorization = 'CUSTOM';
          authorizerId = authorizer.id;
        } else if (props.jwtWithoutAuthorizer === 'iam') {
          authorization = 'AWS_IAM';
        } else {
          throw new Error(`route ${key} needs the JWT authorizer, and none was given`);
        }
      }
      const cacheHeader =
        isCached && route.auth.kind === 'jwt' ? ['method.request.header.Authorization'] : [];
      const requestParameters = Object.fromEntries([
        ...params.map((p) => [`method.request.path.${p}`, true] as const),
        // Optional: only a cache key. Required, a missing token would get a validator 400 instead of the authorizer's 401.
        ...cacheHeader.map((h) => [h, false] as const),
      ]);
      const model = route.requestSchema ? models.get(route.requestSchema) : undefined;
      const method = new ApiGatewayMethod(this, `method-${route.method}-${slug(route.path)}`, {
        restApiId,
        resourceId,
        httpMethod: route.method,
        authorization,
        ...(authorizerId ? { authorizerId } : {}),
        apiKeyRequired: route.auth.kind === 'apiKey',
        requestParameters,
        ...(model ? { requestModels: { 'application/json': model.name } } : {}),
        ...(model || params.length > 0
          ? { requestValidatorId: model ? bodyValidator.id : paramsValidator.id }
          : {}),
      });
      deployed.push(method);

      const cacheKeyParameters = isCached
        ? [...params.map((p) => `method.request.path.${p}`), ...cacheHeader]
        : [];
      const integrationId = `integration-${route.method}-${slug(route.path)}`;
      if (route.integration.kind === 'lambda') {
        const target = props.lambdaTarget(route.integration.function);
        const integration = new ApiGatewayIntegration(this, integrationId, {
          restApiId,
          resourceId,
          httpMethod: method.httpMethod,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: target.invokeArn,
          ...(cacheKeyParameters.length > 0
            ? {
                cacheKeyParameters,
                cacheNamespace: resourceId,
                requestParameters: Object.fromEntries(
                  params.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`]),
                ),
              }
            : {}),
        });
        deployed.push(integration);
        integrationUris.push(target.invokeArn);
        new LambdaPermission(this, `permission-${route.method}-${slug(route.path)}`, {
          statementId: `AllowApiGateway-${route.method}-${slug(route.path)}`,
          action: 'lambda:InvokeFunction',
          functionName: target.functionName,
          principal: 'apigateway.amazonaws.com',
          sourceArn: `${this.api.executionArn}/*/${route.method}${arnPath(route.path)}`,
        });
      } else {
        if (!props.serviceIntegration)
          throw new Error(`route ${key} has a service integration and no renderer`);
        const spec = props.serviceIntegration(route);
        const integration = new ApiGatewayIntegration(this, integrationId, {
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
        deployed.push(integration);
        integrationUris.push(spec.uri);
        for (const response of spec.responses) {
          const methodResponse = new ApiGatewayMethodResponse(
            this,
            `method-response-${route.method}-${slug(route.path)}-${response.statusCode}`,
            {
              restApiId,
              resourceId,
              httpMethod: method.httpMethod,
              statusCode: response.statusCode,
              responseParameters: { 'method.response.header.Access-Control-Allow-Origin': true },
            },
          );
          deployed.push(
            new ApiGatewayIntegrationResponse(
              this,
              `integration-response-${route.method}-${slug(route.path)}-${response.statusCode}`,
              {
                restApiId,
                resourceId,
                httpMethod: method.httpMethod,
                statusCode: methodResponse.statusCode,
                ...(response.selectionPattern !== undefined
                  ? { selectionPattern: response.selectionPattern }
                  : {}),
                responseTemplates: { ...response.responseTemplates },
                responseParameters: { 'method.response.header.Access-Control-Allow-Origin': `'${origin}'` },
                dependsOn: [integration],
              },
            ),
          );
        }
      }
    }

    // CORS preflight: a MOCK OPTIONS method on every path that has routes.
    for (const [path, methods] of methodsByPath) {
      const resourceId = resourceFor(path);
      const options = new ApiGatewayMethod(this, `method-OPTIONS-${slug(path)}`, {
        restApiId,
        resourceId,
        httpMethod: 'OPTIONS',
        authorization: 'NONE',
      });
      const mock = new ApiGatewayIntegration(this, `integration-OPTIONS-${slug(path)}`, {
        restApiId,
        resourceId,
        httpMethod: options.httpMethod,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 204}' },
      });
      const response = new ApiGatewayMethodResponse(this, `method-response-OPTIONS-${slug(path)}`, {
        restApiId,
        resourceId,
        httpMethod: options.httpMethod,
        statusCode: '204',
        responseParameters: Object.fromEntries(
          [...['Origin', 'Methods', 'Headers'].map((h) => `Allow-${h}`), 'Max-Age'].map((h) => [
            `method.response.header.Access-Control-${h}`,
            true,
          ]),
        ),
      });
      const integrationResponse = new ApiGatewayIntegrationResponse(
        this,
        `integration-response-OPTIONS-${slug(path)}`,
        {
          restApiId,
          resourceId,
          httpMethod: options.httpMethod,
          statusCode: response.statusCode,
          responseParameters: {
            'method.response.header.Access-Control-Allow-Origin': `'${origin}'`,
            'method.response.header.Access-Control-Allow-Methods': `'${[...methods, 'OPTIONS'].join(',')}'`,
            'method.response.header.Access-Control-Allow-Headers': `'${corsHeaders.join(',')}'`,
            'method.response.header.Access-Control-Max-Age': `'${props.corsMaxAgeSeconds ?? 600}'`,
          },
          dependsOn: [mock],
        },
      );
      deployed.push(options, mock, integrationResponse);
    }

    // The gateway's own answers, with the domain's statuses and CORS headers so browsers can read them.
    for (const [type, response] of Object.entries(props.gatewayResponses)) {
      deployed.push(
        new ApiGatewayGatewayResponse(this, `gateway-response-${type}`, {
          restApiId,
          responseType: type,
          statusCode: String(response.statusCode),
          responseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': `'${origin}'`,
            'gatewayresponse.header.Access-Control-Allow-Headers': `'${corsHeaders.join(',')}'`,
            'gatewayresponse.header.Vary': "'Origin'",
          },
          responseTemplates: {
            'application/json':
              response.message === null ? '{"message":null}' : '{"message":$context.error.messageString}',
          },
        }),
      );
    }

    // Every other 4XX/5XX the gateway produces keeps its own status and body but gets CORS headers.
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX'].filter((t) => !(t in props.gatewayResponses))) {
      deployed.push(
        new ApiGatewayGatewayResponse(this, `gateway-response-${type}`, {
          restApiId,
          responseType: type,
          responseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': `'${origin}'`,
            'gatewayresponse.header.Access-Control-Allow-Headers': `'${corsHeaders.join(',')}'`,
            'gatewayresponse.header.Vary': "'Origin'",
          },
        }),
      );
    }

    this.renderedHash = createHash('sha256')
      .update(
        JSON.stringify({
          routes: props.routes,
          requestSchemas: props.requestSchemas,
          gatewayResponses: props.gatewayResponses,
          binaryMediaTypes: props.binaryMediaTypes,
          cors: [origin, corsHeaders, props.corsMaxAgeSeconds ?? 600],
          authorizer: props.authorizer
            ? [props.authorizer.type, props.authorizer.identitySource, props.authorizer.cacheTtlSeconds]
            : null,
          jwtWithoutAuthorizer: props.jwtWithoutAuthorizer ?? null,
          cached: [...cached.keys()],
        }),
      )
      .digest('hex');
    this.deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId,
      description: `routes ${this.renderedHash.slice(0, 12)}`,
      triggers: {
        rendered: this.renderedHash,
        // Integration targets live in other stacks; a changed ARN must redeploy too.
        integrations: Fn.sha1(Fn.jsonencode(integrationUris)),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: deployed,
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.name}/access`,
      retentionInDays: props.accessLogRetentionDays,
    });
    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId,
      stageName: props.stageName,
      deploymentId: this.deployment.id,
      xrayTracingEnabled: true,
      cacheClusterEnabled: cached.size > 0,
      ...(cached.size > 0 ? { cacheClusterSize: props.cacheClusterSize ?? '0.5' } : {}),
      accessLogSettings: {
        destinationArn: this.accessLogGroup.arn,
        format: JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          httpMethod: '$context.httpMethod',
          resourcePath: '$context.resourcePath',
          status: '$context.status',
          responseLength: '$context.responseLength',
          integrationLatency: '$context.integrationLatency',
          errorType: '$context.error.responseType',
          apiKeyId: '$context.identity.apiKeyId',
        }),
      },
    });
    this.url = this.stage.invokeUrl;
    new ApiGatewayMethodSettings(this, 'settings-all', {
      restApiId,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        metricsEnabled: true,
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
        cachingEnabled: false,
      },
    });
    for (const route of cached.values()) {
      new ApiGatewayMethodSettings(this, `settings-cache-${route.method}-${slug(route.path)}`, {
        restApiId,
        stageName: this.stage.stageName,
        // API Gateway's method-setting path escapes every "/" of the resource path as "~1"; the
        // provider passes it through unchanged (terraform-provider-aws#9738).
        methodPath: `${route.path.replace(/\//g, '~1')}/${route.method}`,
        settings: {
          throttlingRateLimit: props.throttling.rateLimit,
          throttlingBurstLimit: props.throttling.burstLimit,
          metricsEnabled: true,
          loggingLevel: 'ERROR',
          cachingEnabled: true,
          cacheTtlInSeconds: route.ttlSeconds,
          cacheDataEncrypted: true,
          requireAuthorizationForCacheControl: true,
          unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
        },
      });
    }

    if (props.usagePlan || props.routes.some((r) => r.auth.kind === 'apiKey')) {
      const plan = new ApiGatewayUsagePlan(this, 'usage-plan', {
        name: `${props.name}-default`,
        apiStages: [{ apiId: restApiId, stage: this.stage.stageName }],
        throttleSettings: { rateLimit: props.throttling.rateLimit, burstLimit: props.throttling.burstLimit },
        quotaSettings: { limit: props.usagePlan?.quotaPerDay ?? 10_000, period: 'DAY' },
      });
      this.apiKey = new ApiGatewayApiKey(this, 'api-key', { name: `${props.name}-default`, enabled: true });
      new ApiGatewayUsagePlanKey(this, 'usage-plan-key', {
        keyId: this.apiKey.id,
        keyType: 'API_KEY',
        usagePlanId: plan.id,
      });
    }

    if (props.customDomain) {
      this.domainName = new ApiGatewayDomainName(this, 'domain', {
        domainName: props.customDomain.domainName,
        regionalCertificateArn: props.customDomain.certificateArn,
        endpointConfiguration: { types: ['REGIONAL'] },
        securityPolicy: 'TLS_1_2',
      });
      new ApiGatewayBasePathMapping(this, 'base-path', {
        apiId: restApiId,
        stageName: this.stage.stageName,
        domainName: this.domainName.domainName,
      });
    }
  }
}
