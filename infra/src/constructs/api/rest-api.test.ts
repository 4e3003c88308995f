import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer/index.js';
import { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response/index.js';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration/index.js';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method/index.js';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings/index.js';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model/index.js';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api/index.js';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { apiSettings } from '@snapstack/domain/api-settings';
import { PREFLIGHT_STATUS } from '@snapstack/domain/cors';
import { gatewayResponses } from '@snapstack/domain/gateway';
import { type RouteDefinition, routes } from '@snapstack/domain/routes';
import { requestSchemas } from '@snapstack/domain/schemas';
import { Testing } from 'cdktf';
import { expectResource, resources } from '../../../test/fixtures.js';
import { RestApi } from './rest-api.js';
import { SqsSendMessageIntegration } from './sqs-send-message-integration.js';
import type { RestApiProps } from './types.js';

const metadataRoute = {
  method: 'GET',
  path: '/metadata/{image_id}',
  auth: { kind: 'jwt' },
  integration: { kind: 'lambda', function: 'getUser' },
} as const satisfies RouteDefinition;
/** The route table without its cached route, so tests can add it back (as a jwt route). */
const otherRoutes = routes.filter((r) => !(r.method === 'GET' && r.path === '/metadata/{image_id}'));
const likeRoute = {
  method: 'POST',
  path: '/images/{image_id}/likes',
  auth: { kind: 'jwt' },
  integration: { kind: 'sqs', queue: 'likes' },
} as unknown as RouteDefinition;

const base = (over: Partial<RestApiProps> = {}): RestApiProps => ({
  name: 'snapstack-test-api',
  stageName: 'test',
  routes,
  requestSchemas,
  gatewayResponses,
  binaryMediaTypes: ['image/jpeg', 'image/png'],
  corsAllowedOrigins: ['https://app.example'],
  usagePlan: { rateLimit: 10, burstLimit: 20, quota: { limit: 1000, period: 'DAY' } },
  accessLogRetentionDays: 7,
  lambdaTarget: (id) => ({
    functionName: `snapstack-test-${id}`,
    invokeArn: `arn:aws:apigateway:r:lambda:path/fn/${id}/invocations`,
  }),
  authorizer: {
    functionName: 'snapstack-test-authorizer',
    invokeArn: 'arn:aws:apigateway:r:lambda:path/fn/authorizer/invocations',
    cacheTtlSeconds: 300,
    type: 'TOKEN',
    identitySource: 'method.request.header.Authorization',
  },
  // The route table's SQS routes; what they render to is tested below and in the API stack.
  serviceIntegration: () => ({
    uri: 'arn:aws:apigateway:eu-west-1:sqs:path/123456789012/likes',
    credentialsRoleArn: 'arn:aws:iam::123456789012:role/snapstack-test-apigw-sqs',
    requestTemplates: { 'application/json': 'Action=SendMessage' },
    responses: [{ statusCode: '202', selectionPattern: '2\\d{2}' }],
  }),
  ...over,
});

const synthApi = (props: RestApiProps) => {
  let api: RestApi | undefined;
  const synthesized = Testing.synthScope((scope) => {
    api = new RestApi(scope, 'api', props);
  });
  return { synthesized, api: api! };
};

describe('RestApi', () => {
  const { synthesized } = synthApi(base());

  it('creates one method per route with the auth the route table asks for', () => {
    const methods = resources(synthesized, 'aws_api_gateway_method').filter(
      (m) => m.http_method !== 'OPTIONS',
    );
    expect(methods).toHaveLength(routes.length);
    expectResource(synthesized, ApiGatewayMethod, {
      http_method: 'GET',
      api_key_required: true,
      authorization: 'NONE',
    });
    expectResource(synthesized, ApiGatewayMethod, {
      http_method: 'POST',
      authorization: 'CUSTOM',
      request_models: {
        'application/json': expect.stringMatching(/aws_api_gateway_model\.api_model-CreateUser_.+\.name/),
      },
    });
    expectResource(synthesized, ApiGatewayMethod, {
      http_method: 'DELETE',
      request_parameters: { 'method.request.path.id': true },
    });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayAuthorizer, {
      type: 'TOKEN',
      authorizer_result_ttl_in_seconds: 300,
    });
  });

  it('emits models from the same JSON Schemas', () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayModel, {
      name: 'CreateUser',
      content_type: 'application/json',
      schema: JSON.stringify(requestSchemas.CreateUser),
    });
  });

  it('proxies to Lambda and scopes each invoke permission to its method and path', () => {
    expectResource(synthesized, ApiGatewayIntegration, {
      type: 'AWS_PROXY',
      integration_http_method: 'POST',
      uri: 'arn:aws:apigateway:r:lambda:path/fn/getUser/invocations',
    });
    expectResource(synthesized, LambdaPermission, {
      function_name: 'snapstack-test-getUser',
      principal: 'apigateway.amazonaws.com',
      source_arn: expect.stringMatching(
        /^\$\{aws_api_gateway_rest_api\..+\.execution_arn\}\/\*\/GET\/users\/\*$/,
      ),
    });
  });

  it('answers with the domain gateway responses carrying CORS headers, and applies binary media types', () => {
    // The domain's responses, plus DEFAULT_4XX/DEFAULT_5XX carrying only the CORS headers.
    expect(resources(synthesized, 'aws_api_gateway_gateway_response')).toHaveLength(
      Object.keys(gatewayResponses).length + 2,
    );
    expectResource(synthesized, ApiGatewayGatewayResponse, {
      response_type: 'DEFAULT_4XX',
      response_parameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example'" },
    });
    expectResource(synthesized, ApiGatewayGatewayResponse, {
      response_type: 'MISSING_AUTHENTICATION_TOKEN',
      status_code: '403',
      response_parameters: expect.objectContaining({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example'",
      }),
    });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayRestApi, {
      binary_media_types: ['image/jpeg', 'image/png'],
    });
  });

  it('throttles and logs the stage, and puts API-key routes in a usage plan', () => {
    expectResource(synthesized, ApiGatewayStage, {
      stage_name: 'test',
      xray_tracing_enabled: true,
      cache_cluster_enabled: false,
    });
    const [stage] = resources(synthesized, 'aws_api_gateway_stage');
    expect(stage!.access_log_settings.destination_arn).toMatch(/aws_cloudwatch_log_group/);
    expectResource(synthesized, ApiGatewayMethodSettings, {
      method_path: '*/*',
      settings: { throttling_rate_limit: 10, throttling_burst_limit: 20, caching_enabled: false },
    });
    // One set of numbers: the stage-wide throttle is the usage plan's.
    expectResource(synthesized, ApiGatewayUsagePlan, {
      throttle_settings: { rate_limit: 10, burst_limit: 20 },
      quota_settings: { limit: 1000, period: 'DAY' },
    });
  });

  it('caches GET /metadata/{image_id} when that route exists, keyed by image and caller', () => {
    const { synthesized: withMetadata } = synthApi(
      base({
        routes: [...otherRoutes, metadataRoute],
        cachedRoutes: [{ method: 'GET', path: '/metadata/{image_id}', ttlSeconds: 60 }],
      }),
    );
    expectResource(withMetadata, ApiGatewayStage, { cache_cluster_enabled: true, cache_cluster_size: '0.5' });
    expectResource(withMetadata, ApiGatewayMethodSettings, {
      method_path: '~1metadata~1{image_id}/GET',
      settings: { caching_enabled: true, cache_ttl_in_seconds: 60 },
    });
    expectResource(withMetadata, ApiGatewayIntegration, {
      cache_key_parameters: ['method.request.path.image_id', 'method.request.header.Authorization'],
    });
    // Without the route, the same setting is inert.
    const { synthesized: without } = synthApi(
      base({
        routes: otherRoutes,
        cachedRoutes: [{ method: 'GET', path: '/metadata/{image_id}', ttlSeconds: 60 }],
      }),
    );
    expectResource(without, ApiGatewayStage, { cache_cluster_enabled: false });
  });

  it('replaces the deployment when the route table changes, and only then', () => {
    const a = synthApi(base()).api.renderedHash;
    expect(synthApi(base()).api.renderedHash).toBe(a);
    expect(synthApi(base({ routes: otherRoutes })).api.renderedHash).not.toBe(a);
    const [deployment] = resources(synthesized, 'aws_api_gateway_deployment');
    expect(deployment!.triggers.rendered).toBe(a);
    expect(deployment!.lifecycle).toEqual({ create_before_destroy: true });
  });

  it('answers preflights with the CORS headers browsers read (Access-Control-Max-Age, not -Allow-)', () => {
    const preflights = resources(synthesized, 'aws_api_gateway_integration_response').filter((r) =>
      String(r.http_method).includes('OPTIONS'),
    );
    expect(preflights.length).toBeGreaterThan(0);
    for (const r of preflights) {
      expect(r.response_parameters).toMatchObject({
        'method.response.header.Access-Control-Allow-Origin': "'https://app.example'",
        'method.response.header.Access-Control-Allow-Headers': `'${apiSettings.cors.allowHeaders.join(',')}'`,
        'method.response.header.Access-Control-Max-Age': `'${apiSettings.cors.maxAgeSeconds}'`,
      });
      expect(Object.keys(r.response_parameters).some((k) => k.includes('Allow-Max-Age'))).toBe(false);
    }
    // The MOCK answers with the status the local gateway answers preflights with.
    const mocks = resources(synthesized, 'aws_api_gateway_integration').filter((i) => i.type === 'MOCK');
    expect(mocks).toHaveLength(preflights.length);
    for (const m of mocks)
      expect(JSON.parse(m.request_templates['application/json'])).toEqual({ statusCode: PREFLIGHT_STATUS });
    const optionsResponses = resources(synthesized, 'aws_api_gateway_method_response').filter((r) =>
      String(r.http_method).includes('OPTIONS'),
    );
    expect(optionsResponses.map((r) => r.status_code)).toEqual(
      optionsResponses.map(() => String(PREFLIGHT_STATUS)),
    );
    // A stage that allows any origin sends `*`, as the local gateway does.
    const { synthesized: anyOrigin } = synthApi(base({ corsAllowedOrigins: ['*'] }));
    expectResource(anyOrigin, ApiGatewayGatewayResponse, {
      response_type: 'DEFAULT_4XX',
      response_parameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });
  });

  it('renders service integrations through the hook (SQS SendMessage with its own role)', () => {
    const props = base({ routes: [...routes, likeRoute] });
    const synthesizedWithHook = Testing.synthScope((scope) => {
      const likes = new SqsSendMessageIntegration(scope, 'likes', {
        roleName: 'snapstack-test-likes-apigw',
        region: 'eu-west-1',
        queueArn: 'arn:aws:sqs:eu-west-1:123456789012:likes',
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/likes',
        requestTemplate: 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
      });
      new RestApi(scope, 'api', { ...props, serviceIntegration: () => likes.spec });
    });
    expectResource(synthesizedWithHook, ApiGatewayIntegration, {
      type: 'AWS',
      passthrough_behavior: 'NEVER',
      credentials: expect.stringMatching(/aws_iam_role\.likes_role/),
      request_templates: {
        'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
      },
    });
  });

  it('refuses a service integration without a renderer and a JWT route without an authorizer', () => {
    const { serviceIntegration: _, ...noRenderer } = base({ routes: [likeRoute] });
    expect(() => synthApi(noRenderer)).toThrow(/no renderer/);
    const { authorizer: _a, ...noAuthorizer } = base();
    expect(() => synthApi(noAuthorizer)).toThrow(/needs the JWT authorizer/);
    const { synthesized: failClosed } = synthApi({ ...noAuthorizer, jwtWithoutAuthorizer: 'iam' });
    expectResource(failClosed, ApiGatewayMethod, { http_method: 'POST', authorization: 'AWS_IAM' });
  });

  it('maps an optional custom domain (regional, TLS 1.2) to the stage', () => {
    const { synthesized: withDomain, api } = synthApi(
      base({
        customDomain: {
          domainName: 'api.snapstack.example',
          certificateArn: 'arn:aws:acm:eu-west-1:1:certificate/x',
        },
      }),
    );
    expectResource(withDomain, ApiGatewayDomainName, {
      domain_name: 'api.snapstack.example',
      regional_certificate_arn: 'arn:aws:acm:eu-west-1:1:certificate/x',
      security_policy: 'TLS_1_2',
      endpoint_configuration: { types: ['REGIONAL'] },
    });
    expect(resources(withDomain, 'aws_api_gateway_base_path_mapping')).toHaveLength(1);
    expect(api.domainName).toBeDefined();
    expect(resources(synthesized, 'aws_api_gateway_domain_name')).toHaveLength(0);
  });
});
