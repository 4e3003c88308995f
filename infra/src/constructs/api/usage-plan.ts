/**
 * The usage plan behind `apiKey` routes: the stage's one plan (`usagePlanFor(stage)` in the
 * domain, which the local runner enforces too) and the default API key in it.
 */
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key/index.js';
import type { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan/index.js';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key/index.js';
import type { UsagePlanLimits } from '@snapstack/domain/api-settings';
import type { ApiScope } from './types.js';

export function addUsagePlan(
  { scope, restApiId }: ApiScope,
  name: string,
  stage: ApiGatewayStage,
  limits: UsagePlanLimits,
): ApiGatewayApiKey {
  const plan = new ApiGatewayUsagePlan(scope, 'usage-plan', {
    name: `${name}-default`,
    apiStages: [{ apiId: restApiId, stage: stage.stageName }],
    throttleSettings: { rateLimit: limits.rateLimit, burstLimit: limits.burstLimit },
    quotaSettings: { limit: limits.quota.limit, period: limits.quota.period },
  });
  const apiKey = new ApiGatewayApiKey(scope, 'api-key', { name: `${name}-default`, enabled: true });
  new ApiGatewayUsagePlanKey(scope, 'usage-plan-key', {
    keyId: apiKey.id,
    keyType: 'API_KEY',
    usagePlanId: plan.id,
  });
  return apiKey;
}
