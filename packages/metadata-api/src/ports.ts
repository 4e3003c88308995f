export type { Clock, ImageRepository } from '@snapstack/thumbnailer/api';

/** A browser-style presigned POST: send `fields` then the file as multipart/form-data to `url`. */
export interface PresignedUpload {
  readonly method: 'POST';
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresAt: string;
  readonly minBytes: number;
  readonly maxBytes: number;
}

/** Where originals go. The S3 adapter implements it. */
export interface OriginalStore {
  putOriginal(key: string, body: Buffer, contentType: string): Promise<void>;
  /** A presigned upload bound to exactly this key, content type and size range. */
  presignUpload(request: {
    key: string;
    contentType: string;
    minBytes: number;
    maxBytes: number;
    expiresSeconds: number;
  }): Promise<PresignedUpload>;
}

export type IdGenerator = () => string;

export interface UploadLimits {
  /** POST /upload: larger bodies get 413 (Lambda's 6 MB invoke payload holds ~4.5 MB base64-encoded). */
  readonly maxDirectBytes: number;
  /** POST /uploads: the presigned upload's upper bound. */
  readonly maxPresignedBytes: number;
  readonly presignExpiresSeconds: number;
}
