/**
 * The HTTP adapter: API Gateway REST (v1) proxy events in, proxy results out.
 *
 * Handlers describe a request -> response function over plain values; this module does the
 * event parsing, JSON encoding and the one mapping from domain errors to HTTP statuses.
 * A 5xx body carries a generic message; the detail goes to the structured log.
 *
 * @example
 * export const handler = httpHandler(logger, async (req) => ok(await getUser(req.pathParam('id'))));
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsHeaders, originsFromEnv } from './cors.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidImageError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.js';
import { headerValue } from './headers.js';

/** Who called, as the authorizer put it in `requestContext.authorizer`. */
export interface Caller {
  readonly sub: string;
  readonly scope?: string;
  readonly email?: string;
}

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly resource: string;
  readonly requestId: string;
  /** A request header by name, in any case (`headers.ts`: the first value of a repeated one). */
  header(name: string): string | undefined;
  readonly query: Readonly<Record<string, string>>;
  /** The raw body bytes (base64-decoded when the gateway marked it binary). */
  readonly body: Buffer;
  readonly caller?: Caller;
  /** A path parameter that the route guarantees; throws if the route does not define it. */
  pathParam(name: string): string;
  /** The body parsed as JSON; a ValidationError when it is empty or malformed. */
  json(): unknown;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON unless it is a Buffer (sent base64, binary). */
  readonly body?: unknown;
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResponse => ({
  statusCode: 200,
  body,
  ...(headers ? { headers } : {}),
});
export const created = (body: unknown, location: string): HttpResponse => ({
  statusCode: 201,
  body,
  headers: { location },
});
export const accepted = (body: unknown): HttpResponse => ({ statusCode: 202, body });
export const noContent = (): HttpResponse => ({ statusCode: 204 });
/** 302 to `location`, not stored by caches: the target (a presigned URL) expires. */
export const found = (location: string): HttpResponse => ({
  statusCode: 302,
  headers: { location, 'cache-control': 'no-store' },
});

/**
 * The one place errors become statuses. Anything unknown is a 500.
 *
 * DynamoDB's `ValidationException` (and the document client's marshalling errors) stay 500,
 * deliberately. DynamoDB raises it for whatever request it refuses — a malformed or
 * reserved-word expression, a missing or mistyped key attribute, an item over 400 KB — as much
 * as for a value from the client, and it marks every one `$fault: "client"`: the client it means
 * is this function. Every way an API caller can make a request carry such a value is refused
 * before the call: numbers by the models' bounds (`./schemas`), key values over DynamoDB's
 * limits as "not found" or a bad cursor (`./dynamo`), string sizes by `maxLength`. So one that
 * still arrives is this code's bug (or a bound missing from a model): the caller gets the
 * generic 500, the log gets DynamoDB's message, and the 5xx alarm fires — a 400 would blame the
 * caller for our request and hide the bug from every dashboard.
 */
export function statusFor(error: unknown): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof UnsupportedMediaTypeError) return 415;
  if (error instanceof InvalidImageError) return 422;
  return 500;
}

export function errorResponse(error: unknown, logger: Logger): HttpResponse {
  const statusCode = statusFor(error);
  if (statusCode === 500) {
    logger.error('unhandled error', error as Error);
    return { statusCode, body: { message: 'Internal server error' } };
  }
  const message = error instanceof Error ? error.message : String(error);
  const details =
    error instanceof ValidationError && error.details.length > 0 ? { errors: error.details } : {};
  logger.info('request rejected', { statusCode, message });
  return { statusCode, body: { message, ...details } };
}

export function toHttpRequest(event: APIGatewayProxyEvent): HttpRequest {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  const body = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  const authorizer = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const sub = authorizer?.sub ?? authorizer?.principalId;
  const caller: Caller | undefined =
    typeof sub === 'string' && sub
      ? {
          sub,
          ...(typeof authorizer?.scope === 'string' ? { scope: authorizer.scope } : {}),
          ...(typeof authorizer?.email === 'string' ? { email: authorizer.email } : {}),
        }
      : undefined;
  return {
    method: event.httpMethod,
    path: event.path,
    resource: event.resource,
    requestId: event.requestContext?.requestId ?? '',
    header: (name) => headerValue(event.headers, name),
    query,
    body,
    ...(caller ? { caller } : {}),
    pathParam(name) {
      const value = event.pathParameters?.[name];
      if (value === undefined) throw new Error(`route ${event.resource} has no path parameter "${name}"`);
      return value;
    },
    json() {
      if (body.length === 0) throw new ValidationError('Invalid request body', ['body is empty']);
      try {
        return JSON.parse(body.toString('utf8'));
      } catch (cause) {
        throw new ValidationError('Invalid request body', ['body is not valid JSON'], { cause });
      }
    },
  };
}

export function toProxyResult(response: HttpResponse): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) return { statusCode: response.statusCode, headers, body: '' };
  if (Buffer.isBuffer(response.body)) {
    return {
      statusCode: response.statusCode,
      headers,
      body: response.body.toString('base64'),
      isBase64Encoded: true,
    };
  }
  headers['content-type'] ??= 'application/json';
  return { statusCode: response.statusCode, headers, body: JSON.stringify(response.body) };
}

export type HttpRouteHandler = (request: HttpRequest) => Promise<HttpResponse>;
export type ProxyHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

/** Wraps a request -> response function as a Lambda proxy handler. */
export function httpHandler(logger: Logger, handle: HttpRouteHandler): ProxyHandler {
  const allowOrigins = originsFromEnv();
  return async (event, context) => {
    if (context) logger.addContext(context);
    logger.appendKeys({ requestId: event.requestContext?.requestId, resource: event.resource });
    const request = toHttpRequest(event);
    // A proxy integration's headers reach the client untouched, so CORS is the function's job.
    const withCors = (response: HttpResponse): HttpResponse => ({
      ...response,
      headers: { ...corsHeaders(request.header('origin'), allowOrigins), ...response.headers },
    });
    try {
      return toProxyResult(withCors(await handle(request)));
    } catch (error) {
      return toProxyResult(withCors(errorResponse(error, logger)));
    } finally {
      logger.resetKeys();
    }
  };
}
