/**
 * DynamoDB table definitions: the local runner creates tables from these and infra declares
 * them from these, so key schemas cannot drift.
 */
export type AttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface GlobalSecondaryIndex {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableDefinition {
  /** Logical name; the physical name is `resourceName(stage, id)`. */
  readonly id: string;
  /** The environment variable through which functions receive the physical name. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
}

export const tables = {
  users: {
    id: 'users',
    envVar: 'USERS_TABLE',
    partitionKey: { name: 'id', type: 'S' },
  },
  /**
   * Who likes whom: one item per (liked user, liker) with the latest like/unlike applied to
   * it (`liked`, ordered by `at`). A user's `likes` is the number of items with `liked = true`;
   * unliked items stay as tombstones so a late, older like cannot resurrect an unlike.
   */
  likes: {
    id: 'likes',
    envVar: 'LIKES_TABLE',
    partitionKey: { name: 'userId', type: 'S' },
    sortKey: { name: 'likerId', type: 'S' },
  },
  /**
   * Images by id. `pending-by-age` is a sparse index of the images still `pending`: only they
   * carry `pendingSince` (set at creation, removed by every move out of `pending`), so the
   * pending-image sweeper reads the few stuck images oldest first instead of scanning them all.
   * `by-owner` lists a caller's images newest first (GET /images); it is sparse too: images put
   * straight into S3 have no `createdBy`, belong to no caller and are listed to nobody.
   */
  images: {
    id: 'images',
    envVar: 'IMAGES_TABLE',
    partitionKey: { name: 'image_id', type: 'S' },
    globalSecondaryIndexes: [
      {
        name: 'pending-by-age',
        partitionKey: { name: 'status', type: 'S' },
        sortKey: { name: 'pendingSince', type: 'S' },
      },
      {
        name: 'by-owner',
        partitionKey: { name: 'createdBy', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
    ],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableId = keyof typeof tables;
