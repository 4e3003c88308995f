/** The ports of the pending-image sweeper (use-cases/sweep-pending.ts); adapters implement them. */

/** A `pending` image as the sweeper reads it from the `pending-by-age` index. */
export interface PendingImage {
  readonly imageId: string;
  readonly originalKey: string;
  readonly createdAt: string;
  /** When the image became pending (the index's sort key). */
  readonly pendingSince: string;
  /** POST /uploads only: when its presigned upload stops being accepted. */
  readonly uploadExpiresAt?: string;
  /** How many times the sweeper re-drove it, and when last. */
  readonly redriveCount?: number;
  readonly lastRedriveAt?: string;
}

/** The images table, as the sweeper needs it. Every write applies only while the image is still pending. */
export interface PendingImages {
  /** Pending images that became pending at or before `cutoff` (ISO time), oldest first, page by page. */
  listPendingSince(cutoff: string): AsyncIterable<readonly PendingImage[]>;
  /** false: the image left `pending` meanwhile (nothing written). */
  recordRedrive(imageId: string, at: string, count: number): Promise<boolean>;
  markExpired(imageId: string, reason: string, at: string): Promise<boolean>;
  markFailed(imageId: string, reason: string, at: string): Promise<boolean>;
}

/** Whether an original exists, without reading it. */
export interface OriginalIndex {
  exists(key: string): Promise<boolean>;
}

/** Hands an image to the thumbnailer again, as its S3 notification would have. */
export interface Redriver {
  redrive(image: PendingImage): Promise<void>;
}

export interface SweepSettings {
  /** A pending image whose original exists is re-driven once it has waited this long. */
  readonly redriveAfterSeconds: number;
  /** ...at most this many times; then it is marked `failed`. */
  readonly maxRedrives: number;
  /** A pending image with no original is `expired` this long after its upload could last have come. */
  readonly expireGraceSeconds: number;
}
