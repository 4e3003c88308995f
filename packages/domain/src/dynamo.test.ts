import { describe, expect, it } from 'vitest';
import {
  DYNAMODB_KEY_LIMITS,
  decodeCursor,
  encodeCursor,
  isStorableKey,
  isStorableKeyValue,
} from './dynamo.js';
import { ValidationError } from './errors.js';
import { tables } from './tables.js';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('pagination cursors', () => {
  it('round-trips a LastEvaluatedKey', () => {
    const key = { id: 'abc' };
    expect(decodeCursor(encodeCursor(key), tables.users)).toEqual(key);
  });

  it('has no cursor after the last page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined, tables.users)).toBeUndefined();
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['JSON of the wrong shape', cursorOf({ other: 'x' })],
    ['a key with a non-string id', cursorOf({ id: { S: 'x' } })],
    ['a key with extra attributes', cursorOf({ id: 'a', x: 'b' })],
    ['a JSON array', cursorOf(['a'])],
    ['null', cursorOf(null)],
    ['an empty id', cursorOf({ id: '' })],
    ['an id over 2048 bytes', cursorOf({ id: 'x'.repeat(2049) })],
    ['an id of 683 three-byte characters (2049 bytes)', cursorOf({ id: '€'.repeat(683) })],
  ])('rejects %s with a ValidationError (400)', (_case, cursor) => {
    expect(() => decodeCursor(cursor, tables.users)).toThrow(ValidationError);
  });

  it('accepts an id of exactly 2048 bytes', () => {
    expect(decodeCursor(cursorOf({ id: 'x'.repeat(2048) }), tables.users)).toEqual({ id: 'x'.repeat(2048) });
  });
});

describe('isStorableKeyValue', () => {
  it.each([
    ['partition', 'x'.repeat(DYNAMODB_KEY_LIMITS.partitionKeyBytes), true],
    ['partition', 'x'.repeat(DYNAMODB_KEY_LIMITS.partitionKeyBytes + 1), false],
    ['partition', '😀'.repeat(512), true], // 4 bytes each: 2048
    ['partition', '😀'.repeat(513), false],
    ['sort', 'x'.repeat(DYNAMODB_KEY_LIMITS.sortKeyBytes), true],
    ['sort', 'x'.repeat(DYNAMODB_KEY_LIMITS.sortKeyBytes + 1), false],
    ['partition', '', false],
    ['partition', 'a\ud83db', false], // a lone surrogate has no UTF-8 form
    ['partition', 42, false],
  ] as const)('a %s key value %# is storable: %s', (role, value, expected) => {
    expect(isStorableKeyValue(value, role)).toBe(expected);
  });
});

describe('isStorableKey', () => {
  it('checks each attribute of a composite key against its own limit', () => {
    expect(isStorableKey(tables.likes, { userId: 'u', likerId: 'l' })).toBe(true);
    expect(isStorableKey(tables.likes, { userId: 'u'.repeat(2048), likerId: 'l'.repeat(1024) })).toBe(true);
    expect(isStorableKey(tables.likes, { userId: 'u', likerId: 'l'.repeat(1025) })).toBe(false);
    expect(isStorableKey(tables.likes, { userId: 'u' })).toBe(false);
  });
});
