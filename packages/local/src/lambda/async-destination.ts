/**
 * Lambda's on-failure destination for asynchronous invokes, locally: the event that failed
 * every attempt is sent to the function's `onFailureQueue` (a real, persisted local SQS queue)
 * as the record Lambda sends, so what an operator reads locally is what AWS would put there.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type FailedInvocation, NO_DESTINATION } from './async-invoke.js';

/** The body Lambda sends to an SQS on-failure destination (AWS Lambda Developer Guide, "Invocation records"). */
export function destinationRecord(
  failure: FailedInvocation,
  functionArn: string,
  now: Date = new Date(),
): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `${functionArn}:$LATEST`,
      condition: failure.condition,
      approximateInvokeCount: failure.attempts,
    },
    requestPayload: failure.event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: failure.errorType, errorMessage: failure.error },
  };
}

/** Sends a failed invocation to its destination queue; rejects when the queue is unknown or refuses it. */
export function sqsOnFailure(options: {
  readonly client: SQSClient;
  readonly queueUrl: (queueId: string) => string | undefined;
  readonly functionArn: (functionId: string) => string;
}): (failure: FailedInvocation) => Promise<void> {
  return async (failure) => {
    // A function without async settings has no destination: Lambda drops the event.
    if (failure.destination === NO_DESTINATION) return;
    const queueUrl = options.queueUrl(failure.destination);
    if (!queueUrl) throw new Error(`no on-failure queue "${failure.destination}"`);
    await options.client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(destinationRecord(failure, options.functionArn(failure.functionId))),
      }),
    );
  };
}
