import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { deleteObjects, thumbnailPrefixOf } from '@snapstack/thumbnailer/api';
import type { OriginalStore, PresignedUpload } from '../ports.js';

export class S3OriginalStore implements OriginalStore {
  /**
   * @param presigner an S3 client built with `requestChecksumCalculation: 'WHEN_REQUIRED'`:
   *   with the SDK default, presigned uploads carry a checksum of an empty body and real S3
   *   rejects them. No emulator enforces this, so test/images-api.test.ts asserts that the
   *   presigned form (and test/owned-images-api.test.ts that the presigned GET) carries no
   *   checksum field.
   */
  constructor(
    private readonly s3: S3Client,
    private readonly presigner: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async putOriginal(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async presignUpload(request: {
    key: string;
    contentType: string;
    minBytes: number;
    maxBytes: number;
    expiresSeconds: number;
  }): Promise<PresignedUpload> {
    // Loaded on the first presign only: POST /upload shares this adapter and never signs.
    const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
    const { url, fields } = await createPresignedPost(this.presigner, {
      Bucket: this.bucket,
      Key: request.key,
      Conditions: [
        ['eq', '$key', request.key],
        ['eq', '$Content-Type', request.contentType],
        ['content-length-range', request.minBytes, request.maxBytes],
      ],
      Fields: { 'Content-Type': request.contentType },
      Expires: request.expiresSeconds,
    });
    return {
      method: 'POST',
      url,
      fields,
      expiresAt: new Date(this.now().getTime() + request.expiresSeconds * 1000).toISOString(),
      minBytes: request.minBytes,
      maxBytes: request.maxBytes,
    };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
  }

  async presignDownload(key: string, expiresSeconds: number): Promise<string> {
    // Loaded on the first download only, like presignUpload's signer.
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(this.presigner, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresSeconds,
    });
  }

  async deleteObject(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deleteThumbnailsOf(imageId: string): Promise<void> {
    const prefix = thumbnailPrefixOf(imageId);
    let ContinuationToken: string | undefined;
    do {
      // The delimiter keeps the listing to this image's own thumbnails: an id `a` must not
      // reach the thumbnails of an object whose id is `a/b`.
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken }),
      );
      await deleteObjects(
        this.s3,
        this.bucket,
        (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])),
      );
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
}
