import { Testing } from 'cdktf';
import { resources } from '../../test/fixtures.js';
import { QueueWithDlq } from './queue-with-dlq.js';

describe('QueueWithDlq', () => {
  it('encrypts both queues, redrives after 3 receives, and sets visibility to 6x the consumer timeout', () => {
    const synthesized = Testing.synthScope(
      (scope) =>
        new QueueWithDlq(scope, 'likes', { queueName: 'snapstack-test-likes', consumerTimeoutSeconds: 30 }),
    );
    const queues = resources(synthesized, 'aws_sqs_queue');
    const main = queues.find((q) => q.name === 'snapstack-test-likes')!;
    const dlq = queues.find((q) => q.name === 'snapstack-test-likes-dlq')!;
    expect(main.sqs_managed_sse_enabled).toBe(true);
    expect(dlq.sqs_managed_sse_enabled).toBe(true);
    expect(main.visibility_timeout_seconds).toBe(180);
    expect(JSON.parse(main.redrive_policy)).toEqual({
      deadLetterTargetArn: expect.stringMatching(/^\$\{aws_sqs_queue\..*dlq.*\.arn\}$/),
      maxReceiveCount: 3,
    });
    const [allow] = resources(synthesized, 'aws_sqs_queue_redrive_allow_policy');
    expect(JSON.parse(allow!.redrive_allow_policy).redrivePermission).toBe('byQueue');
  });

  it('refuses a visibility timeout under 6x the consumer timeout', () => {
    expect(() =>
      Testing.synthScope(
        (scope) =>
          new QueueWithDlq(scope, 'q', {
            queueName: 'q',
            consumerTimeoutSeconds: 30,
            visibilityTimeoutSeconds: 179,
          }),
      ),
    ).toThrow(/under 6x/);
  });
});
