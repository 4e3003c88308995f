/**
 * CORS headers, computed one way for every answer: preflights and gateway responses (API
 * Gateway, rendered by infra and the local runner) and function responses (`httpHandler`,
 * which must add them itself: a Lambda proxy integration passes its headers through untouched).
 *
 * @example
 * corsHeaders('https://app.example', ['*']) // { 'access-control-allow-origin': '*', ... }
 */
import { apiSettings } from './routes.js';

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

export function preflightHeaders(
  origin: string | undefined,
  allowOrigins: readonly string[],
  methods: readonly string[],
): Record<string, string> {
  const base = corsHeaders(origin, allowOrigins);
  if (!base['access-control-allow-origin']) return {};
  return {
    ...base,
    'access-control-allow-methods': [...methods, 'OPTIONS'].join(','),
    'access-control-allow-headers': apiSettings.cors.allowHeaders.join(','),
    'access-control-max-age': String(apiSettings.cors.maxAgeSeconds),
  };
}

export function originsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  return (env[CORS_ORIGINS_ENV] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
