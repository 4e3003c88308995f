/**
 * Builds API Gateway REST (v1) Lambda proxy events from raw HTTP requests, field for field as
 * API Gateway does, and turns proxy results back into HTTP responses.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LOCAL_ACCOUNT_ID } from '@snapstack/domain/aws';
import { headerValue } from '@snapstack/domain/headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export const LOCAL_API_ID = 'local';

export interface IncomingRequest {
  readonly method: string;
  readonly url: URL;
  /** Raw header pairs in the order and case the client sent them. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly receivedAt: Date;
}

/** Why a request never reaches the gateway's pipeline: the HTTP front end answers it itself. */
export type RequestRejection = 'too-large' | 'bad-request';

/**
 * Reads a whole request. A body over `maxBytes` is drained (so the client sees the answer)
 * but not kept; a declared `content-length` over it is refused before any byte is read. A
 * `Host` or request target that makes no URL is a bad request, never an exception. Rejects
 * only when the client goes away (or times out) before its body is complete.
 */
export async function readRequest(
  req: IncomingMessage,
  maxBytes: number,
): Promise<IncomingRequest | RequestRejection> {
  if (Number(headerValue(req.headers, 'content-length') ?? 0) > maxBytes) return 'too-large';
  const url = requestUrl(headerValue(req.headers, 'host'), req.url ?? '/');
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes)
      tooLarge = true; // keep draining so the client sees our answer
    else chunks.push(chunk);
  }
  if (tooLarge) return 'too-large';
  if (!url) return 'bad-request';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    rawHeaders: req.rawHeaders,
    body: Buffer.concat(chunks),
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    requestId: randomUUID(),
    receivedAt: new Date(),
  };
}

/** RFC 3986 `host [":" port]`: an IP literal or a reg-name, nothing that could start a path. */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::\d*)?$/;

/**
 * The request's URL from its target and `Host` (absent in HTTP/1.0: the loopback address).
 * Concatenated, not resolved against a base, so `//a/b` stays a path as API Gateway sees it.
 */
export function requestUrl(host: string | undefined, target: string): URL | undefined {
  const authority = host ?? '127.0.0.1';
  if (!HOST_HEADER.test(authority)) return undefined;
  try {
    if (target.startsWith('/')) return new URL(`http://${authority}${target}`);
    const absolute = new URL(target); // absolute-form (`GET http://host/path HTTP/1.1`)
    if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return undefined;
    return new URL(`http://${authority}${absolute.pathname}${absolute.search}`);
  } catch {
    return undefined;
  }
}

/** Header maps as API Gateway passes them: original case, last value wins, plus the multi-value form. */
export function headerMaps(rawHeaders: readonly string[]) {
  const headers = new Map<string, string>();
  const multiValueHeaders = new Map<string, string[]>();
  const caseOf = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const sent = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const name = caseOf.get(sent.toLowerCase()) ?? sent;
    caseOf.set(sent.toLowerCase(), name);
    headers.set(name, value);
    multiValueHeaders.set(name, [...(multiValueHeaders.get(name) ?? []), value]);
  }
  return { headers: plainObject(headers), multiValueHeaders: plainObject(multiValueHeaders) };
}

export function queryMaps(url: URL) {
  if ([...url.searchParams.keys()].length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const queryStringParameters = new Map<string, string>();
  const multiValueQueryStringParameters = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    queryStringParameters.set(name, value);
    multiValueQueryStringParameters.set(name, [...(multiValueQueryStringParameters.get(name) ?? []), value]);
  }
  return {
    queryStringParameters: plainObject(queryStringParameters),
    multiValueQueryStringParameters: plainObject(multiValueQueryStringParameters),
  };
}

/**
 * Client-chosen names (`__proto__`, `constructor`) become own properties, as they do when a
 * handler parses API Gateway's JSON event; assigning them with `obj[name] =` would hit the
 * prototype instead (and `?__proto__=x` crashed the gateway).
 */
const plainObject = <T>(entries: Map<string, T>): Record<string, T> => Object.fromEntries(entries);

/** Whether a content type is one of the API's binary media types (`image/*` style wildcards allowed). */
export function isBinary(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return binaryMediaTypes.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === '*/*') return true;
    return p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p;
  });
}

export interface ProxyEventOptions {
  readonly stage: string;
  readonly resource: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly binaryMediaTypes: readonly string[];
  readonly authorizer?: Record<string, unknown>;
}

export function buildProxyEvent(request: IncomingRequest, options: ProxyEventOptions): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = headerMaps(request.rawHeaders);
  const contentType = headerValue(headers, 'content-type');
  const binary = isBinary(contentType, options.binaryMediaTypes);
  const hasBody = request.body.length > 0;
  const pathParameters =
    Object.keys(options.pathParameters).length > 0 ? { ...options.pathParameters } : null;
  const userAgent = headerValue(headers, 'user-agent') ?? null;
  return {
    resource: options.resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    ...queryMaps(request.url),
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      resourceId: options.resource,
      resourcePath: options.resource,
      httpMethod: request.method,
      path: `/${options.stage}${request.url.pathname}`,
      stage: options.stage,
      requestId: request.requestId,
      extendedRequestId: request.requestId,
      requestTime: formatRequestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt.getTime(),
      protocol: 'HTTP/1.1',
      domainName: request.url.host,
      authorizer: options.authorizer ?? null,
      identity: {
        sourceIp: request.sourceIp,
        userAgent,
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
    },
    body: hasBody ? request.body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: hasBody && binary,
  };
}

/** `22/Nov/2026:02:16:00 +0000`, API Gateway's requestTime format. */
function formatRequestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** Answered by the gateway itself (a gateway response), not by an integration. */
  readonly fromGateway?: boolean;
}

/**
 * Validates a proxy result as API Gateway does: anything that is not a well-formed proxy
 * result is an integration failure (502), never passed through.
 */
export function fromProxyResult(result: unknown): HttpAnswer | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const r = result as Partial<APIGatewayProxyResult>;
  if (
    typeof r.statusCode !== 'number' ||
    !Number.isInteger(r.statusCode) ||
    r.statusCode < 100 ||
    r.statusCode > 599
  ) {
    return undefined;
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
    headers[name] = (values as unknown[]).map(String);
  }
  const text = r.body ?? '';
  return {
    statusCode: r.statusCode,
    headers,
    body: Buffer.from(text, r.isBase64Encoded ? 'base64' : 'utf8'),
  };
}
