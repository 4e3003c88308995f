import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  decodeCursor,
  encodeCursor,
  isConditionalCheckFailed,
  isStorableKey,
} from '@snapstack/domain/dynamo';
import { ConflictError, NotFoundError } from '@snapstack/domain/errors';
import { tables } from '@snapstack/domain/tables';
import type { Page, User, UserPatch } from '@snapstack/domain/user';
import type { UserRepository } from '../ports.js';

/**
 * Users in one DynamoDB table keyed by `id`. Listing is a Scan: a stable (hash) order, not chronological.
 * An id DynamoDB could not store as a key (empty, over 2048 bytes) names no user: reads and
 * writes of it answer "not found" without a call, as they would for any other unknown id.
 */
export class DynamoUserRepository implements UserRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(user: User): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: user,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error))
        throw new ConflictError(`user ${user.id} already exists`, { cause: error });
      throw error;
    }
  }

  async get(id: string): Promise<User | undefined> {
    if (!isUserKey(id)) return undefined;
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { id } }));
    return Item ? toUser(Item) : undefined;
  }

  async list({ limit, cursor }: { limit: number; cursor?: string }): Promise<Page<User>> {
    const { Items = [], LastEvaluatedKey } = await this.doc.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, tables.users),
      }),
    );
    const next = encodeCursor(LastEvaluatedKey);
    return { items: Items.map(toUser), ...(next ? { cursor: next } : {}) };
  }

  async update(id: string, patch: UserPatch, updatedAt: string): Promise<User> {
    const fields = Object.entries({ ...patch, updatedAt }).filter(([, value]) => value !== undefined);
    return this.onExisting(id, async () => {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toUser(Attributes ?? {});
    });
  }

  async delete(id: string): Promise<void> {
    await this.onExisting(id, () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ConditionExpression: 'attribute_exists(id)',
        }),
      ),
    );
  }

  async setLikes(id: string, likes: number): Promise<void> {
    await this.onExisting(id, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET likes = :likes',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':likes': likes },
        }),
      ),
    );
  }

  /**
   * A write conditioned on `attribute_exists(id)`: an id that cannot be a key, or a failed
   * condition, is a NotFoundError, as for any other unknown user.
   */
  private async onExisting<T>(id: string, write: () => Promise<T>): Promise<T> {
    if (!isUserKey(id)) throw new NotFoundError(`user ${id} not found`);
    try {
      return await write();
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new NotFoundError(`user ${id} not found`, { cause: error });
      throw error;
    }
  }
}

const isUserKey = (id: string) => isStorableKey(tables.users, { id });

/** Projects a stored item onto the public User shape (internal attributes stay internal). */
function toUser(item: Record<string, unknown>): User {
  const { id, name, age, email, likes, createdAt, updatedAt, createdBy } = item as unknown as User;
  return {
    id,
    name,
    age,
    email,
    likes: likes ?? 0,
    createdAt,
    ...(updatedAt ? { updatedAt } : {}),
    ...(createdBy ? { createdBy } : {}),
  };
}
