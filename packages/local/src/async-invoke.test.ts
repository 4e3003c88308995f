import { describe, expect, it } from 'vitest';
import { AsyncInvoker } from './async-invoke.js';
import type { FunctionHost, LambdaHandler } from './function-host.js';

const hostWith = (handler: LambdaHandler) => ({ handler: async () => handler }) as unknown as FunctionHost;

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

describe('AsyncInvoker', () => {
  it('retries a failing invocation and succeeds when the function recovers', async () => {
    let calls = 0;
    const invoker = new AsyncInvoker({
      host: hostWith(async () => {
        calls++;
        if (calls < 3) throw new Error('transient');
      }),
      functions: fn(2),
      functionName: (id) => id,
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
      host: hostWith(async () => {
        calls++;
        throw new Error('still broken');
      }),
      functions: fn(1),
      functionName: (id) => id,
      retryDelayMs: () => 1,
      log: () => undefined,
      onFailure: (f) => destined.push(f),
    });
    invoker.invoke('worker', { n: 2 });
    await invoker.idle();
    expect(calls).toBe(2);
    expect(destined).toEqual([
      {
        functionId: 'worker',
        event: { n: 2 },
        error: 'still broken',
        attempts: 2,
        destination: 'worker-dlq',
      },
    ]);
  });

  it('runs at most `concurrency` invocations at once', async () => {
    let running = 0;
    let peak = 0;
    const invoker = new AsyncInvoker({
      host: hostWith(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      }),
      functions: fn(0),
      functionName: (id) => id,
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
      host: hostWith(async (event) => {
        ran.push(event);
        if (event === 'poison') throw new Error('never works');
      }),
      functions: fn(0),
      functionName: (id) => id,
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
});
