/**
 * SqsWorker: connects a NodeFunction to a queue — an event source mapping that reports partial
 * batch failures (`ReportBatchItemFailures`, so one bad message is retried alone and then goes
 * to the DLQ) and the three consumer actions on that queue only.
 *
 * @example
 * new SqsWorker(this, 'likes-worker', { fn: worker, queueArn, queueVisibilityTimeoutSeconds: 180 });
 */
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { Construct } from 'constructs';
import { SQS_CONSUMER_ACTIONS, sqsStatement } from '../iam/grants.js';
import type { NodeFunction } from './node-function.js';
import { VISIBILITY_TO_TIMEOUT_RATIO } from './queue-with-dlq.js';

export interface SqsWorkerProps {
  readonly fn: NodeFunction;
  readonly queueArn: string;
  /** The queue's visibility timeout, checked against the function's timeout. */
  readonly queueVisibilityTimeoutSeconds: number;
  readonly batchSize?: number;
  /** The function answers `batchItemFailures` (default true): only failed records are retried. */
  readonly reportBatchItemFailures?: boolean;
  readonly maximumBatchingWindowSeconds?: number;
  /** Caps concurrent invocations from this queue (2-1000). */
  readonly maximumConcurrency?: number;
}

export class SqsWorker extends Construct {
  public readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: SqsWorkerProps) {
    super(scope, id);
    const { fn } = props;
    if (props.queueVisibilityTimeoutSeconds < VISIBILITY_TO_TIMEOUT_RATIO * fn.timeoutSeconds) {
      throw new Error(
        `queue visibility ${props.queueVisibilityTimeoutSeconds}s is under ${VISIBILITY_TO_TIMEOUT_RATIO}x the worker timeout ${fn.timeoutSeconds}s`,
      );
    }
    fn.grant(sqsStatement(props.queueArn, SQS_CONSUMER_ACTIONS));
    this.mapping = new LambdaEventSourceMapping(this, 'mapping', {
      eventSourceArn: props.queueArn,
      functionName: fn.arn,
      batchSize: props.batchSize ?? 10,
      maximumBatchingWindowInSeconds: props.maximumBatchingWindowSeconds ?? 1,
      ...(props.reportBatchItemFailures === false
        ? {}
        : { functionResponseTypes: ['ReportBatchItemFailures'] }),
      ...(props.maximumConcurrency
        ? { scalingConfig: { maximumConcurrency: props.maximumConcurrency } }
        : {}),
      // The mapping is validated against the role's SQS permissions at creation.
      dependsOn: [fn.role, fn.policy],
    });
  }
}
