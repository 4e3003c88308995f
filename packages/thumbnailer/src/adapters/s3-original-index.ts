import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { OriginalIndex } from '../sweeper-ports.js';

/**
 * Existence by listing, not HeadObject: HEAD needs s3:GetObject (the sweeper never reads an
 * original) and, without s3:ListBucket, answers 403 rather than 404 for a missing key.
 */
export class S3OriginalIndex implements OriginalIndex {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async exists(key: string): Promise<boolean> {
    // Keys list in byte order, so `key` itself, if present, is the first key with this prefix.
    const { Contents } = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 }),
    );
    return Contents?.[0]?.Key === key;
  }
}
