import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createInvoke, type LambdaHandler } from './invoke.js';

const catalog = {
  quick: { memoryMb: 256, timeoutSeconds: 0.05 },
  roomy: { memoryMb: 1024, timeoutSeconds: 30 },
};

const invokeWith = (handler: LambdaHandler) =>
  createInvoke({
    host: { handler: async () => handler },
    functions: catalog,
    functionName: (id) => `snapstack-test-${id}`,
  });

describe('invoking a function locally', () => {
  it('hands the handler Lambda context for its catalog entry', async () => {
    let seen: Context | undefined;
    const invoke = invokeWith(async (_event, context) => {
      seen = context as Context;
      return 'done';
    });
    expect(await invoke('roomy', {}, { requestId: 'req-1' })).toEqual({ ok: true, result: 'done' });
    expect(seen).toMatchObject({
      functionName: 'snapstack-test-roomy',
      memoryLimitInMB: '1024',
      awsRequestId: 'req-1',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:snapstack-test-roomy',
    });
    expect(seen?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(seen?.getRemainingTimeInMillis()).toBeLessThanOrEqual(30_000);
  });

  it('ends a function that outlives its catalog timeout as Lambda reports it', async () => {
    const invoke = invokeWith(() => new Promise(() => undefined));
    expect(await invoke('quick', {}, { requestId: 'req-2' })).toEqual({
      ok: false,
      timedOut: 'function',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: 'RequestId: req-2 Error: Task timed out after 0.05 seconds',
        trace: [],
      },
    });
  });

  it('tells a caller that stopped waiting apart from the function timing out', async () => {
    const invoke = invokeWith(() => new Promise(() => undefined));
    const outcome = await invoke('roomy', {}, { waitMs: 10 });
    expect(outcome).toMatchObject({ ok: false, timedOut: 'caller' });
  });

  it("reports what a handler threw in Lambda's error shape", async () => {
    class NotFound extends Error {
      override name = 'NotFound';
    }
    const thrown = await invokeWith(async () => {
      throw new NotFound('no such user');
    })('roomy', {});
    expect(thrown).toMatchObject({
      ok: false,
      error: { errorType: 'NotFound', errorMessage: 'no such user' },
    });
    if (thrown.ok) throw new Error('expected a failure');
    expect(thrown.error.trace.join('\n')).toContain('invoke.test.ts');
    expect(thrown.timedOut).toBeUndefined();
    const aString = await invokeWith(async () => {
      throw 'plain';
    })('roomy', {});
    expect(aString).toEqual({ ok: false, error: { errorType: 'string', errorMessage: 'plain', trace: [] } });
  });

  it('returns the result as it crosses the wire: JSON, undefined as null', async () => {
    expect(await invokeWith(async () => undefined)('roomy', {})).toEqual({ ok: true, result: null });
    const date = new Date(0);
    expect(await invokeWith(async () => ({ date }))('roomy', {})).toEqual({
      ok: true,
      result: { date: '1970-01-01T00:00:00.000Z' },
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(await invokeWith(async () => circular)('roomy', {})).toMatchObject({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'Unable to stringify response body' },
    });
  });

  it('refuses a function the catalog does not have', async () => {
    await expect(invokeWith(async () => 1)('missing', {})).rejects.toThrow(/missing is not a function/);
  });
});
