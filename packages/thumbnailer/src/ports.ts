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

/** The images table. Updates upsert: an object put by any S3 client gets an item too. */
export interface ImageRepository {
  get(imageId: string): Promise<(Image & { readonly sourceEtag?: string }) | undefined>;
  /** Stores a new pending image; ConflictError if the id exists. */
  create(image: Image): Promise<void>;
  markReady(imageId: string, update: ReadyUpdate): Promise<Image>;
  markFailed(imageId: string, update: FailedUpdate): Promise<Image>;
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
