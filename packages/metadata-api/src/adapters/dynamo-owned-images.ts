import { DeleteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  decodeCursor,
  encodeCursor,
  isConditionalCheckFailed,
  type KeySchema,
} from '@snapstack/domain/dynamo';
import type { Image } from '@snapstack/domain/image';
import { tables } from '@snapstack/domain/tables';
import type { Page } from '@snapstack/domain/user';
import type { OwnedImages } from '../ports.js';

const BY_OWNER = tables.images.globalSecondaryIndexes.find((index) => index.name === 'by-owner')!;

/**
 * What a cursor carries: the position in the owner's index without the owner. The owner comes
 * from the caller on every page, so a cursor edited to name someone else's partition cannot
 * exist, and one that is not a key DynamoDB could have returned is refused (400) before the call.
 */
const CURSOR: KeySchema = { partitionKey: tables.images.partitionKey, sortKey: BY_OWNER.sortKey };

/** The images table's `by-owner` index, and deletes conditional on the owner. */
export class DynamoOwnedImages implements OwnedImages {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(owner: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<Page<Image>> {
    const position = decodeCursor(cursor, CURSOR);
    const { Items = [], LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_OWNER.name,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': BY_OWNER.partitionKey.name },
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: limit,
        ...(position ? { ExclusiveStartKey: { ...position, [BY_OWNER.partitionKey.name]: owner } } : {}),
      }),
    );
    const next =
      LastEvaluatedKey &&
      encodeCursor({
        [CURSOR.partitionKey.name]: LastEvaluatedKey[CURSOR.partitionKey.name],
        [BY_OWNER.sortKey.name]: LastEvaluatedKey[BY_OWNER.sortKey.name],
      });
    return { items: Items as Image[], ...(next ? { cursor: next } : {}) };
  }

  async delete(imageId: string, owner: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { image_id: imageId },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': BY_OWNER.partitionKey.name },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
