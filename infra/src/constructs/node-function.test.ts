import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js';
import { Testing } from 'cdktf';
import { fakeZip, onlyPolicy } from '../../test/fixtures.js';
import { dynamoDbStatement } from '../iam/grants.js';
import { NodeFunction, type NodeFunctionProps } from './node-function.js';

const props = (): NodeFunctionProps => ({
  functionName: 'snapstack-test-getUser',
  description: 'GET /users/{id}',
  zipFile: fakeZip(),
  memoryMb: 256,
  timeoutSeconds: 10,
  layerArns: ['arn:aws:lambda:eu-west-1:123456789012:layer:snapstack-test-domain:1'],
  environment: { USERS_TABLE: 'snapstack-test-users' },
  logRetentionDays: 7,
});

describe('NodeFunction', () => {
  it('runs the bundle on nodejs22.x/arm64 with the layer, tracing and its environment', () => {
    const synthesized = Testing.synthScope((scope) => new NodeFunction(scope, 'fn', props()));
    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'snapstack-test-getUser',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 256,
      timeout: 10,
      layers: ['arn:aws:lambda:eu-west-1:123456789012:layer:snapstack-test-domain:1'],
      tracing_config: { mode: 'Active' },
      environment: { variables: { USERS_TABLE: 'snapstack-test-users' } },
    });
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/lambda/snapstack-test-getUser',
      retention_in_days: 7,
    });
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: 'snapstack-test-getUser' });
  });

  it('gives its own role only its log streams, X-Ray and what was granted', () => {
    const synthesized = Testing.synthScope((scope) => {
      const fn = new NodeFunction(scope, 'fn', props());
      fn.grant(
        dynamoDbStatement({ arn: 'arn:aws:dynamodb:eu-west-1:1:table/t', indexNames: [] }, ['GetItem']),
      );
    });
    const policy = onlyPolicy(synthesized);
    expect(policy.Statement.map((s: { Action: string[] }) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      ['dynamodb:GetItem'],
    ]);
    expect(policy.Statement[0].Resource).toMatch(/^\$\{aws_cloudwatch_log_group\..+\.arn\}:log-stream:\*$/);
    expect(policy.Statement[2].Resource).toBe('arn:aws:dynamodb:eu-west-1:1:table/t');
  });

  it('refuses a wildcard grant', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new NodeFunction(scope, 'fn', props()).grant({ actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] });
      }),
    ).toThrow(/wildcard IAM action "s3:\*"/);
  });

  it('configures async retries with an SQS on-failure destination it may send to', () => {
    const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:snapstack-test-thumbnail-failures';
    const synthesized = Testing.synthScope(
      (scope) =>
        new NodeFunction(scope, 'fn', {
          ...props(),
          reservedConcurrency: 5,
          asyncInvoke: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600, onFailureQueueArn: queueArn },
        }),
    );
    expect(synthesized).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
      destination_config: { on_failure: { destination: queueArn } },
    });
    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, { reserved_concurrent_executions: 5 });
    const policy = onlyPolicy(synthesized);
    expect(policy.Statement).toContainEqual({
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: queueArn,
    });
  });

  it('rejects more than two async retries (Lambda allows 0-2)', () => {
    expect(() =>
      Testing.synthScope(
        (scope) =>
          new NodeFunction(scope, 'fn', {
            ...props(),
            asyncInvoke: {
              maximumRetryAttempts: 3,
              maximumEventAgeSeconds: 60,
              onFailureQueueArn: 'arn:aws:sqs:r:1:q',
            },
          }),
      ),
    ).toThrow(/0-2/);
  });
});
