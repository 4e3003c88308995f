import { describe, expect, it } from 'vitest';
import { headerValue } from './headers.js';

describe('headerValue', () => {
  it('finds a header whatever its case, as API Gateway and Node deliver it', () => {
    expect(headerValue({ 'Content-Type': 'image/png' }, 'content-type')).toBe('image/png');
    expect(headerValue({ 'content-type': 'image/png' }, 'Content-Type')).toBe('image/png');
  });

  it('takes the first of repeated values and skips absent ones', () => {
    expect(headerValue({ 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'] }, 'X-Forwarded-For')).toBe('1.1.1.1');
    expect(headerValue({ Authorization: null, authorization: 'Bearer t' }, 'authorization')).toBe('Bearer t');
    expect(headerValue({ a: undefined }, 'a')).toBeUndefined();
  });

  it('answers undefined for missing headers and missing maps', () => {
    expect(headerValue({}, 'origin')).toBeUndefined();
    expect(headerValue(null, 'origin')).toBeUndefined();
    expect(headerValue(undefined, 'origin')).toBeUndefined();
  });
});
