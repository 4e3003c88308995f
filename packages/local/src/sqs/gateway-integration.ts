/**
 * The local gateway's SQS service integration: what API Gateway does for a route whose
 * integration is `sqsSendMessage` — map the request to the declared message (the same
 * declaration infra renders as the VTL template), `SendMessage` it, and answer with the
 * declared response; any SQS error is a generic 500, never a 2xx.
 *
 * A missing or empty mapped value (e.g. no authorizer `principalId`) is refused with 401
 * Unauthorized, not sent: in AWS the route's authorizer always supplies the principal, so a
 * message without a liker can only mean the caller was not authenticated.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { headerValue } from '@snapstack/domain/headers';
import type { QueueId } from '@snapstack/domain/queues';
import {
  buildSqsMessage,
  SQS_INTEGRATION_ERROR,
  SQS_INTEGRATION_MEDIA_TYPE,
  type SqsSendMessageIntegration,
} from '@snapstack/domain/sqs-integration';
import { type HttpAnswer, headerMaps, type IncomingRequest } from '../gateway/proxy-event.js';

export interface SqsIntegrationTarget {
  readonly client: SQSClient;
  readonly urls: Readonly<Record<QueueId, string>>;
}

// API Gateway makes these answers itself (no function runs), so they get the gateway's CORS
// headers, as infra maps Access-Control-Allow-Origin onto the integration's responses; without
// them no browser can read a like's 202.
const json = (statusCode: number, body: unknown, extra: Record<string, string> = {}): HttpAnswer => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...extra },
  body: Buffer.from(JSON.stringify(body)),
  fromGateway: true,
});

export async function sendToQueue(
  integration: SqsSendMessageIntegration,
  request: IncomingRequest,
  pathParameters: Readonly<Record<string, string>>,
  authorizer: Record<string, unknown> | undefined,
  target: SqsIntegrationTarget,
  logError: (message: string, error: unknown) => void,
): Promise<HttpAnswer> {
  // passthroughBehavior NEVER: only the template's media type (or none, which API Gateway
  // treats as application/json) is accepted.
  const { headers } = headerMaps(request.rawHeaders);
  const contentType = headerValue(headers, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType && mediaType !== SQS_INTEGRATION_MEDIA_TYPE) {
    return json(
      415,
      { message: 'Unsupported Media Type' },
      { 'x-amzn-errortype': 'UnsupportedMediaTypeException' },
    );
  }
  const { body, missing } = buildSqsMessage(integration, {
    pathParameters,
    authorizer,
    requestId: request.requestId,
    requestTimeEpoch: request.receivedAt.getTime(),
  });
  if (missing.length > 0) {
    logError(`refusing to enqueue a message without ${missing.join(', ')}`, undefined);
    return json(401, { message: 'Unauthorized' }, { 'x-amzn-errortype': 'UnauthorizedException' });
  }
  try {
    await target.client.send(
      new SendMessageCommand({ QueueUrl: target.urls[integration.queue], MessageBody: body }),
    );
  } catch (error) {
    logError(`SendMessage to ${integration.queue} failed`, error);
    return json(SQS_INTEGRATION_ERROR.statusCode, SQS_INTEGRATION_ERROR.body);
  }
  return json(integration.response.statusCode, integration.response.body);
}
