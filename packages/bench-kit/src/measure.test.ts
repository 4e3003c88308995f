import { describe, expect, it } from 'vitest';
import { median, percentile, timeNode, timingEnv } from './measure.js';

describe('percentile', () => {
  it('takes the nearest rank of a sorted sample', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 95)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(10);
  });

  it('is NaN for an empty sample rather than undefined', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('median', () => {
  it('sorts a copy first and leaves the input as it was', () => {
    const values = [9, 1, 5];
    expect(median(values)).toBe(5);
    expect(values).toEqual([9, 1, 5]);
  });
});

describe('timingEnv', () => {
  it('drops the variables that slow every Node start and keeps the rest', () => {
    const env = timingEnv({ EXTRA: '1' });
    expect(env.EXTRA).toBe('1');
    expect('NODE_OPTIONS' in env).toBe(false);
    expect('NODE_EXTRA_CA_CERTS' in env).toBe(false);
  });
});

describe('timeNode', () => {
  it('names the failing command and its stderr', () => {
    expect(() => timeNode(['-e', 'console.error("boom"); process.exit(3)'], timingEnv())).toThrow(/boom/);
  });
});
