/**
 * The one way the runner runs a Lambda function: every caller (the gateway's proxy
 * integration, the authorizer stage, async invokes, SQS event sources, the Invoke API) goes
 * through `createInvoke`, so each invocation gets Lambda's context, the function's own timeout
 * from the catalog, the result as it crosses Lambda's wire (JSON, `undefined` -> `null`), and
 * one error shape: `{ errorType, errorMessage, trace }`, as Lambda's Node.js runtime reports it.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '@snapstack/domain/aws';
import type { FunctionDefinition } from '@snapstack/domain/functions';
import type { Context } from 'aws-lambda';

export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** What the invoker needs of a function host: the loaded handler of a catalog function. */
export interface HandlerSource {
  handler(id: string): Promise<LambdaHandler>;
}

/** A function's error as Lambda reports it (Invoke API body, destination records, logs). */
export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false;
      readonly error: LambdaError;
      /** `function`: the function's own timeout; `caller`: the caller stopped waiting first. */
      readonly timedOut?: 'function' | 'caller';
    };

export interface InvokeOptions {
  /** Lambda's `awsRequestId` (the gateway passes its request id); default a fresh UUID. */
  readonly requestId?: string;
  /** How long the caller waits (API Gateway: 29 s); the function's own timeout still applies. */
  readonly waitMs?: number;
}

export type Invoke = (id: string, event: unknown, options?: InvokeOptions) => Promise<InvokeOutcome>;

type Catalog = Readonly<Record<string, Pick<FunctionDefinition, 'memoryMb' | 'timeoutSeconds'>>>;

export function createInvoke(options: {
  readonly host: HandlerSource;
  readonly functions: Catalog;
  readonly functionName: (id: string) => string;
}): Invoke {
  return async (id, event, { requestId = randomUUID(), waitMs } = {}) => {
    const definition = options.functions[id];
    if (!definition) throw new Error(`${id} is not a function of the catalog`);
    const timeoutMs = definition.timeoutSeconds * 1000;
    const context = lambdaContext(options.functionName(id), definition.memoryMb, timeoutMs, requestId);
    const timers: NodeJS.Timeout[] = [];
    const timedOut = (ms: number, who: 'function' | 'caller', error: LambdaError): Promise<InvokeOutcome> =>
      new Promise((resolve) =>
        timers.push(setTimeout(() => resolve({ ok: false, error, timedOut: who }), ms)),
      );
    const run = async (): Promise<InvokeOutcome> => {
      try {
        const handler = await options.host.handler(id);
        return { ok: true, result: overTheWire(await handler(event, context)) };
      } catch (error) {
        return { ok: false, error: lambdaError(error) };
      }
    };
    try {
      return await Promise.race([
        run(),
        timedOut(timeoutMs, 'function', timeoutError(requestId, definition.timeoutSeconds)),
        ...(waitMs !== undefined && waitMs < timeoutMs
          ? [timedOut(waitMs, 'caller', timeoutError(requestId, waitMs / 1000))]
          : []),
      ]);
    } finally {
      for (const timer of timers) clearTimeout(timer);
    }
  };
}

/** Lambda's report of a function that ran out of time. */
function timeoutError(requestId: string, seconds: number): LambdaError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`,
    trace: [],
  };
}

/** Lambda serializes a function's result as JSON; one that cannot be is the function's error. */
function overTheWire(result: unknown): unknown {
  let text: string;
  try {
    text = JSON.stringify(result === undefined ? null : result);
  } catch {
    throw new Error('Unable to stringify response body');
  }
  return JSON.parse(text);
}

/** How Lambda's Node.js runtime reports what a handler threw (an Error, or any other value). */
export function lambdaError(thrown: unknown): LambdaError {
  if (thrown instanceof Error)
    return {
      errorType: thrown.name,
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n').filter(Boolean),
    };
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

/** A local function's ARN, as Lambda spells it. */
export const localFunctionArn = (functionName: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`;

export function lambdaContext(
  functionName: string,
  memoryMb: number,
  timeoutMs: number,
  requestId: string,
): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(functionName),
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
