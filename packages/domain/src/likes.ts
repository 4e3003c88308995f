/**
 * Likes: the message the gateway enqueues for `POST`/`DELETE /users/{id}/likes` and the
 * worker applies. Its fields are declared (with their sources) in the route table.
 */
import type { JsonSchema } from './schemas.js';

export type LikeAction = 'like' | 'unlike';

export interface LikeMessage {
  /** The liked (or unliked) user. */
  readonly userId: string;
  /** The caller: the authorizer's principal (the token's `sub`). */
  readonly likerId: string;
  readonly action: LikeAction;
  /** API Gateway's request id; orders two requests of the same millisecond. */
  readonly requestId: string;
  /** When API Gateway accepted the request, epoch milliseconds; the latest request wins. */
  readonly at: number;
}

export const likeMessageSchema = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'LikeMessage',
  type: 'object',
  properties: {
    userId: { type: 'string', minLength: 1, maxLength: 200 },
    likerId: { type: 'string', minLength: 1, maxLength: 200 },
    action: { type: 'string', enum: ['like', 'unlike'] },
    requestId: { type: 'string', minLength: 1, maxLength: 200 },
    at: { type: 'integer', minimum: 0 },
  },
  required: ['userId', 'likerId', 'action', 'requestId', 'at'],
  additionalProperties: false,
} as const satisfies JsonSchema;
