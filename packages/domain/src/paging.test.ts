import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { parsePageSize } from './paging.js';

describe('parsePageSize', () => {
  it('defaults to 20', () => expect(parsePageSize(undefined)).toBe(20));
  it.each(['0', '101', '-1', '1.5', 'ten', '', '1e2', ' 5'])('refuses %j, naming the range', (raw) => {
    expect(() => parsePageSize(raw)).toThrow(ValidationError);
    expect(() => parsePageSize(raw)).toThrow(/limit must be an integer from 1 to 100/);
  });
  it.each([
    ['1', 1],
    ['100', 100],
  ])('accepts %j', (raw, n) => expect(parsePageSize(raw)).toBe(n));
});
