import type { Image } from '@snapstack/domain/image';
import type { Page } from '@snapstack/domain/user';

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

/** The images bucket as the API sees it: originals in, presigned out, objects deleted. The S3 adapter implements it. */
export interface OriginalStore {
  putOriginal(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Whether an object exists at `key` (an original that was never uploaded does not). */
  exists(key: string): Promise<boolean>;
  /** A GET of exactly this key, valid for `expiresSeconds`. */
  presignDownload(key: string, expiresSeconds: number): Promise<string>;
  /** Deletes the object; one that is already gone counts as deleted. */
  deleteObject(key: string): Promise<void>;
  /**
   * Deletes every thumbnail of the image: whatever is listed under its prefix, not the keys its
   * item records (a thumbnail run racing the delete may have written more).
   */
  deleteThumbnailsOf(imageId: string): Promise<void>;
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

/** The stored item (internal attributes included) in its public shape, thumbnail URLs added. */
export type ImageView = (item: Image) => Image;

/** The images a caller owns: the table's `by-owner` index, and deletes bound to the owner. */
export interface OwnedImages {
  /** One page of the owner's images, newest first; a ValidationError for a cursor that is not ours. */
  list(owner: string, page: { limit: number; cursor?: string }): Promise<Page<Image>>;
  /** Deletes the item if `owner` owns it; false when it is gone already (a concurrent DELETE). */
  delete(imageId: string, owner: string): Promise<boolean>;
}

export interface DownloadSettings {
  /** How long a presigned GET of an original stays valid. */
  readonly originalUrlExpiresSeconds: number;
}
