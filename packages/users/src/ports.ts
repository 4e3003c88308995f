import type { Page, User, UserPatch } from '@snapstack/domain/user';

/** Storage for users. The DynamoDB adapter implements it; use cases only see this. */
export interface UserRepository {
  /** Stores a new user; ConflictError if the id exists. */
  create(user: User): Promise<void>;
  get(id: string): Promise<User | undefined>;
  list(options: { limit: number; cursor?: string }): Promise<Page<User>>;
  /** Applies the given fields and `updatedAt`; NotFoundError if the user does not exist. */
  update(id: string, patch: UserPatch, updatedAt: string): Promise<User>;
  /** NotFoundError if the user does not exist. */
  delete(id: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type IdGenerator = () => string;
