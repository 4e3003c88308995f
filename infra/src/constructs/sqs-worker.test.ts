import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { Testing } from 'cdktf';
import { fakeZip, onlyPolicy } from '../../test/fixtures.js';
import { NodeFunction } from './node-function.js';
import { QueueWithDlq } from './queue-with-dlq.js';
import { SqsWorker } from './sqs-worker.js';

const worker = (scope: import('constructs').Construct, timeoutSeconds = 20) =>
  new NodeFunction(scope, 'worker', {
    functionName: 'snapstack-test-likesWorker',
    description: 'likes worker',
    zipFile: fakeZip(),
    memoryMb: 256,
    timeoutSeconds,
    layerArns: [],
    environment: {},
    logRetentionDays: 7,
  });

describe('SqsWorker', () => {
  it('maps the queue to the function with partial batch failures and the consumer actions only', () => {
    const synthesized = Testing.synthScope((scope) => {
      const fn = worker(scope);
      const queue = new QueueWithDlq(scope, 'likes', {
        queueName: 'snapstack-test-likes',
        consumerTimeoutSeconds: fn.timeoutSeconds,
      });
      new SqsWorker(scope, 'likes-worker', {
        fn,
        queueArn: queue.arn,
        queueVisibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      });
    });
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      function_response_types: ['ReportBatchItemFailures'],
      batch_size: 10,
    });
    const policy = onlyPolicy(synthesized);
    expect(policy.Statement).toContainEqual({
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
      Resource: expect.stringMatching(/^\$\{aws_sqs_queue\.likes_queue_.+\.arn\}$/),
    });
  });

  it('refuses a queue whose visibility is under 6x the worker timeout', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new SqsWorker(scope, 'w', {
          fn: worker(scope, 30),
          queueArn: 'arn:aws:sqs:r:1:q',
          queueVisibilityTimeoutSeconds: 30,
        });
      }),
    ).toThrow(/under 6x/);
  });
});
