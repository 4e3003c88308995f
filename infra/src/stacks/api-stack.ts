/**
 * The API stack: the REST API rendered from the route table, pointing at the functions of the
 * service stacks. Deploy it after a service when routes change; function code changes do not
 * touch it.
 */

import { gatewayResponses } from '@snapstack/domain/gateway';
import { resourceName } from '@snapstack/domain/naming';
import { apiSettings, type FunctionId, routes } from '@snapstack/domain/routes';
import { requestSchemas } from '@snapstack/domain/schemas';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { NodeFunction } from '../constructs/node-function.js';
import { RestApi } from '../constructs/rest-api.js';
import { SnapstackStack, type SnapstackStackProps } from './snapstack-stack.js';
import type { StatefulStack } from './stateful-stack.js';

export interface ApiStackProps extends SnapstackStackProps {
  readonly stateful: StatefulStack;
  readonly functions: Partial<Record<FunctionId, NodeFunction>>;
}

/** GET /metadata/{image_id} is served from the stage cache once the images branch adds it. */
export const CACHED_PATHS = [{ method: 'GET', path: '/metadata/{image_id}' }] as const;

export class ApiStack extends SnapstackStack {
  public readonly api: RestApi;

  constructor(scope: Construct, props: ApiStackProps) {
    super(scope, 'api', props);
    const { config } = props;
    this.api = new RestApi(this, 'rest-api', {
      name: resourceName(config.stage, 'api'),
      stageName: config.stage,
      routes,
      requestSchemas,
      gatewayResponses,
      binaryMediaTypes: apiSettings.binaryMediaTypes,
      corsAllowedOrigins: config.corsAllowedOrigins,
      throttling: config.throttling,
      accessLogRetentionDays: config.logRetentionDays,
      usagePlan: { quotaPerDay: config.apiKeyQuotaPerDay },
      cachedRoutes: CACHED_PATHS.map((c) => ({ ...c, ttlSeconds: config.metadataCacheTtlSeconds })),
      cacheClusterSize: config.cacheClusterSize,
      ...(config.customDomain ? { customDomain: config.customDomain } : {}),
      lambdaTarget: (id) => {
        const fn = props.functions[id as FunctionId];
        if (!fn)
          throw new Error(`route integration targets function "${id}", which no service stack deploys`);
        return { functionName: fn.functionName, invokeArn: fn.invokeArn };
      },
      // WIRING (authorizer branch): replace the fail-closed fallback with
      //   authorizer: { functionName/invokeArn of the authorizer function, type, identitySource,
      //   cacheTtlSeconds: config.authorizerCacheTtlSeconds } and take corsAllowedHeaders from apiSettings.
      jwtWithoutAuthorizer: 'iam',
      // WIRING (likes branch): serviceIntegration: (route) => one SqsSendMessageIntegration per
      //   queue (created in this stack), with requestTemplate = the domain's VTL renderer output and
      //   queueArn/queueUrl from props.stateful.queues.
    });
    new TerraformOutput(this, 'api-url', { value: this.api.url });
    if (this.api.apiKey) new TerraformOutput(this, 'api-key-id', { value: this.api.apiKey.id });
    if (this.api.domainName) {
      new TerraformOutput(this, 'custom-domain-target', { value: this.api.domainName.regionalDomainName });
    }
  }
}
