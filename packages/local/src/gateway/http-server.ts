/**
 * The gateway's HTTP front end: reads each request (refusing what API Gateway refuses before
 * any stage runs: oversize payloads, bad syntax, oversized headers, slow clients), hands it to
 * the gateway's stages, writes the answer and logs one line.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Socket } from 'node:net';
import { MAX_GATEWAY_PAYLOAD_BYTES } from '@snapstack/domain/gateway';
import type { Cors } from './cors.js';
import { gatewayAnswer, type LocalGateway } from './gateway.js';
import { type HttpAnswer, readRequest } from './proxy-event.js';

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
