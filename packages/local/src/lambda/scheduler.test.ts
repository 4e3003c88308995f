import type { FunctionDefinition } from '@snapstack/domain/functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSchedules } from './scheduler.js';

const fn = (schedule?: { everyMinutes: number }): FunctionDefinition => ({
  package: 'x',
  entry: 'x.ts',
  description: '',
  memoryMb: 128,
  timeoutSeconds: 5,
  access: {},
  ...(schedule ? { schedule } : {}),
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('startSchedules', () => {
  it('runs each scheduled function at startup and then every period, and nothing else', async () => {
    const runs: string[] = [];
    const schedules = startSchedules({
      functions: { sweeper: fn({ everyMinutes: 15 }), api: fn() },
      run: async (id) => void runs.push(id),
      log: () => undefined,
      env: {},
    });
    expect(runs).toEqual(['sweeper']);
    await vi.advanceTimersByTimeAsync(15 * 60_000 - 1);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    schedules.close();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs).toHaveLength(2);
  });

  it('takes SWEEP_INTERVAL_SECONDS as the period, and never overlaps two runs of one function', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const schedules = startSchedules({
      functions: { sweeper: fn({ everyMinutes: 15 }) },
      run: () => {
        runs++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      log: () => undefined,
      env: { SWEEP_INTERVAL_SECONDS: '10' },
    });
    await vi.advanceTimersByTimeAsync(30_000); // the first run is still going: ticks are skipped
    expect(runs).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
    schedules.close();
  });

  it('refuses a malformed SWEEP_INTERVAL_SECONDS', () => {
    expect(() =>
      startSchedules({
        functions: {},
        run: async () => undefined,
        log: () => undefined,
        env: { SWEEP_INTERVAL_SECONDS: 'soon' },
      }),
    ).toThrow(/SWEEP_INTERVAL_SECONDS must be a positive integer/);
  });
});
