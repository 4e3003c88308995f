/**
 * QueueWithDlq: an SQS queue and its dead-letter queue, both encrypted (SQS managed SSE),
 * redrive after `maxReceiveCount` receives, and a visibility timeout of at least six times the
 * consumer's timeout (AWS's guidance for Lambda event sources, so a batch being retried is not
 * handed to a second invocation).
 *
 * @example
 * const likes = new QueueWithDlq(this, 'likes', { queueName: 'snapstack-dev-likes', consumerTimeoutSeconds: 30 });
 */
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js';
import { Construct } from 'constructs';

export interface QueueWithDlqProps {
  readonly queueName: string;
  /** Timeout of the Lambda consuming the queue. */
  readonly consumerTimeoutSeconds: number;
  /** Defaults to 6x the consumer timeout; a smaller value is refused. */
  readonly visibilityTimeoutSeconds?: number;
  /** Default 3. */
  readonly maxReceiveCount?: number;
  /** Default 4 days on the queue, 14 days (the maximum) on the DLQ. */
  readonly retentionSeconds?: number;
  /** Default `<queueName>-dlq`. */
  readonly deadLetterQueueName?: string;
  /** Default 14 days (the maximum). */
  readonly deadLetterRetentionSeconds?: number;
}

export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

export class QueueWithDlq extends Construct {
  public readonly queue: SqsQueue;
  public readonly deadLetterQueue: SqsQueue;
  public readonly arn: string;
  public readonly url: string;
  public readonly visibilityTimeoutSeconds: number;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const minimum = VISIBILITY_TO_TIMEOUT_RATIO * props.consumerTimeoutSeconds;
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? minimum;
    if (this.visibilityTimeoutSeconds < minimum) {
      throw new Error(
        `${props.queueName}: visibility timeout ${this.visibilityTimeoutSeconds}s is under ${VISIBILITY_TO_TIMEOUT_RATIO}x the consumer timeout (${minimum}s)`,
      );
    }
    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: props.deadLetterQueueName ?? `${props.queueName}-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: props.deadLetterRetentionSeconds ?? 14 * 24 * 3600,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      messageRetentionSeconds: props.retentionSeconds ?? 4 * 24 * 3600,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.maxReceiveCount ?? 3,
      }),
    });
    // Only this queue may use the DLQ as its dead-letter target.
    new SqsQueueRedriveAllowPolicy(this, 'dlq-allow', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });
    this.arn = this.queue.arn;
    this.url = this.queue.url;
  }
}
