import { type RouteDefinition, routes } from '@snapstack/domain/routes';
import { Testing } from 'cdktf';
import { STAGES } from '../src/config.js';
import { QueueWithDlq } from '../src/constructs/queue-with-dlq.js';
import { SecureBucket } from '../src/constructs/secure-bucket.js';
import { arnProblems, policyArns, stackPolicies } from './arn-rules.js';
import { checkStage } from './policy-rules.js';
import { stacksOf, type TerraformJson } from './synthesized.js';

const clone = <T>(v: T): T => structuredClone(v);
const devStacks = () => clone(stacksOf('dev')).map(({ name, json }) => ({ name, json }));
const stackNamed = (stacks: { name: string; json: TerraformJson }[], suffix: string) =>
  stacks.find((s) => s.name.endsWith(suffix))!.json;
const firstOf = (json: TerraformJson, type: string): TerraformJson =>
  Object.values(json.resource[type])[0] as TerraformJson;
const keysOf = (json: TerraformJson, type: string): string[] => Object.keys(json.resource[type]);

/** A stack holding only a bucket and a queue, so each mutation below breaks exactly one of them. */
function bucketAndQueueStack(): { name: string; json: TerraformJson } {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      new SecureBucket(scope, 'images', { bucketName: 'snapstack-test-images' });
      new QueueWithDlq(scope, 'likes', { queueName: 'snapstack-test-likes', consumerTimeoutSeconds: 10 });
    }),
  );
  return { name: 'synthetic', json };
}

function editPolicy(json: TerraformJson, type: string, edit: (doc: TerraformJson) => void): void {
  const res = firstOf(json, type);
  const doc = JSON.parse(res.policy);
  edit(doc);
  res.policy = JSON.stringify(doc);
}

describe('policy over the synthesized Terraform', () => {
  it.each(STAGES)('passes every rule for %s', (stage) => {
    const stacks = stacksOf(stage);
    expect(stacks.length).toBeGreaterThanOrEqual(4);
    expect(checkStage(stage, stacks, routes)).toEqual([]);
  });

  it.each(STAGES)('names only ARNs IAM accepts in every policy of %s', (stage) => {
    const stacks = stacksOf(stage);
    const arns = stacks.flatMap((s) =>
      stackPolicies(s.json).flatMap(({ policy }) =>
        typeof policy === 'string' ? policyArns(JSON.parse(policy)) : [],
      ),
    );
    // The deploy role's, the functions' and the buckets' policies at least: not a vacuous pass.
    expect(arns.length).toBeGreaterThan(50);
    expect(arnProblems(stacks)).toEqual([]);
  });

  it('passes for a bucket and a queue built by the constructs', () => {
    expect(checkStage('dev', [bucketAndQueueStack()], [])).toEqual([]);
  });

  type Mutation = readonly [string, (stacks: { name: string; json: TerraformJson }[]) => void, RegExp];
  const mutations: Mutation[] = [
    [
      'a wildcard IAM action',
      (s) =>
        editPolicy(stackNamed(s, 'service-users'), 'aws_iam_role_policy', (d) =>
          d.Statement.push({
            Effect: 'Allow',
            Action: 'dynamodb:*',
            Resource: 'arn:aws:dynamodb:eu-west-1:1:table/x',
          }),
        ),
      /wildcard IAM action "dynamodb:\*"/,
    ],
    [
      'Resource "*" outside the justified list',
      (s) =>
        editPolicy(stackNamed(s, 'service-users'), 'aws_iam_role_policy', (d) =>
          d.Statement.push({ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: '*' }),
        ),
      /Resource "\*" for dynamodb:GetItem/,
    ],
    [
      'a bucket without public-access block',
      (s) => delete s[0]!.json.resource.aws_s3_bucket_public_access_block,
      /no complete public access block/,
    ],
    [
      'a bucket without encryption',
      (s) => delete s[0]!.json.resource.aws_s3_bucket_server_side_encryption_configuration,
      /no default encryption/,
    ],
    [
      'a bucket without TLS-only policy',
      (s) => delete s[0]!.json.resource.aws_s3_bucket_policy,
      /denying non-TLS/,
    ],
    [
      'a queue without encryption',
      (s) => {
        for (const q of Object.values(s[0]!.json.resource.aws_sqs_queue) as TerraformJson[])
          q.sqs_managed_sse_enabled = false;
      },
      /no encryption/,
    ],
    [
      'a queue without DLQ',
      (s) => {
        for (const q of Object.values(s[0]!.json.resource.aws_sqs_queue) as TerraformJson[])
          delete q.redrive_policy;
      },
      /no dead-letter queue/,
    ],
  ];
  const synthetic = new Set([
    'a bucket without public-access block',
    'a bucket without encryption',
    'a bucket without TLS-only policy',
    'a queue without encryption',
    'a queue without DLQ',
  ]);

  it.each(mutations)('fails on %s', (name, mutate, expected) => {
    const stacks = synthetic.has(name) ? [bucketAndQueueStack()] : devStacks();
    mutate(stacks);
    const problems = checkStage('dev', stacks, synthetic.has(name) ? [] : routes);
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  it('accepts a queue without DLQ only while it is a Lambda on-failure destination', () => {
    expect(checkStage('dev', devStacks(), routes)).toEqual([]);
    const stacks = devStacks();
    const thumbnailer = stackNamed(stacks, 'service-thumbnailer');
    delete thumbnailer.resource.aws_lambda_function_event_invoke_config;
    expect(checkStage('dev', stacks, routes)).toEqual([
      expect.stringMatching(/aws_sqs_queue\.queue-thumbnailer-failures: no dead-letter queue/),
    ]);
  });

  it('fails on a table without encryption or PITR, and without deletion protection in prod', () => {
    const stacks = devStacks();
    const table = firstOf(stackNamed(stacks, 'stateful'), 'aws_dynamodb_table');
    table.server_side_encryption.enabled = false;
    table.point_in_time_recovery.enabled = false;
    const problems = checkStage('prod', stacks, routes);
    const tableCount = Object.keys(stackNamed(stacks, 'stateful').resource.aws_dynamodb_table).length;
    expect(
      problems.filter((p) => /no server-side encryption|no point-in-time recovery/.test(p)),
    ).toHaveLength(2);
    // dev's tables have no deletion protection: under prod's rules every one of them fails.
    expect(problems.filter((p) => p.includes('no deletion protection in prod'))).toHaveLength(tableCount);
  });

  it('fails on a function sharing a role or without log retention', () => {
    const stacks = devStacks();
    const service = stackNamed(stacks, 'service-users');
    const [a, b] = keysOf(service, 'aws_lambda_function');
    service.resource.aws_lambda_function[b!].role = service.resource.aws_lambda_function[a!].role;
    for (const g of Object.values(service.resource.aws_cloudwatch_log_group) as TerraformJson[])
      delete g.retention_in_days;
    const problems = checkStage('dev', stacks, routes);
    expect(problems.filter((p) => p.includes('does not have a role of its own'))).toHaveLength(2);
    expect(problems.some((p) => p.includes('no log group with retention'))).toBe(true);
  });

  it('fails on an API stage without throttling or access logs', () => {
    const stacks = devStacks();
    const api = stackNamed(stacks, '-api');
    delete firstOf(api, 'aws_api_gateway_stage').access_log_settings;
    for (const m of Object.values(api.resource.aws_api_gateway_method_settings) as TerraformJson[])
      delete m.settings.throttling_rate_limit;
    const problems = checkStage('dev', stacks, routes);
    expect(problems.some((p) => p.includes('no access logging'))).toBe(true);
    expect(problems.some((p) => p.includes('no stage-wide throttling'))).toBe(true);
  });

  const methodOf = (stacks: { name: string; json: TerraformJson }[], httpMethod: string, key: string) => {
    const api = stackNamed(stacks, '-api');
    const name = Object.keys(api.resource.aws_api_gateway_method).find(
      (k) => api.resource.aws_api_gateway_method[k].http_method === httpMethod && k.includes(key),
    )!;
    return api.resource.aws_api_gateway_method[name] as TerraformJson;
  };

  it.each([
    [
      'a jwt route without the authorizer',
      'POST',
      'users_id_likes',
      (m: TerraformJson) => {
        m.authorization = 'NONE';
        delete m.authorizer_id;
      },
      /POST \/users\/\{id\}\/likes is a jwt route without the Lambda authorizer/,
    ],
    [
      'an apiKey route without the key',
      'GET',
      'metadata_image_id',
      (m: TerraformJson) => {
        m.api_key_required = false;
      },
      /GET \/metadata\/\{image_id\} api_key_required does not match auth apiKey/,
    ],
  ] as const)('fails on %s', (_name, httpMethod, key, mutate, expected) => {
    const stacks = devStacks();
    mutate(methodOf(stacks, httpMethod, key));
    expect(checkStage('dev', stacks, routes)).toEqual([expect.stringMatching(expected)]);
  });

  it('fails on an SQS route whose integration passes unmapped bodies through', () => {
    const stacks = devStacks();
    const api = stackNamed(stacks, '-api');
    for (const i of Object.values(api.resource.aws_api_gateway_integration) as TerraformJson[])
      if (i.type === 'AWS') i.passthrough_behavior = 'WHEN_NO_MATCH';
    const problems = checkStage('dev', stacks, routes);
    expect(problems).toHaveLength(routes.filter((r) => r.integration.kind === 'sqsSendMessage').length);
    for (const p of problems) expect(p).toMatch(/likes is not an SQS service integration/);
  });

  it('fails on a route with no API Gateway method', () => {
    const extra: RouteDefinition = {
      method: 'PUT',
      path: '/users/{id}',
      auth: { kind: 'none' },
      integration: { kind: 'lambda', function: 'patchUser' },
    };
    const problems = checkStage('dev', devStacks(), [...routes, extra]);
    expect(problems).toEqual([expect.stringContaining('route PUT /users/{id} has no API Gateway method')]);
  });

  it('fails on a method with no route', () => {
    const problems = checkStage(
      'dev',
      devStacks(),
      routes.filter((r) => !(r.method === 'DELETE' && r.path === '/users/{id}')),
    );
    expect(problems).toEqual([expect.stringContaining('method DELETE /users/{id} has no route')]);
  });
});
