/**
 * The stage: X-Ray, JSON access logs to their own log group, the stage-wide throttle, and the
 * stage cache for the routes that ask for it (a cluster only when one does).
 *
 * The stage-wide throttle uses the usage plan's numbers. The local runner enforces one limit per
 * stage (the plan's), so the deployed stage does too: a caller meets the same 429 threshold
 * locally and deployed, whether or not its route takes an API key, and a key is never allowed
 * more than the stage it calls.
 */
import type { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment/index.js';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings/index.js';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import type { UsagePlanLimits } from '@snapstack/domain/api-settings';
import { slug } from './resource-tree.js';
import type { ApiScope, CachedRoute } from './types.js';

export interface StageProps {
  readonly name: string;
  readonly stageName: string;
  readonly deployment: ApiGatewayDeployment;
  readonly accessLogRetentionDays: number;
  readonly usagePlan: UsagePlanLimits;
  readonly cachedRoutes: readonly CachedRoute[];
  readonly cacheClusterSize?: string;
}

const ACCESS_LOG_FORMAT = JSON.stringify({
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
});

export function addStage(api: ApiScope, props: StageProps) {
  const { scope, restApiId } = api;
  const cached = props.cachedRoutes.length > 0;
  const accessLogGroup = new CloudwatchLogGroup(scope, 'access-logs', {
    name: `/aws/apigateway/${props.name}/access`,
    retentionInDays: props.accessLogRetentionDays,
  });
  const stage = new ApiGatewayStage(scope, 'stage', {
    restApiId,
    stageName: props.stageName,
    deploymentId: props.deployment.id,
    xrayTracingEnabled: true,
    cacheClusterEnabled: cached,
    ...(cached ? { cacheClusterSize: props.cacheClusterSize ?? '0.5' } : {}),
    accessLogSettings: { destinationArn: accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
  });
  const throttle = {
    throttlingRateLimit: props.usagePlan.rateLimit,
    throttlingBurstLimit: props.usagePlan.burstLimit,
    metricsEnabled: true,
    loggingLevel: 'ERROR',
  };
  new ApiGatewayMethodSettings(scope, 'settings-all', {
    restApiId,
    stageName: stage.stageName,
    methodPath: '*/*',
    settings: { ...throttle, dataTraceEnabled: false, cachingEnabled: false },
  });
  for (const route of props.cachedRoutes) {
    new ApiGatewayMethodSettings(scope, `settings-cache-${route.method}-${slug(route.path)}`, {
      restApiId,
      stageName: stage.stageName,
      // API Gateway's method-setting path escapes every "/" of the resource path as "~1"; the
      // provider passes it through unchanged (terraform-provider-aws#9738).
      methodPath: `${route.path.replace(/\//g, '~1')}/${route.method}`,
      settings: {
        ...throttle,
        cachingEnabled: true,
        cacheTtlInSeconds: route.ttlSeconds,
        cacheDataEncrypted: true,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
      },
    });
  }
  return { stage, accessLogGroup };
}
