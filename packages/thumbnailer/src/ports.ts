import type { Image, Thumbnail } from '@snapstack/domain/image';

/** An original as read from storage. */
export interface StoredOriginal {
  readonly body: Buffer;
  /** Identifies this version of the object (S3 ETag); makes reprocessing idempotent. */
  readonly etag: string;
  readonly bytes: number;
}

/** The images bucket, as the thumbnail use cases see it. The S3 adapter implements it. */
export interface ImageStore {
  /** undefined when the object does not exist (deleted since the event). */
  getOriginal(key: string): Promise<StoredOriginal | undefined>;
  putThumbnail(key: string, data: Buffer, contentType: string): Promise<void>;
  /** Removes thumbnails (a run that lost the race with a DELETE takes back what it wrote). */
  deleteThumbnails(keys: readonly string[]): Promise<void>;
}

export interface ReadyUpdate {
  readonly originalKey: string;
  readonly contentType: string;
  readonly bytes: number;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly orientation?: number;
  readonly thumbnails: readonly Thumbnail[];
  readonly processedAt: string;
  readonly sourceEtag: string;
}

export interface FailedUpdate {
  readonly originalKey: string;
  readonly error: string;
  readonly bytes?: number;
  readonly processedAt: string;
  readonly sourceEtag?: string;
}

/**
 * When a thumbnail run may write the item, from what it read before it started:
 * - `itemExists`: it read an item, so it writes only while that item still exists — a DELETE
 *   that removed it meanwhile wins, and the run cannot bring it back;
 * - `unowned`: it read no item (an object put straight into S3, by any client), so it may
 *   create one, but never writes over an item someone owns.
 */
export type WriteCondition = 'itemExists' | 'unowned';

/** The images table. */
export interface ImageRepository {
  get(imageId: string): Promise<(Image & { readonly sourceEtag?: string }) | undefined>;
  /** Stores a new pending image; ConflictError if the id exists. */
  create(image: Image): Promise<void>;
  /** The updated image; undefined when `condition` no longer holds (the image was deleted). */
  markReady(imageId: string, update: ReadyUpdate, condition: WriteCondition): Promise<Image | undefined>;
  markFailed(imageId: string, update: FailedUpdate, condition: WriteCondition): Promise<Image | undefined>;
}

export interface Clock {
  now(): Date;
}

export interface ThumbnailSettings {
  readonly sizes: readonly number[];
  readonly format: 'jpeg' | 'webp';
  readonly maxInputPixels: number;
  /** Originals larger than this are refused without decoding. */
  readonly maxSourceBytes: number;
}
