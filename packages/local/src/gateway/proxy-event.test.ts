import { describe, expect, it } from 'vitest';
import { fromProxyResult, headerMaps, isBinary, queryMaps } from './proxy-event.js';

describe('headerMaps', () => {
  it('keeps the sent case, lets the last value win and collects repeats', () => {
    const { headers, multiValueHeaders } = headerMaps(['Accept', 'a', 'X-Id', '1', 'x-id', '2']);
    expect(headers).toEqual({ Accept: 'a', 'X-Id': '2' });
    expect(multiValueHeaders).toEqual({ Accept: ['a'], 'X-Id': ['1', '2'] });
  });

  it('keeps headers named like Object.prototype members as plain entries (found by the fuzz suite)', () => {
    const { headers, multiValueHeaders } = headerMaps([
      '__proto__',
      'a',
      'constructor',
      'b',
      '__proto__',
      'c',
    ]);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.entries(headers)).toEqual([
      ['__proto__', 'c'],
      ['constructor', 'b'],
    ]);
    expect(Object.entries(multiValueHeaders)).toEqual([
      ['__proto__', ['a', 'c']],
      ['constructor', ['b']],
    ]);
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

  it('keeps parameters named like Object.prototype members as plain entries (found by the fuzz suite)', () => {
    // As API Gateway's JSON event does once parsed: own properties, the prototype untouched.
    const { queryStringParameters, multiValueQueryStringParameters } = queryMaps(
      new URL('http://h/p?__proto__=1&constructor=2&__proto__=3&hasOwnProperty=4'),
    );
    expect(Object.getPrototypeOf(queryStringParameters)).toBe(Object.prototype);
    expect(Object.entries(queryStringParameters ?? {})).toEqual([
      ['__proto__', '3'],
      ['constructor', '2'],
      ['hasOwnProperty', '4'],
    ]);
    expect(Object.entries(multiValueQueryStringParameters ?? {})).toEqual([
      ['__proto__', ['1', '3']],
      ['constructor', ['2']],
      ['hasOwnProperty', ['4']],
    ]);
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
