/**
 * A local SQS event source mapping, as Lambda runs one: pollers long-poll the queue, hand each
 * batch to the function as an `SQSEvent`, delete the records that succeeded and leave the rest
 * to reappear after the queue's visibility timeout. Redrive to the dead-letter queue after
 * `maxReceiveCount` receives is the queue's own (its RedrivePolicy), exactly as in AWS.
 *
 * With `reportBatchItemFailures`, a response listing `batchItemFailures` fails only those
 * records; a thrown error, a timeout or a malformed response fails the whole batch (Lambda's
 * rules). Without it, any error fails the whole batch.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Invoke } from '../lambda/invoke.js';

export interface SqsEventSourceOptions {
  readonly client: SQSClient;
  /** Runs the catalog function (lambda/invoke.ts): its context, its timeout, Lambda's error shape. */
  readonly invoke: Invoke;
  readonly functionId: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
  /** Concurrent pollers, each running one batch at a time (Lambda starts with 5). */
  readonly pollers: number;
  /** Long-poll wait per ReceiveMessage, seconds (Lambda uses 20). */
  readonly waitTimeSeconds: number;
  readonly log: (line: string) => void;
}

export class SqsEventSource {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly abort = new AbortController();
  private inFlight = 0;

  constructor(private readonly options: SqsEventSourceOptions) {}

  start(): void {
    this.running = true;
    for (let i = 0; i < this.options.pollers; i++) this.loops.push(this.poll());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.all(this.loops);
  }

  /**
   * Resolves once the queue has no visible, in-flight or delayed message and no batch is
   * running: everything sent before has been applied, dropped or moved to the DLQ.
   */
  async settled(pollMs = 20): Promise<void> {
    for (;;) {
      if (this.inFlight === 0) {
        const { Attributes = {} } = await this.options.client.send(
          new GetQueueAttributesCommand({
            QueueUrl: this.options.queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        const pending = Object.values(Attributes).reduce((sum, n) => sum + Number(n), 0);
        if (pending === 0 && this.inFlight === 0) return;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async poll(): Promise<void> {
    while (this.running) {
      let messages: Message[] = [];
      try {
        const out = await this.options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: this.options.batchSize,
            WaitTimeSeconds: this.options.waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (!this.running) return;
        this.options.log(`error: receiving from ${this.options.queueUrl}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (messages.length === 0) continue;
      this.inFlight++;
      try {
        await this.deliver(messages);
      } catch (error) {
        // Whatever went wrong after the receive (a failed delete, a response that breaks the
        // reading of it), the poller lives on: records not deleted reappear after the
        // visibility timeout, as with Lambda's pollers.
        this.options.log(
          `error: ${this.options.functionId} batch from ${this.options.queueUrl}: ${(error as Error)?.message ?? String(error)}`,
        );
      } finally {
        this.inFlight--;
      }
    }
  }

  private async deliver(messages: Message[]): Promise<void> {
    const { options } = this;
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options.queueArn)) };
    const ids = new Set(event.Records.map((r) => r.messageId));
    const outcome = await options.invoke(options.functionId, event);
    if (!outcome.ok) {
      const { errorType, errorMessage } = outcome.error;
      options.log(`error: ${options.functionId} failed its batch: ${errorType}: ${errorMessage}`);
    }
    const failed = outcome.ok ? this.failuresFrom(outcome.result, ids) : ids;
    const succeeded = event.Records.filter((r) => !failed.has(r.messageId));
    if (failed.size > 0)
      options.log(
        `${options.functionId}: ${failed.size} of ${ids.size} records failed; they will be redelivered`,
      );
    if (succeeded.length === 0) return;
    const out = await options.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: succeeded.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
      }),
    );
    for (const f of out.Failed ?? [])
      options.log(`error: deleting a processed message failed: ${f.Message ?? f.Code}`);
  }

  /** Lambda's reading of a response: only a well-formed `batchItemFailures` fails part of a batch. */
  private failuresFrom(result: unknown, ids: ReadonlySet<string>): ReadonlySet<string> {
    if (!this.options.reportBatchItemFailures || result === undefined || result === null) return new Set();
    const failures = (result as Partial<SQSBatchResponse>).batchItemFailures;
    if (failures === undefined || failures === null) return new Set();
    if (!Array.isArray(failures)) return ids;
    const failed = new Set<string>();
    for (const f of failures) {
      const id = (f as { itemIdentifier?: unknown })?.itemIdentifier;
      if (typeof id !== 'string' || !ids.has(id)) {
        this.options.log(
          `error: ${this.options.functionId} reported an unknown batch item failure; the whole batch fails`,
        );
        return ids;
      }
      failed.add(id);
    }
    return failed;
  }
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? '',
      SenderId: a.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, v]) => [
        name,
        {
          dataType: v.DataType ?? 'String',
          ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
          ...(v.BinaryValue !== undefined
            ? { binaryValue: Buffer.from(v.BinaryValue).toString('base64') }
            : {}),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}
