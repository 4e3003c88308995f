/**
 * The local API Gateway: for each HTTP request, what a REST API stage does before, around
 * and after its integration — route by the route table, answer gateway errors with the
 * gateway's bodies, validate request models, build the proxy event, invoke, map the result.
 */
import type { FunctionId } from '@snapstack/domain/functions';
import {
  type GatewayResponseType,
  gatewayResponses,
  INTEGRATION_TIMEOUT_MS,
} from '@snapstack/domain/gateway';
import type { RouteDefinition } from '@snapstack/domain/routes';
import { requestSchemas } from '@snapstack/domain/schemas';
import { compileValidator, type Validator } from '@snapstack/domain/validation';
import type { Invoke } from '../lambda/invoke.js';
import { type SqsIntegrationTarget, sendToQueue } from '../sqs/gateway-integration.js';
import { buildProxyEvent, fromProxyResult, type HttpAnswer, type IncomingRequest } from './proxy-event.js';
import type { RouteMatch, RouteMatcher } from './route-matcher.js';

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
  /** Runs a catalog function (lambda/invoke.ts). */
  readonly invoke: Invoke;
  readonly binaryMediaTypes: readonly string[];
  readonly logError: (message: string, error: unknown) => void;
  readonly authenticate?: Authenticate;
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
    const event = buildProxyEvent(request, {
      stage: this.options.stage,
      resource: match.route.path,
      pathParameters: match.pathParameters,
      binaryMediaTypes: this.options.binaryMediaTypes,
      ...(authorizer ? { authorizer } : {}),
    });
    const outcome = await this.options.invoke(id, event, {
      requestId: request.requestId,
      waitMs: INTEGRATION_TIMEOUT_MS,
    });
    if (!outcome.ok) {
      this.options.logError(`${id} failed`, outcome.error);
      // API Gateway answers 504 only when it stopped waiting itself; a function's own timeout is its error.
      return gatewayAnswer(outcome.timedOut === 'caller' ? 'INTEGRATION_TIMEOUT' : 'INTEGRATION_FAILURE');
    }
    const answer = fromProxyResult(outcome.result);
    if (!answer) {
      this.options.logError(`${id} returned a malformed proxy result`, outcome.result);
      return gatewayAnswer('INTEGRATION_FAILURE');
    }
    return answer;
  }
}
