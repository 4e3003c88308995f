/**
 * API-wide settings that infra applies to the REST API and the local runner mirrors: binary
 * media types, the authorizer, CORS and the usage plan. Each is written here and nowhere else.
 */
import type { FunctionId } from './functions.js';
import type { ParameterId } from './parameters.js';

/** A usage plan's limits, as `aws_api_gateway_usage_plan` takes them. */
export interface UsagePlanLimits {
  /** Steady-state requests per second (token bucket refill rate). */
  readonly rateLimit: number;
  /** Bucket size: the most requests accepted at once. */
  readonly burstLimit: number;
  readonly quota: { readonly limit: number; readonly period: 'DAY' };
}

export const apiSettings = {
  /** Bodies of these content types reach functions base64-encoded (`isBase64Encoded`). */
  binaryMediaTypes: ['image/*'] as readonly string[],
  /** The Lambda authorizer in front of every `jwt` route. */
  authorizer: {
    function: 'authorizer' satisfies FunctionId,
    type: 'REQUEST',
    /** API Gateway answers 401 without invoking the authorizer when this is missing. */
    identitySource: 'method.request.header.Authorization',
    /** Results are cached per identity source value; 0 disables caching. */
    resultTtlSeconds: 300,
    /**
     * The default token issuer: HS256 with the secret in SSM (`parameters.jwtSecret`). A stage may
     * use a JWKS issuer instead (a Cognito user pool), configured by the authorizer's environment.
     */
    sharedSecret: {
      parameter: 'jwtSecret' satisfies ParameterId,
      issuer: 'snapstack',
      audience: 'snapstack-api',
    },
    /**
     * The user pool's issuer (Cognito in AWS, the local OpenID provider under `pnpm dev`): its
     * resource server offers the route table's scopes as `${resourceServer}/${scope}`.
     */
    userPool: {
      resourceServer: 'snapstack',
    },
  },
  /** Preflight `OPTIONS` on every resource and CORS headers on every response, gateway errors included. */
  cors: {
    /** `*` allows any origin; otherwise the request's `Origin` is echoed when listed. */
    allowOrigins: {
      default: ['*'],
      byStage: {
        dev: ['http://localhost:5173', 'http://127.0.0.1:3000'],
        staging: ['https://staging.snapstack.example'],
        prod: ['https://snapstack.example'],
      },
    } as {
      readonly default: readonly string[];
      readonly byStage: Readonly<Record<string, readonly string[]>>;
    },
    allowHeaders: ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Amz-Date', 'X-Amz-Security-Token'],
    exposeHeaders: ['Location'],
    maxAgeSeconds: 600,
  },
  /**
   * The usage plan behind `apiKey` routes: one plan per stage (one key per client), enforced by
   * API Gateway in AWS and by the local runner's auth stage. A stage without its own entry
   * (the local runner's `local`, `dev`) gets `default`.
   */
  usagePlan: {
    default: { rateLimit: 50, burstLimit: 100, quota: { limit: 10_000, period: 'DAY' } },
    byStage: {
      staging: { rateLimit: 100, burstLimit: 200, quota: { limit: 10_000, period: 'DAY' } },
      prod: { rateLimit: 500, burstLimit: 1000, quota: { limit: 10_000, period: 'DAY' } },
    },
  } as {
    readonly default: UsagePlanLimits;
    readonly byStage: Readonly<Record<string, UsagePlanLimits>>;
  },
} as const;

/**
 * The CORS origins of a stage: its own list, else the default. A stage that serves the web app
 * (its CloudFront distribution, in AWS) puts that origin first: API Gateway's preflights and
 * gateway responses can send only one origin, the first (cors.ts `gatewayCorsHeaders`), and the
 * app is the browser client every stage has. A stage open to every origin (`*`) stays so.
 *
 * @example
 * corsOrigins('prod') // ['https://snapstack.example']
 * corsOrigins('dev', 'https://d111.cloudfront.net') // ['https://d111.cloudfront.net', 'http://localhost:5173', ...]
 */
export function corsOrigins(stage: string, webAppOrigin?: string): readonly string[] {
  const listed = apiSettings.cors.allowOrigins.byStage[stage] ?? apiSettings.cors.allowOrigins.default;
  if (webAppOrigin === undefined || listed.includes('*')) return listed;
  return [webAppOrigin, ...listed.filter((origin) => origin !== webAppOrigin)];
}

/** The usage plan of a stage: its own limits, else the default. */
export function usagePlanFor(stage: string): UsagePlanLimits {
  return apiSettings.usagePlan.byStage[stage] ?? apiSettings.usagePlan.default;
}
