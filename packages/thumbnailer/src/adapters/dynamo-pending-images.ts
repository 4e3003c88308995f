import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@snapstack/domain/dynamo';
import type { ImageStatus } from '@snapstack/domain/image';
import { tables } from '@snapstack/domain/tables';
import type { PendingImage, PendingImages } from '../sweeper-ports.js';

const [PENDING_INDEX] = tables.images.globalSecondaryIndexes;
const PENDING: ImageStatus = 'pending';

/** The sparse `pending-by-age` index of the images table, and conditional writes on pending images. */
export class DynamoPendingImages implements PendingImages {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pageSize = 100,
  ) {}

  async *listPendingSince(cutoff: string): AsyncIterable<readonly PendingImage[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: PENDING_INDEX.name,
          KeyConditionExpression: '#status = :pending AND #since <= :cutoff',
          ExpressionAttributeNames: { '#status': 'status', '#since': PENDING_INDEX.sortKey.name },
          ExpressionAttributeValues: { ':pending': PENDING, ':cutoff': cutoff },
          Limit: this.pageSize,
          ExclusiveStartKey,
        }),
      );
      yield (page.Items ?? []).map((item) => ({
        imageId: String(item.image_id),
        originalKey: String(item.originalKey),
        createdAt: String(item.createdAt),
        pendingSince: String(item.pendingSince),
        ...(item.uploadExpiresAt ? { uploadExpiresAt: String(item.uploadExpiresAt) } : {}),
        ...(item.redriveCount !== undefined ? { redriveCount: Number(item.redriveCount) } : {}),
        ...(item.lastRedriveAt ? { lastRedriveAt: String(item.lastRedriveAt) } : {}),
      }));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  recordRedrive(imageId: string, at: string, count: number): Promise<boolean> {
    return this.updatePending(imageId, { redriveCount: count, lastRedriveAt: at }, false);
  }

  markExpired(imageId: string, reason: string, at: string): Promise<boolean> {
    return this.updatePending(imageId, { status: 'expired', error: reason, expiredAt: at }, true);
  }

  markFailed(imageId: string, reason: string, at: string): Promise<boolean> {
    return this.updatePending(imageId, { status: 'failed', error: reason, processedAt: at }, true);
  }

  /** SETs `fields` only while the image is pending; `leave` also drops it from the pending index. */
  private async updatePending(
    imageId: string,
    fields: Record<string, unknown>,
    leave: boolean,
  ): Promise<boolean> {
    const entries = Object.entries(fields);
    // DynamoDB refuses unused names, so `#since` only when it is removed.
    const names: Record<string, string> = {
      '#status': 'status',
      ...(leave ? { '#since': PENDING_INDEX.sortKey.name } : {}),
    };
    const values: Record<string, unknown> = { ':pending': PENDING };
    const set = entries.map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { image_id: imageId },
          UpdateExpression: `SET ${set.join(', ')}${leave ? ' REMOVE #since' : ''}`,
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
