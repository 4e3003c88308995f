/**
 * CORS headers, computed one way for every answer: preflights and gateway responses (API
 * Gateway, rendered by infra and the local runner) and function responses (`httpHandler`,
 * which must add them itself: a Lambda proxy integration passes its headers through untouched).
 *
 * @example
 * corsHeaders('https://app.example', ['*']) // { 'access-control-allow-origin': '*', ... }
 */
import { apiSettings } from './api-settings.js';

/** Functions receive the stage's allowed origins through this variable (comma-separated). */
export const CORS_ORIGINS_ENV = 'CORS_ALLOW_ORIGINS';

/** `*` allows every origin; a listed origin is echoed (with `Vary: Origin`); others get no CORS headers. */
export function corsHeaders(
  origin: string | undefined,
  allowOrigins: readonly string[],
): Record<string, string> {
  const common = { 'access-control-expose-headers': apiSettings.cors.exposeHeaders.join(',') };
  if (allowOrigins.includes('*')) return { 'access-control-allow-origin': '*', ...common };
  if (origin && allowOrigins.includes(origin))
    return { 'access-control-allow-origin': origin, vary: 'Origin', ...common };
  return {};
}

/**
 * The CORS headers of the gateway's own answers: preflights and gateway responses (4XX/5XX).
 * In AWS these are static values of a MOCK integration and of gateway responses, so API Gateway
 * cannot echo the request's origin: it sends the stage's first allowed origin (or `*`) to every
 * caller, whatever the `Origin` header says. The local gateway sends exactly the same. A stage
 * serving several browser origins lists the one its web app uses first; function responses
 * (`corsHeaders`) echo any listed origin.
 */
export function gatewayCorsHeaders(allowOrigins: readonly string[]): Record<string, string> {
  const origin = allowOrigins.includes('*') ? '*' : allowOrigins[0];
  if (!origin) throw new Error('CORS needs at least one allowed origin');
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': apiSettings.cors.allowHeaders.join(','),
    Vary: 'Origin',
  };
}

/** A preflight answer's headers (status 204, no body), the same for every caller as in AWS. */
export function preflightHeaders(
  allowOrigins: readonly string[],
  methods: readonly string[],
): Record<string, string> {
  const { Vary: _vary, ...gateway } = gatewayCorsHeaders(allowOrigins);
  return {
    ...gateway,
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(','),
    'Access-Control-Max-Age': String(apiSettings.cors.maxAgeSeconds),
  };
}

/** The status API Gateway's MOCK preflight integration answers with. */
export const PREFLIGHT_STATUS = 204;

export function originsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  return (env[CORS_ORIGINS_ENV] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
