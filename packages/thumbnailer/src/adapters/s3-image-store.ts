import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { thumbnailResponseHeaders } from '@snapstack/domain/delivery';
import type { ImageStore, StoredOriginal } from '../ports.js';

/** Stored with each thumbnail: what the CDN (and the local delivery server) sends anyway. */
export const THUMBNAIL_CACHE_CONTROL = thumbnailResponseHeaders['cache-control'];

export class S3ImageStore implements ImageStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async getOriginal(key: string): Promise<StoredOriginal | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = Buffer.from(await res.Body!.transformToByteArray());
      return { body, etag: res.ETag ?? '', bytes: body.length };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async putThumbnail(key: string, data: Buffer, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: data,
        ContentType: contentType,
        CacheControl: THUMBNAIL_CACHE_CONTROL,
      }),
    );
  }

  async deleteThumbnails(keys: readonly string[]): Promise<void> {
    await deleteObjects(this.s3, this.bucket, keys);
  }
}

/**
 * Deletes keys, 1000 per DeleteObjects call (S3's limit). A key that is already gone counts as
 * deleted, as in S3; a key S3 could not delete fails the call, so the caller's retry redoes it.
 */
export async function deleteObjects(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const { Errors } = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    if (Errors && Errors.length > 0) {
      const [first] = Errors;
      throw new Error(`S3 could not delete ${Errors.length} object(s), e.g. ${first?.Key}: ${first?.Code}`);
    }
  }
}
