/**
 * Applying likes: pure use cases over the ports. Exact without transactions (dynalite has
 * none), under duplicate and out-of-order delivery, concurrent workers and a crash between
 * any two writes.
 *
 * The design: the likes table is the truth, the user's `likes` a derived value.
 * 1. Check the user exists; a like for an unknown or deleted user is dropped (log + metric),
 *    and nothing is written, so no user and no orphan like is ever created.
 * 2. Write 1: record the pair's state if this request is later (`order` = time + request id)
 *    than the stored one. Idempotent: a redelivery or an older request changes nothing.
 * 3. Write 2: set the user's `likes` to a consistent count of the pair items with
 *    `liked = true` (conditional on the user existing), then count again; repeat until the
 *    count after the write equals what was written.
 * Steps 2-3 always run, even when step 2 changed nothing: a redelivery after a crash between
 * the writes (or after write 2 lost a race) still corrects the count. Why it converges: the
 * last write to `likes` is followed by a count that matched it, and any pair write after that
 * count belongs to a worker that writes `likes` later, so the last write is exact.
 *
 * Records of one user processed together (a batch, or concurrent batches in one container)
 * share count rounds: a record joins the next round that starts after its pair write, so a
 * burst of likes for one user costs a few counts, not one per like.
 *
 * Permanent vs transient: a message that can never succeed (it is not a LikeMessage, or its
 * user does not exist) is dropped — logged, counted, deleted — because a retry would fail the
 * same way and park it in the DLQ, where a redrive would loop it. Only a failure that may pass
 * on a later try (DynamoDB throttling or an outage, a count that did not settle) is thrown, so
 * SQS redelivers it and, after maxReceiveCount, dead-letters it. The rule: docs/failures.md.
 */
import { NotFoundError, ValidationError } from '@snapstack/domain/errors';
import type { LikeMessage } from '@snapstack/domain/likes';
import { likeMessageSchema } from '@snapstack/domain/likes';
import type { Logger } from '@snapstack/domain/logger';
import { compileValidator } from '@snapstack/domain/validation';
import type { LikeRepository, LikesTelemetry, UserRepository } from '../ports.js';

const validateMessage = compileValidator<LikeMessage>(likeMessageSchema);

/** How often step 3 may lose a race in one attempt before the record is retried by SQS. */
export const MAX_COUNT_ROUNDS = 10;

export type LikeOutcome = 'applied' | 'dropped';

/** Parses a queue message body; a ValidationError for anything that is not a LikeMessage. */
export function parseLikeMessage(body: string): LikeMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    value = undefined;
  }
  return validateMessage(value);
}

/** Orders requests: epoch ms, zero-padded so strings compare as numbers, then the request id. */
export function requestOrder(message: Pick<LikeMessage, 'at' | 'requestId'>): string {
  return `${String(message.at).padStart(16, '0')}#${message.requestId}`;
}

export function makeApplyLike(
  users: UserRepository,
  likes: LikeRepository,
  telemetry: LikesTelemetry,
  logger: Logger,
) {
  const drop = (message: LikeMessage): LikeOutcome => {
    logger.warn('like dropped: the user does not exist', {
      reason: 'unknown-user',
      userId: message.userId,
      likerId: message.likerId,
      action: message.action,
    });
    telemetry.dropped('unknown-user');
    return 'dropped';
  };

  /** Steps 3: write the count until a count after the write agrees. false: the user is gone. */
  const settle = async (userId: string): Promise<boolean> => {
    for (let round = 0; round < MAX_COUNT_ROUNDS; round++) {
      const count = await likes.countLikers(userId);
      try {
        await users.setLikes(userId, count);
      } catch (error) {
        if (error instanceof NotFoundError) return false; // deleted meanwhile
        throw error;
      }
      if ((await likes.countLikers(userId)) === count) return true;
    }
    throw new Error(`the like count of ${userId} did not settle in ${MAX_COUNT_ROUNDS} rounds`);
  };
  const settleShared = coalesce(settle);

  return async (message: LikeMessage): Promise<LikeOutcome> => {
    if (!(await users.get(message.userId))) return drop(message);
    await likes.record({
      userId: message.userId,
      likerId: message.likerId,
      liked: message.action === 'like',
      order: requestOrder(message),
    });
    return (await settleShared(message.userId)) ? 'applied' : drop(message);
  };
}

/** The longest excerpt of a dropped body that goes into the log line (bodies may be large). */
const LOGGED_BODY_CHARS = 200;

/**
 * A queue record's body in, its outcome out: parses it and applies it, or drops it when it is
 * not a LikeMessage. Anything else thrown is transient and left to SQS's retries.
 */
export function makeHandleLikeBody(
  applyLike: (message: LikeMessage) => Promise<LikeOutcome>,
  telemetry: LikesTelemetry,
  logger: Logger,
) {
  return async (body: string): Promise<LikeOutcome> => {
    let message: LikeMessage;
    try {
      message = parseLikeMessage(body);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      logger.warn('like dropped: the message is not a valid like', {
        reason: 'invalid-message',
        errors: error.details,
        body: body.slice(0, LOGGED_BODY_CHARS),
        bodyLength: body.length,
      });
      telemetry.dropped('invalid-message');
      return 'dropped';
    }
    return applyLike(message);
  };
}

/**
 * Per key, at most one run at a time; a caller joins the next run that starts after its call
 * (never one already running, which may have counted before the caller's write).
 */
export function coalesce<T>(run: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const state = new Map<string, { current: Promise<T>; next?: Promise<T> }>();
  return (key) => {
    const s = state.get(key);
    if (!s) {
      const current = run(key).finally(() => advance(key, current));
      state.set(key, { current });
      return current;
    }
    s.next ??= s.current
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => run(key));
    return s.next;
  };
  function advance(key: string, finished: Promise<T>): void {
    const s = state.get(key);
    if (!s || s.current !== finished) return;
    if (!s.next) {
      state.delete(key);
      return;
    }
    const current = s.next;
    state.set(key, { current });
    current.then(
      () => advance(key, current),
      () => advance(key, current),
    );
  }
}
