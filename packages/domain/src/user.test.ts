import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CreateUploadInput, ImageContentType, ProcessImageInput } from './image.js';
import { userSchema } from './schemas.js';
import type { User, UserInput, UserPatch } from './user.js';
import { compileValidator } from './validation.js';

// The types are derived from the schemas; these pin the shapes the handlers and adapters rely on
// (checked by `pnpm typecheck`: a schema edit that changes a type fails here).
describe('types derived from the JSON Schemas', () => {
  it('give a User its stored fields, the optional ones optional', () => {
    expectTypeOf<User>().toEqualTypeOf<{
      readonly id: string;
      readonly name: string;
      readonly age: number;
      readonly email: string;
      readonly likes: number;
      readonly createdAt: string;
      readonly updatedAt?: string;
      readonly createdBy?: string;
    }>();
    expectTypeOf<UserInput>().toEqualTypeOf<{
      readonly name: string;
      readonly age: number;
      readonly email: string;
    }>();
    expectTypeOf<UserPatch>().toEqualTypeOf<{
      readonly name?: string;
      readonly age?: number;
      readonly email?: string;
    }>();
  });

  it('give the image requests their fields, content types as the accepted union', () => {
    expectTypeOf<CreateUploadInput>().toEqualTypeOf<{
      readonly contentType: ImageContentType;
      readonly bytes?: number;
    }>();
    expectTypeOf<ProcessImageInput>().toEqualTypeOf<{
      readonly image_id: string;
      readonly sizes?: number[];
    }>();
  });
});

describe('userSchema', () => {
  const validate = compileValidator<User>(userSchema);
  const user: User = {
    id: 'u-1',
    name: 'Ada',
    age: 36,
    email: 'ada@example.com',
    likes: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it('accepts a stored user and refuses one missing a field or carrying an unknown one', () => {
    expect(validate(user)).toEqual(user);
    const { likes: _likes, ...withoutLikes } = user;
    expect(() => validate(withoutLikes)).toThrow();
    expect(() => validate({ ...user, password: 'x' })).toThrow();
    expect(() => validate({ ...user, likes: -1 })).toThrow();
  });
});
