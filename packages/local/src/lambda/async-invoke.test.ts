import { describe, expect, it } from 'vitest';
import { AsyncInvoker, type FailedInvocation } from './async-invoke.js';
import { createInvoke, type LambdaHandler } from './invoke.js';

const fn = (maximumRetryAttempts: number) => ({
  worker: {
    package: 'x',
    entry: 'x.ts',
    description: '',
    memoryMb: 128,
    timeoutSeconds: 5,
    access: {},
    asyncInvoke: { maximumRetryAttempts, maximumEventAgeSeconds: 3600, onFailureQueue: 'worker-dlq' },
  },
});

const invokeWith = (handler: LambdaHandler) =>
  createInvoke({ host: { handler: async () => handler }, functions: fn(0), functionName: (id) => id });

describe('AsyncInvoker', () => {
  it('retries a failing invocation and succeeds when the function recovers', async () => {
    let calls = 0;
    const invoker = new AsyncInvoker({
      invoke: invokeWith(async () => {
        calls++;
        if (calls < 3) throw new Error('transient');
      }),
      functions: fn(2),
      retryDelayMs: () => 1,
      log: () => undefined,
    });
    invoker.invoke('worker', { n: 1 });
    await invoker.idle();
    expect(calls).toBe(3);
    expect(invoker.failures).toEqual([]);
  });

  it('gives up after maximumRetryAttempts and hands the event to the on-failure destination', async () => {
    let calls = 0;
    const destined: unknown[] = [];
    const invoker = new AsyncInvoker({
      invoke: invokeWith(async () => {
        calls++;
        throw new Error('still broken');
      }),
      functions: fn(1),
      retryDelayMs: () => 1,
      log: () => undefined,
      onFailure: (f) => {
        destined.push(f);
      },
    });
    invoker.invoke('worker', { n: 2 });
    await invoker.idle();
    expect(calls).toBe(2);
    expect(destined).toEqual([
      {
        functionId: 'worker',
        event: { n: 2 },
        errorType: 'Error',
        error: 'still broken',
        attempts: 2,
        destination: 'worker-dlq',
        condition: 'RetriesExhausted',
      },
    ]);
  });

  it('runs at most `concurrency` invocations at once', async () => {
    let running = 0;
    let peak = 0;
    const invoker = new AsyncInvoker({
      invoke: invokeWith(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      }),
      functions: fn(0),
      concurrency: 2,
      log: () => undefined,
    });
    for (let i = 0; i < 6; i++) invoker.invoke('worker', i);
    await invoker.idle();
    expect(peak).toBe(2);
  });

  it('keeps running events after an on-failure destination throws', async () => {
    const lines: string[] = [];
    const ran: unknown[] = [];
    const invoker = new AsyncInvoker({
      invoke: invokeWith(async (event) => {
        ran.push(event);
        if (event === 'poison') throw new Error('never works');
      }),
      functions: fn(0),
      log: (line) => lines.push(line),
      onFailure: () => {
        throw new Error('destination unreachable');
      },
    });
    invoker.invoke('worker', 'poison');
    await invoker.idle();
    invoker.invoke('worker', 'fine');
    await invoker.idle();
    expect(ran).toEqual(['poison', 'fine']);
    expect(lines).toContainEqual(expect.stringContaining('destination unreachable'));
  });

  it('reports an event handled once it succeeded, or once its failure reached the destination', async () => {
    const handled: string[] = [];
    const invoker = new AsyncInvoker({
      invoke: invokeWith(async (event) => {
        if (event === 'bad') throw new Error('broken');
      }),
      functions: fn(0),
      log: () => undefined,
      onFailure: async () => undefined,
    });
    invoker.invoke('worker', 'good', { onHandled: () => handled.push('good') });
    invoker.invoke('worker', 'bad', { onHandled: () => handled.push('bad') });
    await invoker.idle();
    expect(handled.sort()).toEqual(['bad', 'good']);
  });

  it('leaves an event unhandled when the destination refuses it (a journal keeps it for a restart)', async () => {
    const handled: string[] = [];
    const invoker = new AsyncInvoker({
      invoke: invokeWith(async () => {
        throw new Error('broken');
      }),
      functions: fn(0),
      log: () => undefined,
      onFailure: async () => {
        throw new Error('queue unavailable');
      },
    });
    invoker.invoke('worker', 'x', { onHandled: () => handled.push('x') });
    await invoker.idle();
    expect(handled).toEqual([]);
    expect(invoker.failures).toHaveLength(1);
  });

  it('sends a redelivered event older than maximumEventAgeSeconds to the destination without running it', async () => {
    let calls = 0;
    const destined: FailedInvocation[] = [];
    const invoker = new AsyncInvoker({
      invoke: invokeWith(async () => {
        calls++;
      }),
      functions: fn(2),
      log: () => undefined,
      onFailure: (f) => {
        destined.push(f);
      },
    });
    invoker.invoke('worker', 'stale', { receivedAt: Date.now() - 3601_000 });
    invoker.invoke('worker', 'fresh', { receivedAt: Date.now() - 60_000 });
    await invoker.idle();
    expect(calls).toBe(1);
    expect(destined).toMatchObject([{ event: 'stale', condition: 'EventAgeExceeded', attempts: 0 }]);
  });

  it('does not report events dropped by close() as handled', async () => {
    const handled: string[] = [];
    let release: () => void = () => undefined;
    const invoker = new AsyncInvoker({
      invoke: invokeWith(() => new Promise<void>((resolve) => (release = resolve))),
      functions: fn(0),
      concurrency: 1,
      log: () => undefined,
    });
    invoker.invoke('worker', 'running', { onHandled: () => handled.push('running') });
    invoker.invoke('worker', 'queued', { onHandled: () => handled.push('queued') });
    await new Promise((resolve) => setImmediate(resolve));
    const closing = invoker.close();
    release();
    await closing;
    expect(handled).toEqual(['running']);
  });
});
