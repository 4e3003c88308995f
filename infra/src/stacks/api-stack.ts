/**
 * The API stack: the REST API rendered from the route table, pointing at the functions of the
 * service stacks. Deploy it after a service when routes change; function code changes do not
 * touch it.
 */

import { apiSettings, corsOrigins, usagePlanFor } from '@snapstack/domain/api-settings';
import type { FunctionId } from '@snapstack/domain/functions';
import { gatewayResponses } from '@snapstack/domain/gateway';
import { resourceName } from '@snapstack/domain/naming';
import type { QueueId } from '@snapstack/domain/queues';
import { routes } from '@snapstack/domain/routes';
import { requestSchemas } from '@snapstack/domain/schemas';
import { renderSqsIntegration, SQS_INTEGRATION_MEDIA_TYPE } from '@snapstack/domain/sqs-integration';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { RestApi } from '../constructs/api/rest-api.js';
import { SqsSendMessageIntegration } from '../constructs/api/sqs-send-message-integration.js';
import type { NodeFunction } from '../constructs/node-function.js';
import { SnapstackStack, type SnapstackStackProps } from './snapstack-stack.js';
import type { StatefulStack } from './stateful-stack.js';

export interface ApiStackProps extends SnapstackStackProps {
  readonly stateful: StatefulStack;
  readonly functions: Partial<Record<FunctionId, NodeFunction>>;
}

export class ApiStack extends SnapstackStack {
  public readonly api: RestApi;

  constructor(scope: Construct, props: ApiStackProps) {
    super(scope, 'api', props);
    const { config } = props;
    const deployed = (id: FunctionId): NodeFunction => {
      const fn = props.functions[id];
      if (!fn) throw new Error(`the API needs function "${id}", which no service stack deploys`);
      return fn;
    };
    const authorizerFunction = deployed(apiSettings.authorizer.function);
    // One execution role per queue (sqs:SendMessage on that queue only), shared by its routes.
    const sqsIntegrations = new Map<QueueId, SqsSendMessageIntegration>();
    const sqsIntegrationFor = (queueId: QueueId): SqsSendMessageIntegration => {
      const existing = sqsIntegrations.get(queueId);
      if (existing) return existing;
      const queue = props.stateful.queues[queueId];
      const created = new SqsSendMessageIntegration(this, `sqs-${queueId}`, {
        roleName: resourceName(config.stage, `apigw-sqs-${queueId}`),
        region: config.region,
        queueArn: queue.arn,
        queueUrl: queue.url,
        // Each route brings its own rendered template (below); the role and URI are per queue.
        requestTemplate: '',
      });
      sqsIntegrations.set(queueId, created);
      return created;
    };
    this.api = new RestApi(this, 'rest-api', {
      name: resourceName(config.stage, 'api'),
      stageName: config.stage,
      routes,
      requestSchemas,
      gatewayResponses,
      binaryMediaTypes: apiSettings.binaryMediaTypes,
      corsAllowedOrigins: corsOrigins(config.stage, props.stateful.delivery.url),
      usagePlan: usagePlanFor(config.stage),
      accessLogRetentionDays: config.logRetentionDays,
      // The stage cache serves the routes the table marks `cache` (keyed by path parameters).
      cachedRoutes: routes.flatMap(({ method, path, cache }) =>
        cache ? [{ method, path, ttlSeconds: cache.ttlSeconds }] : [],
      ),
      cacheClusterSize: config.cacheClusterSize,
      ...(config.customDomain ? { customDomain: config.customDomain } : {}),
      lambdaTarget: (id) => {
        const fn = deployed(id as FunctionId);
        return { functionName: fn.functionName, invokeArn: fn.invokeArn };
      },
      authorizer: {
        functionName: authorizerFunction.functionName,
        invokeArn: authorizerFunction.invokeArn,
        type: apiSettings.authorizer.type,
        identitySource: apiSettings.authorizer.identitySource,
        cacheTtlSeconds: config.authorizerCacheTtlSeconds,
      },
      serviceIntegration: (route) => {
        if (route.integration.kind !== 'sqsSendMessage')
          throw new Error(`route ${route.method} ${route.path}: no renderer for ${route.integration.kind}`);
        // The domain renders the mapping (VTL, passthrough NEVER, responses); the local gateway runs the same one.
        const rendered = renderSqsIntegration(route.integration);
        return {
          ...sqsIntegrationFor(route.integration.queue).spec,
          requestParameters: rendered.requestParameters,
          requestTemplates: rendered.requestTemplates,
          passthroughBehavior: rendered.passthroughBehavior,
          responses: rendered.responses.map((r) => ({
            statusCode: r.statusCode,
            ...(r.selectionPattern !== undefined ? { selectionPattern: r.selectionPattern } : {}),
            responseTemplates: { [SQS_INTEGRATION_MEDIA_TYPE]: r.template },
          })),
        };
      },
    });
    new TerraformOutput(this, 'api-url', { value: this.api.url });
    for (const [queueId, integration] of sqsIntegrations) {
      new TerraformOutput(this, `sqs-${queueId}-integration-role-arn`, { value: integration.role.arn });
    }
    if (this.api.apiKey) new TerraformOutput(this, 'api-key-id', { value: this.api.apiKey.id });
    if (this.api.domainName) {
      new TerraformOutput(this, 'custom-domain-target', { value: this.api.domainName.regionalDomainName });
    }
  }
}
