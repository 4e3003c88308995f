/**
 * The local API Gateway's auth stage, with API Gateway's semantics:
 *
 * - `jwt` routes: the identity source (`Authorization`) missing or empty -> 401 without invoking
 *   the authorizer. Otherwise the real authorizer handler (from the function catalog, through
 *   the FunctionHost) gets a REQUEST event; its result is cached by identity source value for
 *   the TTL (0 disables) and its policy is evaluated against this request's method ARN.
 *   `Unauthorized` thrown -> 401 (not cached); any other failure, a timeout (the authorizer
 *   function's own, from the catalog) or a malformed result -> 500 `{"message": null}`
 *   (API Gateway's AUTHORIZER_FAILURE: an AuthorizerConfigurationException).
 *   The admitted request carries `context` + `principalId` as `requestContext.authorizer`.
 * - `apiKey` routes: `x-api-key` must be a key of the usage plan (else 403 Forbidden); then
 *   the plan's token bucket and daily quota (429 Too Many Requests / Limit Exceeded).
 */

import { apiSettings, usagePlanFor } from '@snapstack/domain/api-settings';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '@snapstack/domain/aws';
import { headerValue } from '@snapstack/domain/headers';
import type { RouteDefinition } from '@snapstack/domain/routes';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Invoke } from '../lambda/invoke.js';
import { type Authenticate, gatewayAnswer } from './gateway.js';
import { evaluatePolicy } from './iam.js';
import {
  buildProxyEvent,
  type HttpAnswer,
  headerMaps,
  type IncomingRequest,
  LOCAL_API_ID,
} from './proxy-event.js';
import { UsagePlan, type UsagePlanLimits } from './usage-plan.js';

export interface AuthStageOptions {
  readonly stage: string;
  /** Runs the authorizer function (lambda/invoke.ts), with its own timeout from the catalog. */
  readonly invoke: Invoke;
  /** API keys of the usage plan. */
  readonly apiKeys: readonly string[];
  readonly usagePlan?: UsagePlanLimits;
  readonly resultTtlSeconds?: number;
  readonly now?: () => number;
  readonly logError?: (message: string, error: unknown) => void;
}

export interface AuthStage {
  readonly authenticate: Authenticate;
  /** How many times the authorizer function ran (cache hits do not count). */
  readonly authorizerInvocations: () => number;
}

interface CachedResult {
  readonly expiresAt: number;
  readonly policyDocument: { readonly Statement?: unknown };
  readonly authorizer: Record<string, unknown>;
}

type Admission = Awaited<ReturnType<Authenticate>>;

export function createAuthStage(options: AuthStageOptions): AuthStage {
  const now = options.now ?? Date.now;
  const ttlMs = (options.resultTtlSeconds ?? apiSettings.authorizer.resultTtlSeconds) * 1000;
  const cache = new Map<string, CachedResult>();
  const logError = options.logError ?? (() => undefined);
  let invocations = 0;

  async function invokeAuthorizer(
    route: RouteDefinition,
    request: IncomingRequest,
    pathParameters: Readonly<Record<string, string>>,
    arn: string,
  ): Promise<CachedResult | { readonly deny: HttpAnswer }> {
    const id = apiSettings.authorizer.function;
    const event = authorizerEvent(request, route, pathParameters, options.stage, arn);
    invocations += 1;
    const started = performance.now();
    const outcome = await options.invoke(id, event, { requestId: request.requestId });
    if (!outcome.ok) {
      if (outcome.error.errorMessage === 'Unauthorized') return { deny: gatewayAnswer('UNAUTHORIZED') };
      logError('authorizer failed', outcome.error);
      return { deny: gatewayAnswer('AUTHORIZER_FAILURE') };
    }
    const result = outcome.result;
    const parsed = parseAuthorizerResult(result, Math.round(performance.now() - started));
    if (!parsed) {
      logError('authorizer returned a malformed result', result);
      return { deny: gatewayAnswer('AUTHORIZER_FAILURE') };
    }
    return { ...parsed, expiresAt: now() + ttlMs };
  }

  async function authorizeJwt(
    route: RouteDefinition,
    request: IncomingRequest,
    pathParameters: Readonly<Record<string, string>>,
  ): Promise<Admission> {
    const identity = identitySource(request, 'authorization');
    if (!identity) return { deny: gatewayAnswer('UNAUTHORIZED') };
    const arn = methodArn(options.stage, request);
    let result = cache.get(identity);
    if (!result || result.expiresAt <= now()) {
      cache.delete(identity);
      const fresh = await invokeAuthorizer(route, request, pathParameters, arn);
      if ('deny' in fresh) return fresh;
      result = fresh;
      if (ttlMs > 0) cache.set(identity, result);
    }
    switch (evaluatePolicy(result.policyDocument, arn)) {
      case 'allow':
        return { authorizer: result.authorizer };
      case 'explicit-deny':
        return { deny: gatewayAnswer('ACCESS_DENIED') };
      case 'implicit-deny':
        return { deny: implicitDeny() };
    }
  }

  const checkApiKey = apiKeyCheck(
    new UsagePlan(options.usagePlan ?? usagePlanFor(options.stage), now),
    options.apiKeys,
  );

  return {
    authorizerInvocations: () => invocations,
    async authenticate(route, request, pathParameters = {}) {
      switch (route.auth.kind) {
        case 'none':
          return {};
        case 'jwt':
          return authorizeJwt(route, request, pathParameters);
        case 'apiKey':
          return checkApiKey(request);
      }
    },
  };
}

/** The execute-api ARN of this request's method, which the authorizer's policy must allow. */
const methodArn = (stage: string, request: IncomingRequest) =>
  `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${LOCAL_API_ID}/${stage}/${request.method}${request.url.pathname}`;

/** The REQUEST authorizer event: the proxy event's request fields plus the method ARN. */
function authorizerEvent(
  request: IncomingRequest,
  route: RouteDefinition,
  pathParameters: Readonly<Record<string, string>>,
  stage: string,
  methodArn: string,
): APIGatewayRequestAuthorizerEvent {
  const proxy = buildProxyEvent(request, {
    stage,
    resource: route.path,
    pathParameters,
    binaryMediaTypes: [],
  });
  return {
    type: 'REQUEST',
    methodArn,
    resource: proxy.resource,
    path: proxy.path,
    httpMethod: proxy.httpMethod,
    headers: proxy.headers,
    multiValueHeaders: proxy.multiValueHeaders,
    queryStringParameters: proxy.queryStringParameters,
    multiValueQueryStringParameters: proxy.multiValueQueryStringParameters,
    pathParameters: proxy.pathParameters,
    stageVariables: proxy.stageVariables,
    requestContext: { ...proxy.requestContext, authorizer: undefined },
  };
}

/** `apiKey` routes: a key of the usage plan, then the plan's rate limit and quota for that key. */
function apiKeyCheck(plan: UsagePlan, keys: readonly string[]): (request: IncomingRequest) => Admission {
  const apiKeys = new Set(keys);
  return (request): Admission => {
    const key = identitySource(request, 'x-api-key');
    if (!key || !apiKeys.has(key)) return { deny: gatewayAnswer('INVALID_API_KEY') };
    switch (plan.consume(key)) {
      case 'ok':
        return {};
      case 'throttled':
        return { deny: gatewayAnswer('THROTTLED') };
      case 'quota-exceeded':
        return { deny: gatewayAnswer('QUOTA_EXCEEDED') };
    }
  };
}

/** A policy without a matching Allow: API Gateway's ACCESS_DENIED type, without "explicit deny". */
function implicitDeny(): HttpAnswer {
  return {
    ...gatewayAnswer('ACCESS_DENIED'),
    body: Buffer.from(JSON.stringify({ message: 'User is not authorized to access this resource' })),
  };
}

/** API Gateway's identity source: a header present with a non-empty value (names case-insensitive). */
function identitySource(request: IncomingRequest, name: string): string | undefined {
  const value = headerValue(headerMaps(request.rawHeaders).headers, name);
  return value?.trim() ? value : undefined;
}

/**
 * Validates an authorizer result as API Gateway does: a string `principalId`, a policy document
 * with statements, and a flat `context`. Context values reach REST proxy events as strings.
 */
function parseAuthorizerResult(
  result: unknown,
  latencyMs: number,
): Omit<CachedResult, 'expiresAt'> | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const r = result as { principalId?: unknown; policyDocument?: unknown; context?: unknown };
  if (
    typeof r.principalId !== 'string' ||
    r.policyDocument === null ||
    typeof r.policyDocument !== 'object'
  ) {
    return undefined;
  }
  const policyDocument = r.policyDocument as { Statement?: unknown };
  if (!Array.isArray(policyDocument.Statement)) return undefined;
  const context: Record<string, unknown> = {};
  if (r.context !== undefined && r.context !== null) {
    if (typeof r.context !== 'object' || Array.isArray(r.context)) return undefined;
    for (const [key, value] of Object.entries(r.context)) {
      if (value === null || !['string', 'number', 'boolean'].includes(typeof value)) return undefined;
      context[key] = String(value);
    }
  }
  return {
    policyDocument,
    authorizer: { ...context, principalId: r.principalId, integrationLatency: latencyMs },
  };
}
