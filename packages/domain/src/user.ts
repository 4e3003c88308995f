/** A Snapstack user as stored and as returned by the API. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly age: number;
  readonly email: string;
  /** Distinct people who currently like this user. Written only by the likes worker. */
  readonly likes: number;
  readonly createdAt: string;
  readonly updatedAt?: string;
  /** The authorizer's `sub` of whoever created the user, when the route is authenticated. */
  readonly createdBy?: string;
}

/** The fields a client may set. */
export interface UserInput {
  readonly name: string;
  readonly age: number;
  readonly email: string;
}

export type UserPatch = Partial<UserInput>;

/** One page of a listing; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}
