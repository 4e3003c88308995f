import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@snapstack/domain/dynamo';
import type { LikeRepository } from '../ports.js';

/**
 * The likes table: one item per (userId, likerId) holding the latest request's state.
 * Unlikes stay as `liked = false` tombstones, so an older like delivered late loses to them.
 */
export class DynamoLikeRepository implements LikeRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(edge: { userId: string; likerId: string; liked: boolean; order: string }): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { userId: edge.userId, likerId: edge.likerId },
          UpdateExpression: 'SET liked = :liked, #order = :order',
          ConditionExpression: 'attribute_not_exists(#order) OR #order < :order',
          ExpressionAttributeNames: { '#order': 'order' },
          ExpressionAttributeValues: { ':liked': edge.liked, ':order': edge.order },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async countLikers(userId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'userId = :u',
          FilterExpression: 'liked = :t',
          ExpressionAttributeValues: { ':u': userId, ':t': true },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
