/**
 * API Gateway -> SQS `SendMessage` service integrations (no Lambda in the request path).
 *
 * A route declares the message it sends once, as a flat JSON object whose fields each come
 * from one request source. From that one declaration:
 * - infra renders the integration request (a VTL mapping template) with
 *   {@link renderSqsIntegration}, and
 * - the local runner builds the same message with {@link buildSqsMessage}.
 * The domain tests evaluate the rendered template with a VTL engine and check that both give
 * the same message for the same request, including hostile characters.
 *
 * @example
 * const { requestTemplates } = renderSqsIntegration(route.integration);
 * const message = buildSqsMessage(route.integration, { pathParameters, authorizer, requestId, requestTimeEpoch });
 */
import type { QueueId } from './queues.js';

/** Where one message field's value comes from. `requestTimeEpoch` is a JSON number; the rest are strings. */
export type MessageFieldSource =
  /** A path parameter of the route (`$input.params('name')`). */
  | { readonly from: 'path'; readonly name: string }
  /** A key of the authorizer's context (`principalId` is the authorizer's principal). */
  | { readonly from: 'authorizer'; readonly name: string }
  /** API Gateway's request id (`$context.requestId`). */
  | { readonly from: 'requestId' }
  /** When API Gateway received the request, epoch milliseconds (`$context.requestTimeEpoch`). */
  | { readonly from: 'requestTimeEpoch' }
  | { readonly from: 'constant'; readonly value: string };

export interface SqsSendMessageIntegration {
  readonly kind: 'sqsSendMessage';
  readonly queue: QueueId;
  /** The message body: field name -> source. Every field is required and non-empty. */
  readonly message: Readonly<Record<string, MessageFieldSource>>;
  /** What the caller gets once SQS accepted the message. Any SQS error is a generic 500. */
  readonly response: { readonly statusCode: number; readonly body: Readonly<Record<string, string>> };
}

/** The request facts a mapping reads. */
export interface MappingContext {
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly authorizer?: Readonly<Record<string, unknown>> | undefined;
  readonly requestId: string;
  readonly requestTimeEpoch: number;
}

/** The only media type the integration has a template for; API Gateway answers 415 to others. */
export const SQS_INTEGRATION_MEDIA_TYPE = 'application/json';

/** The body of the integration response when SQS fails: never a 2xx, never SQS's detail. */
export const SQS_INTEGRATION_ERROR = { statusCode: 500, body: { message: 'Internal server error' } } as const;

export interface RenderedSqsIntegration {
  /** `integration.request.header.*` parameters (static values are quoted, as API Gateway wants). */
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly passthroughBehavior: 'NEVER';
  /** Integration responses, by SQS status: `selectionPattern` undefined is the default response. */
  readonly responses: ReadonlyArray<{
    readonly statusCode: string;
    readonly selectionPattern?: string;
    readonly template: string;
  }>;
}

/**
 * The integration's target for infra: API Gateway calls SQS's query API on the queue's path,
 * with a role that may `sqs:SendMessage` on that queue only.
 *
 * @example
 * sqsIntegrationUri('eu-west-1', '123456789012', 'snapstack-prod-likes')
 * // "arn:aws:apigateway:eu-west-1:sqs:path/123456789012/snapstack-prod-likes"
 */
export function sqsIntegrationUri(region: string, accountId: string, queueName: string): string {
  return `arn:aws:apigateway:${region}:sqs:path/${accountId}/${queueName}`;
}

/** What the integration's credentials role needs on the target queue. */
export const SQS_INTEGRATION_ACTIONS = ['sqs:SendMessage'] as const;

function vtlValue(source: MessageFieldSource): string {
  // $util.escapeJavaScript escapes ' as \' (not valid JSON); the replaceAll undoes only that.
  const jsonString = (expr: string) =>
    `$util.urlEncode($util.escapeJavaScript(${expr}).replaceAll("\\\\'","'"))`;
  switch (source.from) {
    case 'path':
      return jsonString(`$input.params('${source.name}')`);
    case 'authorizer':
      return jsonString(`$context.authorizer.${source.name}`);
    case 'requestId':
      return jsonString('$context.requestId');
    case 'requestTimeEpoch':
      return '$context.requestTimeEpoch';
    case 'constant':
      return encodeURIComponent(JSON.stringify(source.value).slice(1, -1));
  }
}

const quoted = (source: MessageFieldSource) => source.from !== 'requestTimeEpoch';

/**
 * The integration request and responses API Gateway needs for this declaration: a
 * form-encoded `SendMessage` whose `MessageBody` is the declared JSON object.
 */
export function renderSqsIntegration(integration: SqsSendMessageIntegration): RenderedSqsIntegration {
  const fields = Object.entries(integration.message);
  for (const [name] of fields) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`message field "${name}" must be alphanumeric`);
  }
  // Static JSON punctuation is URL-encoded here; dynamic values are URL-encoded by $util.urlEncode.
  const q = encodeURIComponent('"');
  const body = fields
    .map(([name, source]) => {
      const value = vtlValue(source);
      return `${encodeURIComponent(`"${name}":`)}${quoted(source) ? `${q}${value}${q}` : value}`;
    })
    .join(encodeURIComponent(','));
  return {
    requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
    requestTemplates: {
      [SQS_INTEGRATION_MEDIA_TYPE]: `Action=SendMessage&MessageBody=${encodeURIComponent('{')}${body}${encodeURIComponent('}')}`,
    },
    passthroughBehavior: 'NEVER',
    responses: [
      {
        statusCode: String(integration.response.statusCode),
        selectionPattern: '2\\d{2}',
        template: JSON.stringify(integration.response.body),
      },
      {
        statusCode: String(SQS_INTEGRATION_ERROR.statusCode),
        template: JSON.stringify(SQS_INTEGRATION_ERROR.body),
      },
    ],
  };
}

/**
 * The message the integration sends for one request, built from the same declaration as the
 * template. `missing` lists fields whose source is absent or empty: the caller must not send.
 */
export function buildSqsMessage(
  integration: SqsSendMessageIntegration,
  context: MappingContext,
): { readonly body: string; readonly missing: readonly string[] } {
  const message: Record<string, string | number> = {};
  const missing: string[] = [];
  for (const [name, source] of Object.entries(integration.message)) {
    const value = resolve(source, context);
    if (value === undefined || value === '') missing.push(name);
    else message[name] = value;
  }
  return { body: JSON.stringify(message), missing };
}

function resolve(source: MessageFieldSource, context: MappingContext): string | number | undefined {
  switch (source.from) {
    case 'path':
      return context.pathParameters[source.name];
    case 'authorizer': {
      const value = context.authorizer?.[source.name];
      return value === undefined || value === null ? undefined : String(value);
    }
    case 'requestId':
      return context.requestId;
    case 'requestTimeEpoch':
      return context.requestTimeEpoch;
    case 'constant':
      return source.value;
  }
}
