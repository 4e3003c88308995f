import { describe, expect, it } from 'vitest';
import { positiveIntEnv, requiredEnv } from './env.js';

describe('requiredEnv', () => {
  it('returns the value, and names the variable when it is missing', () => {
    expect(requiredEnv('A', { A: 'x' })).toBe('x');
    expect(() => requiredEnv('A', {})).toThrow('environment variable A is required');
  });
});

describe('positiveIntEnv', () => {
  it.each([
    [undefined, 7],
    ['', 7],
    ['1', 1],
    ['4500000', 4_500_000],
  ])('reads %j as %i', (raw, expected) => {
    expect(positiveIntEnv('N', 7, raw === undefined ? {} : { N: raw })).toBe(expected);
  });

  it.each(['0', '-3', '1.5', 'ten', '1e3x'])('refuses %j with the variable named', (raw) => {
    expect(() => positiveIntEnv('N', 7, { N: raw })).toThrow(`N must be a positive integer, got "${raw}"`);
  });
});
