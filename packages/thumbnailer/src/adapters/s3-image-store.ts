import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImageStore, StoredOriginal } from '../ports.js';

/** Thumbnails are rewritten by POST /process at the same key: cache a day, not forever. */
export const THUMBNAIL_CACHE_CONTROL = 'public, max-age=86400';

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
}
