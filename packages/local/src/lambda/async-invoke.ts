/**
 * Lambda's asynchronous invocation, locally: events are queued, run with bounded
 * concurrency, retried on failure like Lambda's async invoke (`maximumRetryAttempts`, with
 * growing delays), and handed to the on-failure destination when every attempt failed.
 * S3 notifications reach functions this way, as in AWS.
 */
import type { AsyncInvokeSettings, FunctionDefinition } from '@snapstack/domain/functions';
import type { Invoke } from './invoke.js';

export interface FailedInvocation {
  readonly functionId: string;
  readonly event: unknown;
  /** The last attempt's `errorType` and `errorMessage`, as Lambda reports them. */
  readonly errorType: string;
  readonly error: string;
  readonly attempts: number;
  readonly destination: string;
  /** Lambda's `requestContext.condition`: `RetriesExhausted` or `EventAgeExceeded`. */
  readonly condition: 'RetriesExhausted' | 'EventAgeExceeded';
}

export interface AsyncInvokerOptions {
  /** Runs a catalog function (lambda/invoke.ts). */
  readonly invoke: Invoke;
  /** The catalog, for each function's async invoke settings. */
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  /** Delay before retry n (1-based). Lambda waits ~1 min then ~2 min; locally seconds. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** How many invocations run at once (the machine's cores, not Lambda's 1000). */
  readonly concurrency?: number;
  readonly log: (line: string) => void;
  /**
   * The on-failure destination: called with the event that failed every attempt (or grew older
   * than `maximumEventAgeSeconds`). When it returns a promise, the event counts as handled only
   * once that resolves.
   */
  readonly onFailure?: (failure: FailedInvocation) => void | Promise<void>;
}

export interface InvokeOptions {
  /** When the event was first accepted (epoch ms; default now): a redelivered event keeps its age. */
  readonly receivedAt?: number;
  /**
   * Called once the event is handled: the function succeeded, or the failure reached the
   * on-failure destination. Not called for events dropped by `close()`: they are not handled.
   */
  readonly onHandled?: () => void;
}

/** The destination of a function that declares none: the failed event is dropped, as Lambda does. */
export const NO_DESTINATION = '(none)';

const DEFAULT_SETTINGS: AsyncInvokeSettings = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21600,
  onFailureQueue: NO_DESTINATION,
};

interface Job {
  readonly functionId: string;
  readonly event: unknown;
  readonly enqueuedAt: number;
  readonly onHandled: (() => void) | undefined;
  attempts: number;
}

export class AsyncInvoker {
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;
  readonly failures: FailedInvocation[] = [];

  constructor(private readonly options: AsyncInvokerOptions) {}

  /** Accepts the event (as Lambda answers 202) and runs it later. */
  invoke(functionId: string, event: unknown, options: InvokeOptions = {}): void {
    if (this.closed) return;
    this.queue.push({
      functionId,
      event,
      enqueuedAt: options.receivedAt ?? Date.now(),
      onHandled: options.onHandled,
      attempts: 0,
    });
    this.pump();
  }

  /** Resolves when nothing is queued, running or waiting to retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops accepting events, drops pending retries and waits for running invocations. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    await this.idle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.running === 0 && this.timers.size === 0;
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 2;
    while (this.running < concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      this.run(job)
        .catch((error: unknown) =>
          // run() catches the handler's errors; this is the boundary for everything else
          // (an on-failure destination that throws), so one event never stops the invoker.
          this.options.log(
            `error: ${job.functionId} async invoke: ${(error as Error)?.message ?? String(error)}`,
          ),
        )
        .finally(() => {
          this.running--;
          this.pump();
          if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }

  private async run(job: Job): Promise<void> {
    const definition = this.options.functions[job.functionId];
    const settings = definition?.asyncInvoke ?? DEFAULT_SETTINGS;
    // Lambda discards an event older than the maximum age instead of running it (a redelivered one can be).
    if (job.attempts === 0 && (Date.now() - job.enqueuedAt) / 1000 >= settings.maximumEventAgeSeconds) {
      await this.fail(job, settings, 'EventAgeExceeded', {
        errorType: 'EventAgeExceeded',
        errorMessage: 'the event is older than maximumEventAgeSeconds',
      });
      return;
    }
    job.attempts++;
    const outcome = await this.options.invoke(job.functionId, job.event);
    if (outcome.ok) {
      job.onHandled?.();
      return;
    }
    if (this.closed) return;
    const { errorType, errorMessage } = outcome.error;
    const age = (Date.now() - job.enqueuedAt) / 1000;
    if (job.attempts <= settings.maximumRetryAttempts && age < settings.maximumEventAgeSeconds) {
      this.retryLater(job, errorMessage);
      return;
    }
    const condition = age < settings.maximumEventAgeSeconds ? 'RetriesExhausted' : 'EventAgeExceeded';
    await this.fail(job, settings, condition, { errorType, errorMessage });
  }

  private retryLater(job: Job, message: string): void {
    const delay = (this.options.retryDelayMs ?? ((n) => 1000 * n))(job.attempts);
    this.options.log(
      `${job.functionId} async invoke failed (attempt ${job.attempts}): ${message}; retrying in ${delay} ms`,
    );
    const retry = setTimeout(() => {
      this.timers.delete(retry);
      this.queue.push(job);
      this.pump();
    }, delay);
    this.timers.add(retry);
  }

  private async fail(
    job: Job,
    settings: AsyncInvokeSettings,
    condition: FailedInvocation['condition'],
    { errorType, errorMessage: message }: { errorType: string; errorMessage: string },
  ): Promise<void> {
    const failure: FailedInvocation = {
      functionId: job.functionId,
      event: job.event,
      errorType,
      error: message,
      attempts: job.attempts,
      destination: settings.onFailureQueue,
      condition,
    };
    this.failures.push(failure);
    this.options.log(
      `${job.functionId} async invoke failed ${job.attempts} time(s): ${message}; sent to on-failure destination ${settings.onFailureQueue}`,
    );
    try {
      await this.options.onFailure?.(failure);
      job.onHandled?.();
    } catch (error) {
      // Not handled: a persisted event stays in its journal and is redelivered after a restart.
      this.options.log(`${job.functionId}: the on-failure destination refused the event: ${String(error)}`);
    }
  }
}
