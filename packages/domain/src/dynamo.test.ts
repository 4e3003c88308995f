import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './dynamo.js';
import { ValidationError } from './errors.js';

describe('pagination cursors', () => {
  it('round-trips a LastEvaluatedKey', () => {
    const key = { id: 'abc' };
    expect(decodeCursor(encodeCursor(key), ['id'])).toEqual(key);
  });

  it('has no cursor after the last page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined, ['id'])).toBeUndefined();
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['JSON of the wrong shape', Buffer.from('{"other":"x"}').toString('base64url')],
    ['a key with a non-string id', Buffer.from('{"id":{"S":"x"}}').toString('base64url')],
    ['a key with extra attributes', Buffer.from('{"id":"a","x":"b"}').toString('base64url')],
  ])('rejects %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor, ['id'])).toThrow(ValidationError);
  });
});
