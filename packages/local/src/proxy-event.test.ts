import { describe, expect, it } from 'vitest';
import { fromProxyResult, headerMaps, isBinary, queryMaps } from './proxy-event.js';

describe('headerMaps', () => {
  it('keeps the sent case, lets the last value win and collects repeats', () => {
    const { headers, multiValueHeaders } = headerMaps(['Accept', 'a', 'X-Id', '1', 'x-id', '2']);
    expect(headers).toEqual({ Accept: 'a', 'X-Id': '2' });
    expect(multiValueHeaders).toEqual({ Accept: ['a'], 'X-Id': ['1', '2'] });
  });
});

describe('queryMaps', () => {
  it('is null without a query string, as API Gateway sends it', () => {
    expect(queryMaps(new URL('http://h/p'))).toEqual({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
    });
  });

  it('decodes values, last wins, and keeps every value in the multi-value form', () => {
    expect(queryMaps(new URL('http://h/p?a=1&a=2&b=x%20y'))).toEqual({
      queryStringParameters: { a: '2', b: 'x y' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
    });
  });
});

describe('isBinary', () => {
  it.each([
    ['image/png', ['image/*'], true],
    ['image/jpeg; charset=x', ['image/*'], true],
    ['application/json', ['image/*'], false],
    ['application/octet-stream', ['application/octet-stream'], true],
    [undefined, ['*/*'], false],
    ['text/plain', ['*/*'], true],
  ] as const)('%s against %j is %s', (type, patterns, expected) => {
    expect(isBinary(type, patterns)).toBe(expected);
  });
});

describe('fromProxyResult', () => {
  it('decodes base64 bodies and merges multi-value headers', () => {
    const answer = fromProxyResult({
      statusCode: 200,
      headers: { a: '1' },
      multiValueHeaders: { 'set-cookie': ['x=1', 'y=2'] },
      body: 'aGk=',
      isBase64Encoded: true,
    });
    expect(answer?.body.toString()).toBe('hi');
    expect(answer?.headers).toEqual({ a: '1', 'set-cookie': ['x=1', 'y=2'] });
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'ok'],
    ['no status code', { body: 'x' }],
    ['a fractional status', { statusCode: 200.5 }],
    ['an out-of-range status', { statusCode: 99 }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
  ])('rejects %s as API Gateway does (502)', (_case, result) => {
    expect(fromProxyResult(result)).toBeUndefined();
  });
});
