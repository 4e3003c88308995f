/**
 * The stages are derived from the domain, not retyped: every catalog function is deployed once
 * with exactly its catalog access, every table exists, and every route reaches its function.
 */

import { apiSettings, corsOrigins } from '@snapstack/domain/api-settings';
import { buckets } from '@snapstack/domain/buckets';
import { CORS_ORIGINS_ENV } from '@snapstack/domain/cors';
import { type FunctionDefinition, functions } from '@snapstack/domain/functions';
import { AUTH_ISSUERS_ENV } from '@snapstack/domain/issuers';
import { parameterName, parametersExtension } from '@snapstack/domain/parameters';
import { queues } from '@snapstack/domain/queues';
import { routes } from '@snapstack/domain/routes';
import { renderSqsIntegration } from '@snapstack/domain/sqs-integration';
import { tables } from '@snapstack/domain/tables';
import { PARAMETERS_EXTENSION_LAYERS, parametersExtensionLayer, STAGES, stageConfig } from '../src/config.js';
import { stacksOf, type TerraformJson } from './synthesized.js';

const all = <T = TerraformJson>(stacks: { json: TerraformJson }[], type: string): [string, T][] =>
  stacks.flatMap((s) => Object.entries((s.json.resource?.[type] ?? {}) as Record<string, T>));

describe.each(STAGES)('stage %s', (stage) => {
  const stacks = stacksOf(stage);
  const config = stageConfig(stage);

  it('has the bootstrap, stateful, api and web stacks and one stack per service package', () => {
    const packages = [...new Set(Object.values(functions).map((f: FunctionDefinition) => f.package))];
    expect(stacks.map((s) => s.name).sort()).toEqual(
      [
        `snapstack-${stage}-api`,
        `snapstack-${stage}-web`,
        `snapstack-${stage}-bootstrap`,
        `snapstack-${stage}-stateful`,
        ...packages.map((p) => `snapstack-${stage}-service-${p}`),
      ].sort(),
    );
  });

  it('declares every domain table', () => {
    const names = all(stacks, 'aws_dynamodb_table').map(([, t]) => t.name);
    expect(names.sort()).toEqual(
      Object.values(tables)
        .map((t) => `snapstack-${stage}-${t.id}`)
        .sort(),
    );
  });

  it.each(Object.keys(functions))(
    'deploys %s once, with exactly its catalog access and its table names',
    (id) => {
      const fn: FunctionDefinition = functions[id as keyof typeof functions];
      const service = stacks.find((s) => s.name === `snapstack-${stage}-service-${fn.package}`)!;
      const deployed = all(stacks, 'aws_lambda_function').filter(
        ([, f]) => f.function_name === `snapstack-${stage}-${id}`,
      );
      expect(deployed).toHaveLength(1);
      const [, lambda] = deployed[0]!;
      expect(lambda.timeout).toBe(fn.timeoutSeconds);
      expect(lambda.memory_size).toBe(Math.max(128, Math.round(fn.memoryMb * config.memoryScale)));
      for (const tableId of Object.keys({ ...fn.access.dynamodb, ...fn.access.dynamodbIndexes })) {
        expect(lambda.environment.variables[tables[tableId as keyof typeof tables].envVar]).toMatch(
          /remote_state/,
        );
      }
      const roleKey = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(lambda.role)![1]!;
      const [[, policy]] = all(
        stacks.filter((s) => s === service),
        'aws_iam_role_policy',
      ).filter(([, p]) => p.role === `\${aws_iam_role.${roleKey}.id}`) as [[string, TerraformJson]];
      const granted = (JSON.parse(policy.policy).Statement as { Action: string[] }[])
        .flatMap((st) => st.Action)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
      const expected = [
        ...Object.values(fn.access.dynamodb ?? {}).flatMap((actions) =>
          (actions ?? []).map((a) => `dynamodb:${a}`),
        ),
        ...Object.values(fn.access.dynamodbIndexes ?? {}).flatMap((indexes) =>
          Object.values(indexes ?? {}).flatMap((actions) =>
            ((actions ?? []) as readonly string[]).map((a) => `dynamodb:${a}`),
          ),
        ),
      ].sort();
      expect(granted).toEqual(expected);
      // An index read is granted on that index's ARN alone, never on the table's other indexes.
      const statements = JSON.parse(policy.policy).Statement as {
        Action: string[];
        Resource: string | string[];
      }[];
      const indexResources = statements
        .filter((st) => st.Action.some((a) => a.startsWith('dynamodb:')))
        .flatMap((st) => [st.Resource].flat())
        .filter((r) => r.includes('/index/'))
        .map((r) => r.replace(/^.*\/index\//, ''))
        .sort();
      expect(indexResources).toEqual(
        Object.values(fn.access.dynamodbIndexes ?? {})
          .flatMap((indexes) => Object.keys(indexes ?? {}))
          .sort(),
      );
    },
  );

  const lambdaNamed = (id: string): TerraformJson =>
    all(stacks, 'aws_lambda_function').find(([, f]) => f.function_name === `snapstack-${stage}-${id}`)![1];
  const policyOf = (id: string): { Action: string[]; Resource: string | string[]; Condition?: unknown }[] => {
    const fn: FunctionDefinition = functions[id as keyof typeof functions];
    const service = stacks.find((s) => s.name === `snapstack-${stage}-service-${fn.package}`)!;
    const roleKey = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(lambdaNamed(id).role)![1]!;
    const [, policy] = all(
      stacks.filter((s) => s === service),
      'aws_iam_role_policy',
    ).find(([, p]) => p.role === `\${aws_iam_role.${roleKey}.id}`)!;
    return JSON.parse(policy.policy).Statement;
  };

  it.each(Object.keys(functions))('grants %s exactly its catalog S3, SQS and SSM access', (id) => {
    const fn: FunctionDefinition = functions[id as keyof typeof functions];
    const granted = policyOf(id)
      .flatMap((st) => st.Action)
      .filter((a) => /^(s3|sqs|ssm):/.test(a))
      .sort();
    const expected = [
      ...Object.values(fn.access.s3 ?? {}).flatMap((grants) => (grants ?? []).flatMap((g) => g.actions)),
      ...Object.values(fn.access.sqs ?? {}).flatMap((actions) => (actions ?? []).map((a) => `sqs:${a}`)),
      ...Object.values(fn.access.ssm ?? {}).flatMap((actions) => (actions ?? []).map((a) => `ssm:${a}`)),
      // Lambda delivers failed async events to the destination with the function's own role.
      ...(fn.asyncInvoke ? ['sqs:SendMessage'] : []),
    ].sort();
    expect(granted).toEqual(expected);
    for (const st of policyOf(id).filter((x) => x.Action.some((a) => a.startsWith('s3:')))) {
      // ListBucket is granted on the bucket itself, narrowed to a prefix by condition.
      if (st.Action.includes('s3:ListBucket')) {
        expect(st.Action).toEqual(['s3:ListBucket']);
        expect(st.Resource).toMatch(/outputs\.[^}]+arn\}$/);
        expect(st.Condition).toMatchObject({
          StringLike: { 's3:prefix': [expect.stringMatching(/^(uploads|thumbnails)\/\*$/)] },
        });
      } else expect(st.Resource).toMatch(/outputs\.[^}]+arn\}\/(uploads|thumbnails)\/\*$/);
    }
  });

  it('lets sweepPending invoke exactly the thumbnailer, by name and ARN, on its catalog schedule', () => {
    const [thumbnailerKey] = all(stacks, 'aws_lambda_function').find(
      ([, f]) => f.function_name === `snapstack-${stage}-thumbnailer`,
    )!;
    const invokes = policyOf('sweepPending').filter((st) => st.Action.some((a) => a.startsWith('lambda:')));
    expect(invokes).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: `\${aws_lambda_function.${thumbnailerKey}.arn}`,
      },
    ]);
    expect(lambdaNamed('sweepPending').environment.variables.THUMBNAILER_FUNCTION_NAME).toBe(
      `snapstack-${stage}-thumbnailer`,
    );
    const scheduled = Object.entries(functions).filter(([, f]) => (f as FunctionDefinition).schedule);
    const schedules = all(stacks, 'aws_scheduler_schedule').map(([, s]) => s);
    expect(schedules.map((s) => s.name).sort()).toEqual(
      scheduled.map(([id]) => `snapstack-${stage}-${id}`).sort(),
    );
    const [sweeperKey] = all(stacks, 'aws_lambda_function').find(
      ([, f]) => f.function_name === `snapstack-${stage}-sweepPending`,
    )!;
    expect(schedules[0]).toMatchObject({
      schedule_expression: `rate(${functions.sweepPending.schedule.everyMinutes} minutes)`,
      target: { arn: `\${aws_lambda_function.${sweeperKey}.arn}` },
    });
  });

  it('gives every function the environment its config reads, and nothing it cannot use', () => {
    for (const id of Object.keys(functions)) {
      const env = lambdaNamed(id).environment.variables as Record<string, string>;
      const fn: FunctionDefinition = functions[id as keyof typeof functions];
      const serves = routes.some((r) => r.integration.kind === 'lambda' && r.integration.function === id);
      // The distribution's origin (from the stateful stack) first, then the stage's own list.
      const [webApp, ...listed] = env[CORS_ORIGINS_ENV]?.split(',') ?? [];
      expect(env[CORS_ORIGINS_ENV] !== undefined, id).toBe(serves);
      if (serves) {
        expect(webApp, id).toMatch(/^https:\/\/\$\{data\.terraform_remote_state\.[^}]+\}$/);
        expect(listed, id).toEqual(corsOrigins(stage));
      }
      for (const b of Object.keys(fn.access.s3 ?? {}))
        expect(env[buckets[b as keyof typeof buckets].envVar], id).toMatch(/remote_state/);
    }
    // Every users handler loads the package config, which reads the users table at cold start.
    expect(lambdaNamed('listUsers').environment.variables.USERS_TABLE).toMatch(/remote_state/);
    // getMetadata has no S3 access but shares metadata-api's config, which reads the bucket name.
    expect(lambdaNamed('getMetadata').environment.variables.IMAGES_BUCKET).toMatch(/remote_state/);
    const authorizer = lambdaNamed(apiSettings.authorizer.function).environment.variables;
    expect(authorizer).toMatchObject({
      AUTH_JWT_SECRET_PARAMETER: parameterName(stage, 'jwtSecret'),
    });
    expect(JSON.parse(authorizer[AUTH_ISSUERS_ENV])).toContainEqual({
      kind: 'sharedSecret',
      issuer: apiSettings.authorizer.sharedSecret.issuer,
      audience: apiSettings.authorizer.sharedSecret.audience,
    });
    const [ssm] = policyOf('authorizer').filter((st) => st.Action.includes('ssm:GetParameter'));
    expect(ssm!.Resource).toBe(
      `arn:aws:ssm:${config.region}:\${data.aws_arn.stage-account.account}:parameter${parameterName(stage, 'jwtSecret')}`,
    );
    // The account is parsed from the stage's layer ARN (the stateful stack's output): 12 digits.
    const authorizerStack = stacks.find((s) => s.name === `snapstack-${stage}-service-authorizer`)!;
    expect(authorizerStack.json.data.aws_arn['stage-account'].arn).toMatch(
      /^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]*layer[^}]*\}$/,
    );
  });

  it('attaches the Parameters and Secrets extension to exactly the functions that read parameters, and no domain layer', () => {
    for (const id of Object.keys(functions)) {
      const fn: FunctionDefinition = functions[id as keyof typeof functions];
      const reads = fn.access.ssm !== undefined;
      const lambda = lambdaNamed(id);
      expect(lambda.layers ?? [], id).toEqual(reads ? [parametersExtensionLayer(config.region)] : []);
      expect(lambda.environment.variables[parametersExtension.portEnvVar], id).toBe(
        reads ? String(parametersExtension.port) : undefined,
      );
    }
    expect(lambdaNamed(apiSettings.authorizer.function).layers).toEqual([
      expect.stringMatching(
        /^arn:aws:lambda:[a-z0-9-]+:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
      ),
    ]);
  });

  it('declares every domain queue (encrypted, redrive per the catalog) and bucket, with outputs', () => {
    const stateful = stacks.find((s) => s.name === `snapstack-${stage}-stateful`)!.json;
    const declared = all(stacks, 'aws_sqs_queue').map(([, q]) => q);
    expect(declared.map((q) => q.name).sort()).toEqual(
      Object.keys(queues)
        .map((id) => `snapstack-${stage}-${id}`)
        .sort(),
    );
    const likes = declared.find((q) => q.name === `snapstack-${stage}-likes`)!;
    expect(likes.visibility_timeout_seconds).toBeGreaterThanOrEqual(6 * functions.likesWorker.timeoutSeconds);
    expect(JSON.parse(likes.redrive_policy).maxReceiveCount).toBe(queues.likes.deadLetter.maxReceiveCount);
    for (const id of Object.keys(queues)) expect(stateful.output[`queue-${id}-url`]).toBeDefined();
    const bucketNames = all(stacks, 'aws_s3_bucket').map(([, b]) => b.bucket);
    for (const id of Object.keys(buckets)) {
      expect(bucketNames).toContain(`snapstack-${stage}-${id}`);
      expect(stateful.output[`bucket-${id}-name`]).toBeDefined();
    }
    const rules = all(stacks, 'aws_s3_bucket_lifecycle_configuration')
      .filter(([, l]) => String(l.bucket).includes('bucket-images'))
      .flatMap(([, l]) => l.rule as TerraformJson[]);
    const expiry = rules.find((r) => r.expiration);
    if (config.expireUploadsAfterDays === undefined) expect(expiry).toBeUndefined();
    else
      expect(expiry).toMatchObject({
        filter: [{ prefix: 'uploads/' }],
        expiration: [{ days: config.expireUploadsAfterDays }],
      });
  });

  it('connects the likes worker to its queue and the thumbnailer to the bucket and its failure queue', () => {
    const [[, mapping]] = all(stacks, 'aws_lambda_event_source_mapping') as [[string, TerraformJson]];
    expect(mapping).toMatchObject({
      batch_size: functions.likesWorker.events[0].batchSize,
      function_response_types: ['ReportBatchItemFailures'],
    });
    expect(mapping.event_source_arn).toMatch(/queue-likes_queue/);
    const [[, notification]] = all(stacks, 'aws_s3_bucket_notification') as [[string, TerraformJson]];
    expect(notification.lambda_function).toEqual([
      expect.objectContaining({ events: ['s3:ObjectCreated:*'], filter_prefix: 'uploads/' }),
    ]);
    expect(
      all(stacks, 'aws_lambda_permission').filter(([, p]) => p.principal === 's3.amazonaws.com'),
    ).toHaveLength(1);
    const [[, asyncConfig]] = all(stacks, 'aws_lambda_function_event_invoke_config') as [
      [string, TerraformJson],
    ];
    expect(asyncConfig).toMatchObject({
      maximum_retry_attempts: functions.thumbnailer.asyncInvoke.maximumRetryAttempts,
      maximum_event_age_in_seconds: functions.thumbnailer.asyncInvoke.maximumEventAgeSeconds,
    });
    expect(asyncConfig.destination_config.on_failure.destination).toMatch(/queue-thumbnailer-failures/);
    expect(lambdaNamed('thumbnailer').reserved_concurrent_executions).toBe(
      config.functionOverrides.thumbnailer?.reservedConcurrency,
    );
  });

  it('protects jwt routes with the Lambda authorizer and sends likes to SQS with a SendMessage-only role', () => {
    const [[, authorizer]] = all(stacks, 'aws_api_gateway_authorizer') as [[string, TerraformJson]];
    expect(authorizer).toMatchObject({
      type: apiSettings.authorizer.type,
      identity_source: apiSettings.authorizer.identitySource,
      authorizer_result_ttl_in_seconds: config.authorizerCacheTtlSeconds,
    });
    const methods = all(stacks, 'aws_api_gateway_method').filter(([, m]) => m.http_method !== 'OPTIONS');
    expect(methods.filter(([, m]) => m.authorization === 'CUSTOM')).toHaveLength(
      routes.filter((r) => r.auth.kind === 'jwt').length,
    );
    expect(methods.filter(([, m]) => m.authorization === 'AWS_IAM')).toEqual([]);
    const sqsRoutes = routes.filter((r) => r.integration.kind === 'sqsSendMessage');
    const services = all(stacks, 'aws_api_gateway_integration').filter(([, i]) => i.type === 'AWS');
    expect(services).toHaveLength(sqsRoutes.length);
    const templates = services.map(([, i]) => i.request_templates['application/json']).sort();
    expect(templates).toEqual(
      sqsRoutes
        .map((r) => renderSqsIntegration(r.integration as never).requestTemplates['application/json'])
        .sort(),
    );
    for (const [, i] of services) expect(i.passthrough_behavior).toBe('NEVER');
    const api = stacks.find((s) => s.name === `snapstack-${stage}-api`)!;
    const rolePolicies = all([api], 'aws_iam_role_policy').map(([, p]) => JSON.parse(p.policy).Statement);
    expect(rolePolicies).toEqual([[expect.objectContaining({ Action: ['sqs:SendMessage'] })]]);
  });

  it('integrates every lambda route with its own function', () => {
    const integrations = all(stacks, 'aws_api_gateway_integration').filter(([, i]) => i.type === 'AWS_PROXY');
    expect(integrations).toHaveLength(routes.filter((r) => r.integration.kind === 'lambda').length);
    const permissions = all(stacks, 'aws_lambda_permission');
    for (const route of routes) {
      if (route.integration.kind !== 'lambda') continue;
      const suffix = `/*/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`;
      expect(
        permissions.filter(([, p]) => String(p.source_arn).endsWith(suffix)),
        `${route.method} ${route.path}`,
      ).toHaveLength(1);
    }
  });
});

describe('parametersExtensionLayer', () => {
  it('refuses a region it has no layer for instead of deploying without the extension', () => {
    expect(Object.keys(PARAMETERS_EXTENSION_LAYERS)).toContain('eu-west-1');
    expect(() => parametersExtensionLayer('xx-nowhere-1')).toThrow(/PARAMETERS_EXTENSION_LAYERS/);
  });
});
