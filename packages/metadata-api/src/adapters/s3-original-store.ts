import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { OriginalStore, PresignedUpload } from '../ports.js';

export class S3OriginalStore implements OriginalStore {
  /**
   * @param presigner an S3 client built with `requestChecksumCalculation: 'WHEN_REQUIRED'`:
   *   with the SDK default, presigned uploads carry a checksum of an empty body and real S3
   *   rejects them. No emulator enforces this, so test/images-api.test.ts asserts that the
   *   presigned form carries no checksum field.
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
}
