/**
 * The gateway's CORS: a preflight `OPTIONS` answer for every resource of the route table (the
 * MOCK integration infra creates: 204, no body) and CORS headers on every gateway response
 * (infra's 4XX/5XX gateway responses), both with the static headers AWS sends (domain cors.ts). Function responses carry their own (`httpHandler`), as in AWS, where a
 * proxy integration's headers pass through untouched.
 */
import { gatewayCorsHeaders, PREFLIGHT_STATUS, preflightHeaders } from '@snapstack/domain/cors';
import type { HttpAnswer, IncomingRequest } from './proxy-event.js';
import type { RouteMatcher } from './route-matcher.js';

export interface Cors {
  /** The preflight answer, or undefined when this is not a preflight of a known resource. */
  preflight(request: IncomingRequest): HttpAnswer | undefined;
  /** Adds CORS headers to an answer the gateway made itself. */
  decorate(answer: HttpAnswer): HttpAnswer;
}

export function createCors(matcher: RouteMatcher, allowOrigins: readonly string[]): Cors {
  const gatewayHeaders = gatewayCorsHeaders(allowOrigins);
  return {
    preflight(request) {
      if (request.method !== 'OPTIONS') return undefined;
      const methods = matcher.methodsAt(request.url.pathname);
      if (methods.length === 0) return undefined;
      return {
        statusCode: PREFLIGHT_STATUS,
        headers: preflightHeaders(allowOrigins, methods),
        body: Buffer.alloc(0),
      };
    },
    decorate(answer) {
      if (!answer.fromGateway) return answer;
      return { ...answer, headers: { ...gatewayHeaders, ...answer.headers } };
    },
  };
}
