/**
 * The local API Gateway: for each HTTP request, what a REST API stage does before, around
 * and after its integration — route by the route table, answer gateway errors with the
 * gateway's bodies, validate request models, build the proxy event, invoke, map the result.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Socket } from 'node:net';
import { type FunctionDefinition, type FunctionId, functions } from '@snapstack/domain/functions';
import {
  type GatewayResponseType,
  gatewayResponses,
  INTEGRATION_TIMEOUT_MS,
  MAX_GATEWAY_PAYLOAD_BYTES,
} from '@snapstack/domain/gateway';
import type { RouteDefinition } from '@snapstack/domain/routes';
import { requestSchemas } from '@snapstack/domain/schemas';
import { compileValidator, type Validator } from '@snapstack/domain/validation';
import type { Cors } from './cors.js';
import type { FunctionHost } from '../lambda/function-host.js';
import {
  buildProxyEvent,
  fromProxyResult,
  type HttpAnswer,
  type IncomingRequest,
  lambdaContext,
  readRequest,
} from './proxy-event.js';
import type { RouteMatch, RouteMatcher } from './route-matcher.js';
import { type SqsIntegrationTarget, sendToQueue } from '../sqs/gateway-integration.js';

/**
 * The gateway's auth stage, run after routing and before validation and integration (as
 * API Gateway runs authorizers and API-key checks). It either denies with a gateway answer
 * or admits, with the authorizer context that becomes `requestContext.authorizer`.
 */
export type Authenticate = (
  route: RouteDefinition,
  request: IncomingRequest,
  pathParameters?: Readonly<Record<string, string>>,
) => Promise<{ readonly authorizer?: Record<string, unknown> } | { readonly deny: HttpAnswer }>;

export const admitAll: Authenticate = async () => ({});

export interface GatewayOptions {
  readonly stage: string;
  readonly matcher: RouteMatcher;
  readonly host: FunctionHost;
  readonly binaryMediaTypes: readonly string[];
  readonly functionName: (id: FunctionId) => string;
  readonly logError: (message: string, error: unknown) => void;
  readonly authenticate?: Authenticate;
  /** The function catalog; the domain's unless a test brings its own. */
  readonly functions?: Readonly<Record<string, Pick<FunctionDefinition, 'memoryMb' | 'timeoutSeconds'>>>;
  /** Where `sqsSendMessage` integrations send. */
  readonly sqs?: SqsIntegrationTarget;
}

export function gatewayAnswer(type: GatewayResponseType, headers: Record<string, string> = {}): HttpAnswer {
  const { statusCode, message } = gatewayResponses[type];
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorTypeHeader(type), ...headers },
    body: Buffer.from(JSON.stringify({ message })),
    fromGateway: true,
  };
}

function errorTypeHeader(type: GatewayResponseType): string {
  switch (type) {
    case 'MISSING_AUTHENTICATION_TOKEN':
      return 'MissingAuthenticationTokenException';
    case 'BAD_REQUEST_BODY':
    case 'BAD_REQUEST_PARAMETERS':
      return 'BadRequestException';
    case 'UNAUTHORIZED':
      return 'UnauthorizedException';
    case 'ACCESS_DENIED':
      return 'AccessDeniedException';
    case 'INVALID_API_KEY':
      return 'ForbiddenException';
    case 'THROTTLED':
      return 'TooManyRequestsException';
    case 'QUOTA_EXCEEDED':
      return 'LimitExceededException';
    default:
      return 'InternalServerErrorException';
  }
}

export class LocalGateway {
  private readonly validators = new Map<string, Validator<unknown>>();

  constructor(private readonly options: GatewayOptions) {
    for (const [name, schema] of Object.entries(requestSchemas))
      this.validators.set(name, compileValidator(schema));
  }

  async handle(request: IncomingRequest): Promise<HttpAnswer> {
    const match = this.options.matcher.match(request.method, request.url.pathname);
    if (!match) return gatewayAnswer('MISSING_AUTHENTICATION_TOKEN');
    const auth = await (this.options.authenticate ?? admitAll)(match.route, request, match.pathParameters);
    if ('deny' in auth) return auth.deny;
    if (!this.bodyIsValid(match.route, request)) return gatewayAnswer('BAD_REQUEST_BODY');
    return this.integrate(match, request, auth.authorizer);
  }

  /** API Gateway's body validator: the route's model, against the JSON body. */
  private bodyIsValid(route: RouteDefinition, request: IncomingRequest): boolean {
    if (!route.requestSchema) return true;
    const validate = this.validators.get(route.requestSchema);
    if (!validate)
      throw new Error(`route ${route.method} ${route.path} names unknown schema ${route.requestSchema}`);
    try {
      validate(JSON.parse(request.body.toString('utf8')));
      return true;
    } catch {
      return false;
    }
  }

  private async integrate(
    match: RouteMatch,
    request: IncomingRequest,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<HttpAnswer> {
    const { integration } = match.route;
    switch (integration.kind) {
      case 'lambda':
        return this.invokeLambda(integration.function, match, request, authorizer);
      case 'sqsSendMessage': {
        if (!this.options.sqs) throw new Error('the gateway has no SQS target');
        const { sqs, logError } = this.options;
        return sendToQueue(integration, request, match.pathParameters, authorizer, sqs, logError);
      }
    }
  }

  private async invokeLambda(
    id: FunctionId,
    match: RouteMatch,
    request: IncomingRequest,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<HttpAnswer> {
    const definition = (this.options.functions ?? functions)[id];
    if (!definition) throw new Error(`route ${match.route.path} integrates unknown function ${id}`);
    const event = buildProxyEvent(request, {
      stage: this.options.stage,
      resource: match.route.path,
      pathParameters: match.pathParameters,
      binaryMediaTypes: this.options.binaryMediaTypes,
      ...(authorizer ? { authorizer } : {}),
    });
    const timeoutMs = Math.min(definition.timeoutSeconds * 1000, INTEGRATION_TIMEOUT_MS);
    const context = lambdaContext(
      this.options.functionName(id),
      definition.memoryMb,
      timeoutMs,
      request.requestId,
    );
    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = await this.options.host.handler(id);
      const outcome = await Promise.race([
        handler(event, context).then((result) => ({ result })),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        }),
      ]);
      if (outcome === 'timeout') {
        this.options.logError(`${id} timed out after ${timeoutMs} ms`, undefined);
        return gatewayAnswer(
          timeoutMs >= INTEGRATION_TIMEOUT_MS ? 'INTEGRATION_TIMEOUT' : 'INTEGRATION_FAILURE',
        );
      }
      const answer = fromProxyResult(outcome.result);
      if (!answer) {
        this.options.logError(`${id} returned a malformed proxy result`, outcome.result);
        return gatewayAnswer('INTEGRATION_FAILURE');
      }
      return answer;
    } catch (error) {
      this.options.logError(`${id} failed`, error);
      return gatewayAnswer('INTEGRATION_FAILURE');
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What an HTTP front end answers itself, before any gateway stage runs (bad syntax, timeouts). */
function frontEndAnswer(statusCode: number, message: string): HttpAnswer {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: Buffer.from(JSON.stringify({ message })),
  };
}

const BAD_REQUEST = frontEndAnswer(400, 'Bad Request');

/** Node's errors for a client that went away or took too long (the connection is gone or going). */
function clientGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * The HTTP side of the gateway: reads the request (refusing oversize payloads), answers, logs
 * one line. Its own error boundary: whatever a request does — a Host that makes no URL, a
 * client that disconnects mid-body, a bug in a stage — ends in an answer or a dropped
 * connection and one log line, never in a rejected promise that would stop the process.
 */
export function requestListener(gateway: LocalGateway, log: (line: string) => void, cors?: Cors) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const line = (outcome: string) =>
      log(`${req.method} ${req.url} ${outcome} ${(performance.now() - started).toFixed(1)}ms`);
    serve(gateway, req, cors).then(
      (answer) => {
        send(res, answer);
        line(String(answer.statusCode));
      },
      (error: unknown) => {
        if (res.headersSent || req.socket.destroyed || clientGone(error)) {
          // The client closed the connection (or timed out) before its request was complete.
          res.destroy();
          if (!answeredByFrontEnd.has(req.socket))
            line(`dropped: the connection closed before the request was complete`);
          return;
        }
        send(res, frontEndAnswer(500, 'Internal server error'));
        line(`500: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      },
    );
  };
}

async function serve(
  gateway: LocalGateway,
  req: IncomingMessage,
  cors: Cors | undefined,
): Promise<HttpAnswer> {
  const request = await readRequest(req, MAX_GATEWAY_PAYLOAD_BYTES);
  if (request === 'bad-request') return BAD_REQUEST;
  if (request === 'too-large') {
    const refused = gatewayAnswer('REQUEST_TOO_LARGE', { connection: 'close' });
    return cors ? cors.decorate(refused) : refused;
  }
  const raw = cors?.preflight(request) ?? (await gateway.handle(request));
  const answer = cors ? cors.decorate(raw) : raw;
  return { ...answer, headers: { ...answer.headers, 'x-amzn-requestid': request.requestId } };
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.statusCode, { ...answer.headers, 'content-length': answer.body.length });
  res.end(answer.body);
}

/** Sockets whose request the front end answered (or dropped) from `clientError`: logged there. */
const answeredByFrontEnd = new WeakSet<Socket>();

/** How long a client may take; API Gateway's own limits where it has them. */
export interface HttpLimits {
  /** Until the request's headers are complete (slow headers get 408). Default 20 s. */
  readonly headersTimeoutMs?: number;
  /** Until the whole request, body included, has arrived (slow bodies get 408). Default 60 s. */
  readonly requestTimeoutMs?: number;
}

/** API Gateway's limit on the request line and headers together (REST APIs: 10,240 bytes). */
export const MAX_HEADER_BYTES = 10_240;

/**
 * The gateway's HTTP server: the request listener above, API Gateway's size limits, timeouts
 * for slow clients, and answers for requests Node's parser refuses (which never reach the
 * listener): 400 for bad syntax, 431 for oversized headers, 408 for a client too slow.
 */
export function createGatewayServer(
  listener: ReturnType<typeof requestListener>,
  log: (line: string) => void,
  limits: HttpLimits = {},
): Server {
  const requestTimeout = limits.requestTimeoutMs ?? 60_000;
  const headersTimeout = Math.min(limits.headersTimeoutMs ?? 20_000, requestTimeout);
  const server = createHttpServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout,
      requestTimeout,
      // Node checks both timeouts on this interval (default 30 s, far coarser than the limits).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    listener,
  );
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    answeredByFrontEnd.add(socket);
    const from = socket.remoteAddress ?? 'a client';
    const code = error.code ?? 'error';
    const answer =
      code === 'HPE_HEADER_OVERFLOW'
        ? frontEndAnswer(431, 'Request Header Fields Too Large')
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? frontEndAnswer(408, 'Request Timeout')
          : BAD_REQUEST;
    // Only where no answer has begun on this connection: never corrupt a response in flight.
    const inFlight = responses.get(socket);
    const answered = socket.writable && !clientGone(error) && !inFlight?.headersSent;
    // A HEAD answer has no body: clients that get one refuse the response (found by the fuzz suite).
    const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    if (answered) socket.write(rawResponse(head ? { ...answer, body: Buffer.alloc(0) } : answer));
    socket.destroy();
    log(`${answered ? answer.statusCode : 'dropped'}: ${code} from ${from}`);
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    responses.set(req.socket, res);
    res.once('finish', () => responses.delete(req.socket));
  });
  return server;
}

/** The response in flight on each connection, so `clientError` never writes over one. */
const responses = new WeakMap<Socket, ServerResponse>();

function rawResponse(answer: HttpAnswer): string {
  const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${String(value)}`);
  return `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode]}\r\n${lines.join('\r\n')}\r\n\r\n${answer.body}`;
}
