import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, isStorableKey } from '@snapstack/domain/dynamo';
import { ConflictError } from '@snapstack/domain/errors';
import { type Image, withThumbnailUrls } from '@snapstack/domain/image';
import { tables } from '@snapstack/domain/tables';
import type { FailedUpdate, ImageRepository, ReadyUpdate, WriteCondition } from '../ports.js';

/** The condition expressions behind `WriteCondition` (ports.ts). */
const CONDITIONS: Readonly<Record<WriteCondition, string>> = {
  itemExists: 'attribute_exists(image_id)',
  unowned: 'attribute_not_exists(createdBy)',
};

/**
 * Internal attributes: `sourceEtag` (idempotency) and `pendingSince`, the sort key of the sparse
 * `pending-by-age` index — set while `pending`, removed by every move out of it.
 */
type StoredImage = Image & {
  readonly sourceEtag?: string;
  readonly pendingSince?: string;
  /** The pending-image sweeper's bookkeeping (adapters/dynamo-pending-images.ts). */
  readonly redriveCount?: number;
  readonly lastRedriveAt?: string;
};

/** Images in one DynamoDB table keyed by `image_id`. */
export class DynamoImageRepository implements ImageRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(imageId: string): Promise<StoredImage | undefined> {
    // Ids come from requests (GET /metadata/{image_id}, POST /process): one DynamoDB could not
    // store as a key (empty, over 2048 bytes) names no image, so it is not found, not sent.
    if (!isStorableKey(tables.images, { image_id: imageId })) return undefined;
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { image_id: imageId }, ConsistentRead: true }),
    );
    return Item as StoredImage | undefined;
  }

  async create(image: Image): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: image.status === 'pending' ? { ...image, pendingSince: image.createdAt } : image,
          ConditionExpression: 'attribute_not_exists(image_id)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error))
        throw new ConflictError(`image ${image.image_id} already exists`, { cause: error });
      throw error;
    }
  }

  markReady(imageId: string, update: ReadyUpdate, condition: WriteCondition): Promise<Image | undefined> {
    return this.write(imageId, condition, { status: 'ready', ...update }, ['error', 'pendingSince']);
  }

  markFailed(imageId: string, update: FailedUpdate, condition: WriteCondition): Promise<Image | undefined> {
    return this.write(imageId, condition, { status: 'failed', ...update }, [
      'thumbnails',
      'width',
      'height',
      'format',
      'orientation',
      'pendingSince',
    ]);
  }

  /**
   * SETs the fields, REMOVEs stale ones, while `condition` holds (undefined when it does not);
   * `createdAt` is kept, or set for objects nobody announced.
   */
  private async write(
    imageId: string,
    condition: WriteCondition,
    fields: Record<string, unknown>,
    remove: readonly string[],
  ): Promise<Image | undefined> {
    const set = Object.entries(fields).filter(([, v]) => v !== undefined);
    const removed = remove.filter((name) => !(name in fields) || fields[name] === undefined);
    const names: Record<string, string> = { '#createdAt': 'createdAt' };
    const values: Record<string, unknown> = { ':createdAt': fields.processedAt };
    const assignments = set.map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    removed.forEach((name, i) => {
      names[`#r${i}`] = name;
    });
    const expression =
      `SET ${[...assignments, '#createdAt = if_not_exists(#createdAt, :createdAt)'].join(', ')}` +
      (removed.length > 0 ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : '');
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { image_id: imageId },
          UpdateExpression: expression,
          ConditionExpression: CONDITIONS[condition],
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toImage(Attributes ?? {});
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}

/**
 * The image mapper: a stored item in its public shape. Internal attributes (`sourceEtag`, the
 * sweeper's) stay internal; with a delivery URL (`IMAGE_DELIVERY_URL`) each thumbnail gets its
 * `url`. Every image the API returns goes through here.
 */
export function toImage(item: Record<string, unknown>, deliveryUrl?: string): Image {
  const {
    sourceEtag: _etag,
    pendingSince: _since,
    redriveCount: _count,
    lastRedriveAt: _last,
    ...image
  } = item as unknown as StoredImage;
  return withThumbnailUrls(image, deliveryUrl);
}
