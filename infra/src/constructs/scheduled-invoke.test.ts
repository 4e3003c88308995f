import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { Testing } from 'cdktf';
import { expectResource, fakeZip, policyOf, resources } from '../../test/fixtures.js';
import { NodeFunction } from './node-function.js';
import { rateExpression, ScheduledInvoke } from './scheduled-invoke.js';

const synth = (everyMinutes: number) =>
  Testing.synthScope((scope) => {
    const fn = new NodeFunction(scope, 'sweeper', {
      functionName: 'snapstack-test-sweepPending',
      description: 'sweeps',
      zipFile: fakeZip(),
      memoryMb: 256,
      timeoutSeconds: 60,
      layerArns: [],
      environment: {},
      logRetentionDays: 7,
    });
    new ScheduledInvoke(scope, 'sweep', {
      fn,
      name: 'snapstack-test-sweepPending',
      everyMinutes,
      region: 'eu-west-1',
    });
  });

describe('ScheduledInvoke', () => {
  it('invokes the function on a rate schedule, without retries, with a role of its own', () => {
    const synthesized = synth(15);
    expectResource(synthesized, SchedulerSchedule, {
      name: 'snapstack-test-sweepPending',
      schedule_expression: 'rate(15 minutes)',
      flexible_time_window: { mode: 'OFF' },
      target: {
        arn: expect.stringMatching(/^\$\{aws_lambda_function\.sweeper_function_.+\.arn\}$/),
        role_arn: expect.stringMatching(/^\$\{aws_iam_role\.sweep_role_.+\.arn\}$/),
        retry_policy: { maximum_retry_attempts: 0 },
      },
    });
  });

  it('lets its role do exactly lambda:InvokeFunction on that one function, assumed only by Scheduler for this schedule', () => {
    const synthesized = synth(15);
    const role = resources(synthesized, IamRole.tfResourceType).find(
      (r) => r.name === 'snapstack-test-sweepPending-schedule',
    );
    expect(JSON.parse(role!.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            ArnLike: {
              'aws:SourceArn': 'arn:aws:scheduler:eu-west-1:*:schedule/default/snapstack-test-sweepPending',
            },
          },
        },
      ],
    });
    const invokePolicy = policyOf(synthesized).find((p) =>
      p.Statement.some((s: { Action: string[] }) => s.Action.includes('lambda:InvokeFunction')),
    );
    expect(invokePolicy?.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: expect.stringMatching(/^\$\{aws_lambda_function\.sweeper_function_.+\.arn\}$/),
      },
    ]);
  });

  it.each([
    [1, 'rate(1 minute)'],
    [15, 'rate(15 minutes)'],
  ])('writes %i minute(s) as %s', (minutes, expression) => {
    expect(rateExpression(minutes)).toBe(expression);
  });

  it.each([0, 1.5])('refuses a period of %s minutes', (minutes) => {
    expect(() => rateExpression(minutes)).toThrow(/whole minutes/);
  });
});
