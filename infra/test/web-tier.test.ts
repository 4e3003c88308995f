/**
 * The web and sign-in tiers as every stage deploys them, and what functions receive from them:
 * every function's environment is the domain's `functionEnvironment` of the stage's real
 * resources — the user pool and the distribution included — through cross-stack references.
 */
import { existsSync } from 'node:fs';
import { apiSettings } from '@snapstack/domain/api-settings';
import { type BucketId, buckets } from '@snapstack/domain/buckets';
import type { ResourceNames } from '@snapstack/domain/function-environment';
import { type FunctionId, functions } from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import { type QueueId, queues } from '@snapstack/domain/queues';
import { routeScopes } from '@snapstack/domain/routes';
import { type TableId, tables } from '@snapstack/domain/tables';
import { STAGES, stageConfig, webOrigins } from '../src/config.js';
import { environmentFor } from '../src/stacks/service-stack.js';
import { stacksOf, type TerraformJson } from './synthesized.js';
import { CUSTOM_DOMAIN, customDomainConfig } from './variants.js';

type Resources = Record<string, TerraformJson>;

/** `${type.key.attr}` of the one resource of `type` whose `field` is `value` (or the only one). */
function refTo(json: TerraformJson, type: string, attr: string, match?: [string, string]): string {
  const found = Object.entries((json.resource?.[type] ?? {}) as Resources).filter(
    ([, r]) => !match || r[match[0]] === match[1],
  );
  expect(found, `${type} ${match?.join('=') ?? ''}`).toHaveLength(1);
  return `\${${type}.${found[0]![0]}.${attr}}`;
}

/**
 * Replaces each remote-state reference (`${data.terraform_remote_state.<x>.outputs.<name>}`, or
 * bare inside a Terraform expression) with the producing stack's output value.
 */
function throughRemoteState(value: string, ...producers: TerraformJson[]): string {
  const output = (name: string) => {
    const found = producers.find((p) => p.output?.[name])?.output[name];
    if (!found) throw new Error(`no output ${name} in the producing stacks`);
    return String(found.value);
  };
  return value
    .replace(/\$\{data\.terraform_remote_state\.[^.]+\.outputs\.([^}]+)\}/g, (_, name: string) =>
      output(name),
    )
    .replace(/data\.terraform_remote_state\.[^.]+\.outputs\.([\w-]+)/g, (_, name: string) =>
      output(name).replace(/^\$\{(.*)\}$/, '$1'),
    );
}

describe.each(STAGES)('stage %s: web and sign-in tiers', (stage) => {
  const config = stageConfig(stage);
  const stacks = stacksOf(stage);
  const stateful = stacks.find((s) => s.name === `snapstack-${stage}-stateful`)!.json;
  const distributionDomain = refTo(stateful, 'aws_cloudfront_distribution', 'domain_name');
  const poolIssuer = `https://${refTo(stateful, 'aws_cognito_user_pool', 'endpoint')}`;
  const clientId = refTo(stateful, 'aws_cognito_user_pool_client', 'id');
  const only = (type: string): TerraformJson => {
    const list = Object.values((stateful.resource?.[type] ?? {}) as Resources);
    expect(list, type).toHaveLength(1);
    return list[0]!;
  };

  it("offers exactly the route table's scopes on the resource server the authorizer expects", () => {
    const server = only('aws_cognito_resource_server');
    expect(server.identifier).toBe(apiSettings.authorizer.userPool.resourceServer);
    expect((server.scope as TerraformJson[]).map((s) => s.scope_name).sort()).toEqual(routeScopes());
    expect(routeScopes().length).toBeGreaterThan(0);
    const client = only('aws_cognito_user_pool_client');
    expect([...client.allowed_oauth_scopes].sort()).toEqual(
      ['email', 'openid', ...routeScopes().map((s) => `${server.identifier}/${s}`)].sort(),
    );
    expect(client.generate_secret).toBe(false);
    expect(client.allowed_oauth_flows).toEqual(['code']);
  });

  it("returns sign-in to the stage's web origins and to the distribution", () => {
    const client = only('aws_cognito_user_pool_client');
    const expected = [`https://${distributionDomain}`, ...webOrigins(stage)].map((o) => `${o}/`);
    expect(client.callback_urls).toEqual(expected);
    expect(client.logout_urls).toEqual(expected);
    for (const url of client.callback_urls as string[])
      expect(url).toMatch(/^(https:\/\/|http:\/\/localhost[:/])/);
  });

  it('protects the pool from deletion as the stage protects its tables', () => {
    expect(only('aws_cognito_user_pool').deletion_protection).toBe(
      config.deletionProtection ? 'ACTIVE' : 'INACTIVE',
    );
    const domain = only('aws_cognito_user_pool_domain');
    expect(domain.domain).toMatch(
      new RegExp(`^snapstack-${stage}-\\$\\{data\\.aws_arn\\.[^.]+\\.account\\}$`),
    );
  });

  it('outputs what ops and the web app need', () => {
    const outputs = stateful.output as Resources;
    expect(outputs['delivery-url']?.value).toBe(`https://${distributionDomain}`);
    expect(outputs['delivery-distribution-domain']?.value).toBe(distributionDomain);
    expect(outputs['user-pool-issuer']?.value).toBe(poolIssuer);
    expect(outputs['user-pool-client-id']?.value).toBe(clientId);
    expect(outputs['user-pool-id']?.value).toBe(refTo(stateful, 'aws_cognito_user_pool', 'id'));
    expect(outputs['sign-in-domain']?.value).toMatch(/\.auth\.[a-z0-9-]+\.amazoncognito\.com$/);
    expect(outputs['delivery-distribution-id']).toBeDefined();
    expect(outputs['bucket-web-name']).toBeDefined();
  });

  it.each(Object.keys(functions) as FunctionId[])(
    "deploys %s with functionEnvironment of the stage's resources, pool and distribution included",
    (id) => {
      const names: ResourceNames = {
        tables: Object.fromEntries(
          Object.values(tables).map((t) => [
            t.id,
            refTo(stateful, 'aws_dynamodb_table', 'name', ['name', resourceName(stage, t.id)]),
          ]),
        ) as Record<TableId, string>,
        buckets: Object.fromEntries(
          (Object.keys(buckets) as BucketId[]).map((b) => [
            b,
            refTo(stateful, 'aws_s3_bucket', 'bucket', ['bucket', resourceName(stage, b)]),
          ]),
        ) as Record<BucketId, string>,
        queueUrls: Object.fromEntries(
          (Object.keys(queues) as QueueId[]).map((q) => [
            q,
            refTo(stateful, 'aws_sqs_queue', 'url', ['name', resourceName(stage, q)]),
          ]),
        ) as Record<QueueId, string>,
        imageDeliveryUrl: `https://${distributionDomain}`,
        userPool: { issuer: poolIssuer, jwksUrl: `${poolIssuer}/.well-known/jwks.json`, clientId },
        webAppOrigin: `https://${distributionDomain}`,
      };
      const lambda = stacks
        .flatMap((s) => Object.values((s.json.resource?.aws_lambda_function ?? {}) as Resources))
        .find((f) => f.function_name === resourceName(stage, id))!;
      const deployed = Object.fromEntries(
        Object.entries(lambda.environment.variables as Record<string, string>).map(([k, v]) => [
          k,
          throughRemoteState(v, stateful),
        ]),
      );
      expect(deployed).toEqual(environmentFor(config, id, names));
    },
  );

  it("serves the app's pages with its Content-Security-Policy: the stage's provider, bucket and regional API", () => {
    const distribution = only('aws_cloudfront_distribution');
    const policyKey = /\.([^.]+)\.id\}$/.exec(
      distribution.default_cache_behavior.response_headers_policy_id,
    )![1]!;
    const csp: string =
      stateful.resource.aws_cloudfront_response_headers_policy[policyKey].security_headers_config
        .content_security_policy.content_security_policy;
    const pool = only('aws_cognito_user_pool_domain');
    const images = refTo(stateful, 'aws_s3_bucket', 'bucket_regional_domain_name', [
      'bucket',
      resourceName(stage, 'images'),
    ]);
    const connect = /connect-src ([^;]+);/.exec(csp)![1]!;
    expect(connect).toContain(`https://*.execute-api.${config.region}.amazonaws.com`);
    expect(connect).toContain(`https://cognito-idp.${config.region}.amazonaws.com `);
    // The login host of the pool's own domain, and the bucket the presigned POSTs go to.
    expect(connect).toContain(`https://${pool.domain}.auth.${config.region}.amazoncognito.com`);
    expect(connect).toContain(images.slice(2, -1));
    expect(csp).toContain("script-src 'self';");
  });

  it('takes uploads into the images bucket from the app alone, and presigned GETs from any page', () => {
    const cors = only('aws_s3_bucket_cors_configuration');
    expect(cors.bucket).toBe(
      refTo(stateful, 'aws_s3_bucket', 'id', ['bucket', resourceName(stage, 'images')]),
    );
    expect(cors.cors_rule).toEqual([
      expect.objectContaining({
        allowed_methods: ['POST'],
        allowed_origins: [`https://${distributionDomain}`, ...webOrigins(stage)],
      }),
      expect.objectContaining({ allowed_methods: ['GET'], allowed_origins: ['*'] }),
    ]);
  });

  it("answers the app's preflights: API Gateway's one static origin is the distribution", () => {
    const api = stacks.find((st) => st.name === `snapstack-${stage}-api`)!.json;
    const preflights = Object.values(api.resource.aws_api_gateway_integration_response as Resources).filter(
      (r) => r.response_parameters?.['method.response.header.Access-Control-Allow-Origin'],
    );
    const gatewayResponses = Object.values(api.resource.aws_api_gateway_gateway_response as Resources);
    expect(preflights.length).toBeGreaterThan(0);
    for (const origin of [
      ...preflights.map((r) => r.response_parameters['method.response.header.Access-Control-Allow-Origin']),
      ...gatewayResponses.map(
        (r) => r.response_parameters['gatewayresponse.header.Access-Control-Allow-Origin'],
      ),
    ]) {
      expect(throughRemoteState(origin, stateful)).toBe(`'https://${distributionDomain}'`);
    }
  });

  it("uploads the built app and a config.json of the stage's API, pool and distribution (web stack)", () => {
    const web = stacks.find((st) => st.name === `snapstack-${stage}-web`)!.json;
    const api = stacks.find((st) => st.name === `snapstack-${stage}-api`)!.json;
    const objects = Object.values(web.resource.aws_s3_object as Resources);
    const webBucket = refTo(stateful, 'aws_s3_bucket', 'bucket', ['bucket', resourceName(stage, 'web')]);
    for (const o of objects) expect(throughRemoteState(o.bucket, stateful)).toBe(webBucket);
    const keys = objects.map((o) => o.key);
    expect(keys).toContain('index.html');
    expect(keys).toContain('config.json');
    expect(keys.some((k) => /^assets\/.+\.js$/.test(k))).toBe(true);
    for (const o of objects.filter((o) => o.key !== 'config.json'))
      expect(existsSync(o.source), o.key).toBe(true);

    const config = throughRemoteState(objects.find((o) => o.key === 'config.json')!.content, stateful, api);
    const apiUrl = refTo(api, 'aws_api_gateway_stage', 'invoke_url').slice(2, -1);
    expect(config).toContain(`"apiUrl" = ${apiUrl}`);
    expect(config).toContain(`"issuer" = "${poolIssuer}"`);
    expect(config).toContain(`"clientId" = ${clientId.slice(2, -1)}`);
    expect(config).toContain(`"redirectUri" = "https://${distributionDomain}/"`);
    for (const scope of routeScopes()) expect(config).toContain(`"snapstack/${scope}"`);
  });

  it('hands the delivery URL to the functions that return image items', () => {
    const withUrl = stacks
      .flatMap((s) => Object.values((s.json.resource?.aws_lambda_function ?? {}) as Resources))
      .filter((f) => f.environment.variables.IMAGE_DELIVERY_URL !== undefined);
    expect(withUrl.length).toBeGreaterThan(0);
    for (const f of withUrl) {
      expect(throughRemoteState(f.environment.variables.IMAGE_DELIVERY_URL, stateful)).toBe(
        `https://${distributionDomain}`,
      );
    }
  });
});

describe('a stage with a custom domain on its distribution', () => {
  const stacks = stacksOf(CUSTOM_DOMAIN.outdir);
  const stateful = stacks.find((s) => s.name.endsWith('-stateful'))!.json;
  const { domainName, hostedZoneId } = CUSTOM_DOMAIN.domain;

  it('adds a us-east-1 provider for the certificate, and only the stateful stack has one', () => {
    const providers = stateful.provider.aws as TerraformJson[];
    expect(providers).toContainEqual(expect.objectContaining({ alias: 'us-east-1', region: 'us-east-1' }));
    expect(providers).toContainEqual(expect.objectContaining({ region: customDomainConfig().region }));
    for (const other of stacks.filter((s) => !s.name.endsWith('-stateful'))) {
      expect(other.json.provider.aws, other.name).toHaveLength(1);
    }
    const certificate = Object.values(stateful.resource.aws_acm_certificate as Resources);
    expect(certificate).toEqual([
      expect.objectContaining({ domain_name: domainName, provider: 'aws.us-east-1' }),
    ]);
    const records = Object.values(stateful.resource.aws_route53_record as Resources);
    expect(records.map((r) => r.zone_id)).toEqual([hostedZoneId, hostedZoneId, hostedZoneId]);
  });

  it('serves thumbnails and sign-in returns at the custom domain', () => {
    const url = `https://${domainName}`;
    expect(stateful.output['delivery-url'].value).toBe(url);
    const client = Object.values(stateful.resource.aws_cognito_user_pool_client as Resources)[0]!;
    expect(client.callback_urls).toContain(`${url}/`);
    const imageFunctions = stacks
      .flatMap((s) => Object.values((s.json.resource?.aws_lambda_function ?? {}) as Resources))
      .filter((f) => f.environment.variables.IMAGE_DELIVERY_URL !== undefined);
    expect(imageFunctions.length).toBeGreaterThan(0);
    for (const f of imageFunctions) expect(f.environment.variables.IMAGE_DELIVERY_URL).toBe(url);
  });
});
