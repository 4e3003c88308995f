import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { createUploadSchema, createUserSchema, patchUserSchema } from './schemas.js';
import { compileValidator } from './validation.js';

const validateCreate = compileValidator(createUserSchema);
const validatePatch = compileValidator(patchUserSchema);
const valid = { name: 'Ada', age: 18, email: 'ada@example.com' };

function violations(validate: (v: unknown) => unknown, value: unknown): readonly string[] {
  try {
    validate(value);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  return [];
}

describe('createUserSchema', () => {
  it('accepts a complete user at the boundaries', () => {
    expect(validateCreate(valid)).toEqual(valid);
    expect(violations(validateCreate, { ...valid, age: 150 })).toEqual([]);
    expect(violations(validateCreate, { ...valid, name: 'x'.repeat(100) })).toEqual([]);
  });

  it.each([
    ['age 17', { ...valid, age: 17 }, 'age must be >= 18'],
    ['age as a string', { ...valid, age: '20' }, 'age must be integer'],
    ['fractional age', { ...valid, age: 20.5 }, 'age must be integer'],
    ['age 151', { ...valid, age: 151 }, 'age must be <= 150'],
    ['age 1e300', { ...valid, age: 1e300 }, 'age must be <= 150'],
    [
      'age 2^53 (9007199254740993 as JSON parses)',
      JSON.parse('{"name":"Ada","age":9007199254740993,"email":"ada@example.com"}'),
      'age must be <= 150',
    ],
    // `{"age":1e309}` parses to Infinity, which is no JSON number and so no integer.
    [
      'age Infinity (1e309)',
      JSON.parse('{"name":"Ada","age":1e309,"email":"ada@example.com"}'),
      'age must be integer',
    ],
    ['age -Infinity', { ...valid, age: Number.NEGATIVE_INFINITY }, 'age must be integer'],
    ['age NaN', { ...valid, age: Number.NaN }, 'age must be integer'],
    ['empty name', { ...valid, name: '' }, 'name must NOT have fewer than 1 characters'],
    [
      'name over 100 chars',
      { ...valid, name: 'x'.repeat(101) },
      'name must NOT have more than 100 characters',
    ],
    ['email without @', { ...valid, email: 'ada.example.com' }, 'email must match pattern'],
    ['email without a TLD', { ...valid, email: 'ada@example' }, 'email must match pattern'],
    ['email with a space', { ...valid, email: 'ada lovelace@example.com' }, 'email must match pattern'],
    ['unknown property', { ...valid, role: 'admin' }, 'body has unknown property "role"'],
    ['missing email', { name: 'Ada', age: 30 }, "body must have required property 'email'"],
    ['a JSON array', [valid], 'body must be object'],
    ['null', null, 'body must be object'],
  ])('rejects %s', (_case, value, expected) => {
    expect(violations(validateCreate, value).some((v) => v.startsWith(expected))).toBe(true);
  });

  it('reports every violation at once', () => {
    expect(violations(validateCreate, { name: '', age: 3, email: 'x' })).toHaveLength(3);
  });
});

describe('patchUserSchema', () => {
  it.each([[{ name: 'Grace' }], [{ age: 40 }], [{ email: 'g@navy.mil' }], [valid]])('accepts %j', (patch) => {
    expect(violations(validatePatch, patch)).toEqual([]);
  });

  it.each([
    ['an empty object', {}, 'body must NOT have fewer than 1 properties'],
    ['age 17', { age: 17 }, 'age must be >= 18'],
    ['a read-only field', { likes: 5 }, 'body has unknown property "likes"'],
    ['an id', { id: 'x' }, 'body has unknown property "id"'],
  ])('rejects %s', (_case, value, expected) => {
    expect(violations(validatePatch, value).some((v) => v.startsWith(expected))).toBe(true);
  });
});

describe('createUploadSchema', () => {
  const validateUpload = compileValidator(createUploadSchema);
  it.each([
    ['a size above 2^53 - 1', { contentType: 'image/png', bytes: 9007199254740992 }, 'bytes must be <='],
    [
      'an infinite size (1e309)',
      JSON.parse('{"contentType":"image/png","bytes":1e309}'),
      'bytes must be integer',
    ],
  ])('rejects %s', (_case, value, expected) => {
    expect(violations(validateUpload, value).some((v) => v.startsWith(expected))).toBe(true);
  });

  it('accepts the largest safe integer (the configured limit answers 413 above it)', () => {
    expect(violations(validateUpload, { contentType: 'image/png', bytes: Number.MAX_SAFE_INTEGER })).toEqual(
      [],
    );
  });
});

describe('compileValidator', () => {
  it('compiles nothing until the first validation, so importing a use case costs no code generation', () => {
    // ajv refuses this schema when it compiles it: creating the validator must not.
    const validate = compileValidator({ type: 'no-such-type' } as never);
    expect(() => validate({})).toThrow(/type/);
  });
});
