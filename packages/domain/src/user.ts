/** The user types, derived from their JSON Schemas (schemas.ts): one definition each. */
import type { FromSchema } from 'json-schema-to-ts';
import type { createUserSchema, patchUserSchema, userSchema } from './schemas.js';

/** A Snapstack user as stored and as returned by the API. */
export type User = Readonly<FromSchema<typeof userSchema>>;

/** The fields a client may set (POST /users). */
export type UserInput = Readonly<FromSchema<typeof createUserSchema>>;

/** PATCH /users/{id}: any of the settable fields, at least one. */
export type UserPatch = Readonly<FromSchema<typeof patchUserSchema>>;

/** One page of a listing; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}
