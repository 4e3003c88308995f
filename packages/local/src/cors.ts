/**
 * The gateway's CORS: a preflight `OPTIONS` answer for every resource of the route table (the
 * MOCK integration infra creates), and CORS headers on every gateway response (infra's 4XX/5XX
 * gateway responses). Function responses carry their own (`httpHandler`), as in AWS, where a
 * proxy integration's headers pass through untouched.
 */
import { corsHeaders, preflightHeaders } from '@snapstack/domain/cors';
import type { HttpAnswer, IncomingRequest } from './proxy-event.js';
import type { RouteMatcher } from './route-matcher.js';

export interface Cors {
  /** The preflight answer, or undefined when this is not a preflight of a known resource. */
  preflight(request: IncomingRequest): HttpAnswer | undefined;
  /** Adds CORS headers to an answer the gateway made itself. */
  decorate(answer: HttpAnswer, request: IncomingRequest | undefined): HttpAnswer;
}

export function createCors(matcher: RouteMatcher, allowOrigins: readonly string[]): Cors {
  const origin = (request: IncomingRequest | undefined) => {
    const raw = request?.rawHeaders ?? [];
    for (let i = 0; i + 1 < raw.length; i += 2)
      if ((raw[i] as string).toLowerCase() === 'origin') return raw[i + 1];
    return undefined;
  };
  return {
    preflight(request) {
      if (request.method !== 'OPTIONS') return undefined;
      const methods = matcher.methodsAt(request.url.pathname);
      if (methods.length === 0) return undefined;
      return {
        statusCode: 200,
        headers: {
          'content-type': 'application/json',
          ...preflightHeaders(origin(request), allowOrigins, methods),
        },
        body: Buffer.from('{}'),
      };
    },
    decorate(answer, request) {
      if (!answer.fromGateway) return answer;
      return { ...answer, headers: { ...corsHeaders(origin(request), allowOrigins), ...answer.headers } };
    },
  };
}
