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
  /** Sets the stored like count; NotFoundError if the user does not exist (never creates one). */
  setLikes(id: string, likes: number): Promise<void>;
}

/** Who likes whom: the latest like/unlike of each (user, liker) pair. */
export interface LikeRepository {
  /**
   * Stores the pair's state if `order` is later than the stored one. Returns false when an
   * equal or later request is already stored (a duplicate or an out-of-order delivery).
   */
  record(edge: { userId: string; likerId: string; liked: boolean; order: string }): Promise<boolean>;
  /** Distinct likers of the user now (a strongly consistent read). */
  countLikers(userId: string): Promise<number>;
}

/**
 * Why a like message was dropped. Both are permanent: the same message can never succeed, so
 * it is deleted, not retried (see docs/failures.md).
 * - `invalid-message`: the body is not a LikeMessage (not JSON, a field missing or too long).
 * - `unknown-user`: the liked user does not exist (or was deleted meanwhile).
 */
export type LikeDropReason = 'invalid-message' | 'unknown-user';

/** What the likes worker reports besides its log lines. */
export interface LikesTelemetry {
  dropped(reason: LikeDropReason): void;
}

export interface Clock {
  now(): Date;
}

export type IdGenerator = () => string;
