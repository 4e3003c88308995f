import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LambdaTarget, startLambda } from './invoke-api.js';

const dir = mkdtempSync(path.join(tmpdir(), 'snapstack-lambda-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const invoke = (endpoint: string, name: string, type: string, payload: unknown) =>
  fetch(`${endpoint}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
    method: 'POST',
    headers: { 'x-amz-invocation-type': type },
    body: JSON.stringify(payload),
  });

function recorder() {
  const events: Array<{ id: string; event: unknown; handled: () => void }> = [];
  const target: LambdaTarget = {
    invokeAsync: (id, event, { onHandled }) => void events.push({ id, event, handled: onHandled }),
    invokeSync: async (id, event) => ({ ok: true, result: { ran: id, event } }),
  };
  return { events, target };
}

describe('the local Lambda Invoke endpoint', () => {
  it('accepts Event invokes durably: journalled before the 202, redelivered after a restart until handled', async () => {
    const functionIds = new Map([['snapstack-local-thumbnailer', 'thumbnailer']]);
    const first = await startLambda({ functionIds, journalDir: dir, log: () => undefined });
    // Accepted while no invoker is connected yet (the runner crashes before delivering).
    const accepted = await invoke(first.endpoint, 'snapstack-local-thumbnailer', 'Event', { n: 1 });
    expect(accepted.status).toBe(202);
    await first.close();

    const second = await startLambda({ functionIds, journalDir: dir, log: () => undefined });
    const { events, target } = recorder();
    second.connect(target);
    expect(events).toMatchObject([{ id: 'thumbnailer', event: { n: 1 } }]);
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:snapstack-local-thumbnailer';
    expect((await invoke(second.endpoint, arn, 'Event', { n: 2 })).status).toBe(202);
    expect(events).toHaveLength(2);
    for (const e of events) e.handled();
    const sync = await invoke(second.endpoint, 'snapstack-local-thumbnailer', 'RequestResponse', { n: 3 });
    expect(await sync.json()).toEqual({ ran: 'thumbnailer', event: { n: 3 } });
    await second.close();

    const third = await startLambda({ functionIds, journalDir: dir, log: () => undefined });
    const again = recorder();
    third.connect(again.target);
    await third.close();
    expect(again.events).toEqual([]);
  });

  it('answers an unknown function as Lambda does', async () => {
    const lambda = await startLambda({ functionIds: new Map(), journalDir: undefined, log: () => undefined });
    try {
      const res = await invoke(lambda.endpoint, 'nope', 'Event', {});
      expect(res.status).toBe(404);
      expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    } finally {
      await lambda.close();
    }
  });

  it("answers a function's error as Lambda does: 200, X-Amz-Function-Error, the error as the payload", async () => {
    const functionIds = new Map([['snapstack-local-thumbnailer', 'thumbnailer']]);
    const lambda = await startLambda({ functionIds, journalDir: undefined, log: () => undefined });
    const error = {
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.00 seconds',
      trace: [],
    };
    lambda.connect({ invokeAsync: () => undefined, invokeSync: async () => ({ ok: false, error }) });
    try {
      const res = await invoke(lambda.endpoint, 'snapstack-local-thumbnailer', 'RequestResponse', {});
      expect(res.status).toBe(200);
      expect(res.headers.get('x-amz-function-error')).toBe('Unhandled');
      expect(await res.json()).toEqual(error);
    } finally {
      await lambda.close();
    }
  });
});
