/**
 * SQS queue definitions: the local runner creates queues from these and infra declares them
 * from these, so visibility timeouts and redrive policies cannot drift.
 *
 * @example
 * resourceName('dev', queues.likes.id) // "snapstack-dev-likes"
 */

export interface DeadLetterPolicy {
  /** The queue (by id, a key of `queues`) that receives messages after `maxReceiveCount` receives. */
  readonly queue: string;
  readonly maxReceiveCount: number;
}

export interface QueueDefinition {
  /** Logical name; the physical name is `resourceName(stage, id)`. */
  readonly id: string;
  /** The environment variable through which functions receive the queue URL. */
  readonly envVar: string;
  /**
   * How long a received message stays invisible. AWS requires it to be at least the
   * consuming function's timeout; 6x is AWS's recommendation for event source mappings.
   */
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly deadLetter?: DeadLetterPolicy;
}

export const queues = {
  /** Like/unlike requests, sent by API Gateway, consumed by the likes worker. */
  likes: {
    id: 'likes',
    envVar: 'LIKES_QUEUE_URL',
    visibilityTimeoutSeconds: 180,
    messageRetentionSeconds: 4 * 24 * 3600,
    deadLetter: { queue: 'likes-dlq', maxReceiveCount: 3 },
  },
  /** Where likes that failed `maxReceiveCount` times wait for an operator (`pnpm redrive`). */
  'likes-dlq': {
    id: 'likes-dlq',
    envVar: 'LIKES_DLQ_URL',
    visibilityTimeoutSeconds: 30,
    // Longer than the source queue's: AWS keeps a message's original enqueue time in the DLQ.
    messageRetentionSeconds: 14 * 24 * 3600,
  },
  /**
   * The thumbnailer's asynchronous on-failure destination (`functions.thumbnailer.asyncInvoke`):
   * Lambda sends the S3 events it gave up on here, after its own retries. It is a dead-letter
   * queue in all but name, read by an operator, so it has no DLQ of its own (a redrive would move
   * messages that an operator merely looked at too often).
   */
  'thumbnailer-failures': {
    id: 'thumbnailer-failures',
    envVar: 'THUMBNAILER_FAILURES_QUEUE_URL',
    visibilityTimeoutSeconds: 30,
    messageRetentionSeconds: 14 * 24 * 3600,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueId = keyof typeof queues;

/** The queue a dead-letter queue serves, for redrive: `likes-dlq` -> `likes`. */
export function redriveSources(): ReadonlyArray<{ readonly source: QueueId; readonly deadLetter: QueueId }> {
  return (Object.entries(queues) as Array<[QueueId, QueueDefinition]>).flatMap(([source, q]) =>
    q.deadLetter ? [{ source, deadLetter: q.deadLetter.queue as QueueId }] : [],
  );
}
