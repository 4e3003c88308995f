/**
 * Moves every message of a dead-letter queue back to its source queue: receive a batch from
 * the DLQ, send it to the source, delete from the DLQ only what the source accepted. A crash
 * between send and delete can repeat a message, never lose one (consumers are idempotent).
 * The same calls work on the local emulator and on real SQS.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface RedriveOptions {
  /** Long-poll wait per receive: real SQS may answer a short poll empty while messages exist. */
  readonly waitTimeSeconds?: number;
  /** How long received DLQ messages stay hidden while being moved. */
  readonly visibilityTimeoutSeconds?: number;
}

export interface RedriveResult {
  readonly moved: number;
  /** Messages the source queue refused; they reappear in the DLQ after the visibility timeout. */
  readonly failed: number;
}

export async function redrive(
  client: SQSClient,
  deadLetterQueueUrl: string,
  sourceQueueUrl: string,
  { waitTimeSeconds = 2, visibilityTimeoutSeconds = 60 }: RedriveOptions = {},
): Promise<RedriveResult> {
  let moved = 0;
  let failed = 0;
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitTimeSeconds,
        VisibilityTimeout: visibilityTimeoutSeconds,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return { moved, failed };
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceQueueUrl,
        Entries: Messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0
            ? { MessageAttributes: m.MessageAttributes }
            : {}),
        })),
      }),
    );
    failed += sent.Failed?.length ?? 0;
    const accepted = (sent.Successful ?? [])
      .map((s) => Messages[Number(s.Id)])
      .filter((m) => m !== undefined);
    if (accepted.length > 0) {
      const deleted = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetterQueueUrl,
          Entries: accepted.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      moved += accepted.length - (deleted.Failed?.length ?? 0);
    }
  }
}
