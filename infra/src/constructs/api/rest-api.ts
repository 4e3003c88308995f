/**
 * RestApi: an API Gateway REST API generated from the domain's route table, composed of parts
 * of one job each: the resource tree, request validation (models from the JSON Schemas), the
 * Lambda authorizer, each route's method and integration (Lambda proxy with an invoke permission
 * scoped to its method and path, or a service integration through a hook), CORS preflights,
 * gateway responses, the deployment, the stage (throttling, access logs, X-Ray, per-route
 * caching), the usage plan with its API key, and an optional custom domain.
 *
 * The parts add their resources to this construct, so Terraform addresses are those of one
 * construct (`<api>_<resource id>`) however the code is divided.
 *
 * @example
 * const api = new RestApi(this, 'api', { name, stageName: 'dev', routes, requestSchemas, ... });
 * api.url // https://{id}.execute-api.{region}.amazonaws.com/dev
 */
import type { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key/index.js';
import type { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment/index.js';
import type { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api/index.js';
import type { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { Construct } from 'constructs';
import { addAuthorizer } from './authorizer.js';
import { addPreflight } from './cors-preflight.js';
import { addCustomDomain } from './custom-domain.js';
import { addDeployment, renderedHash } from './deployment.js';
import { addGatewayResponses } from './gateway-responses.js';
import { RequestValidation } from './request-validation.js';
import { ResourceTree } from './resource-tree.js';
import { addRoutes, routeKey } from './routes.js';
import { addStage } from './stage.js';
import type { ApiScope, RestApiProps } from './types.js';
import { addUsagePlan } from './usage-plan.js';

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
    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.name,
      description: `Snapstack REST API (${props.stageName})`,
      binaryMediaTypes: [...props.binaryMediaTypes],
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['REGIONAL'] },
    });
    this.executionArn = this.api.executionArn;
    const api: ApiScope = { scope: this, restApiId: this.api.id, executionArn: this.api.executionArn };

    const tree = new ResourceTree(api, this.api.rootResourceId);
    const routeKeys = new Set(props.routes.map(routeKey));
    const cachedRoutes = (props.cachedRoutes ?? []).filter((c) => routeKeys.has(routeKey(c)));
    const rendered = addRoutes(api, props, {
      tree,
      validation: new RequestValidation(api, props.routes, props.requestSchemas),
      authorizer: props.authorizer ? addAuthorizer(api, props.authorizer) : undefined,
      cached: new Set(cachedRoutes.map(routeKey)),
    });
    const preflights = [...rendered.methodsByPath].flatMap(([path, methods]) =>
      addPreflight(api, {
        path,
        resourceId: tree.idOf(path),
        methods,
        allowOrigins: props.corsAllowedOrigins,
      }),
    );
    const gatewayResponses = addGatewayResponses(api, props.gatewayResponses, props.corsAllowedOrigins);

    this.renderedHash = renderedHash(props, cachedRoutes.map(routeKey));
    this.deployment = addDeployment(api, this.renderedHash, rendered.integrationUris, [
      ...rendered.deployed,
      ...preflights,
      ...gatewayResponses,
    ]);
    const { stage, accessLogGroup } = addStage(api, {
      name: props.name,
      stageName: props.stageName,
      deployment: this.deployment,
      accessLogRetentionDays: props.accessLogRetentionDays,
      usagePlan: props.usagePlan,
      cachedRoutes,
      ...(props.cacheClusterSize ? { cacheClusterSize: props.cacheClusterSize } : {}),
    });
    this.stage = stage;
    this.accessLogGroup = accessLogGroup;
    this.url = stage.invokeUrl;
    if (props.routes.some((r) => r.auth.kind === 'apiKey')) {
      this.apiKey = addUsagePlan(api, props.name, stage, props.usagePlan);
    }
    if (props.customDomain) this.domainName = addCustomDomain(api, stage, props.customDomain);
  }
}
