/**
 * Makes an image's thumbnails and records the outcome — the one use case behind both the
 * S3-event thumbnailer and POST /process.
 *
 * Failure policy: a permanent failure (not an image, too many pixels, truncated, too large)
 * marks the image `failed` with the reason and returns; retrying could never help. Anything
 * else (S3, DynamoDB) propagates so Lambda's async retries and on-failure destination act.
 *
 * Racing a DELETE (metadata-api's delete use case removes the original, then every thumbnail,
 * then the item, then every thumbnail again): the run reads the item *before* the original,
 * and writes the item only under the condition that reading chose (`WriteCondition`):
 * - item read, then deleted before the write: the conditional write fails, so the item stays
 *   deleted, and the run deletes the thumbnails it wrote (some may postdate the DELETE's sweeps);
 * - item read, write lands before the item is deleted: the run's thumbnails were all written
 *   before its write, so before the DELETE's second sweep, which removes them;
 * - no item read: a deleted image lost its original before its item, so an original read after
 *   that is a new object (put straight into S3), not a deleted image's — it gets an unowned item.
 * An S3 event for a deleted image finds no original and writes nothing.
 */
import { InvalidImageError } from '@snapstack/domain/errors';
import type { Image, Thumbnail } from '@snapstack/domain/image';
import { renderThumbnails } from '../core/thumbnail.js';
import { originalKeyOf, thumbnailKeyOf } from '../keys.js';
import type { Clock, ImageRepository, ImageStore, ThumbnailSettings, WriteCondition } from '../ports.js';

export interface ProcessOptions {
  /** Overrides the configured sizes (POST /process). */
  readonly sizes?: readonly number[];
  /** Reprocess even when this version of the original was processed already. */
  readonly force?: boolean;
}

export type ProcessOutcome =
  | { readonly kind: 'processed'; readonly image: Image }
  | { readonly kind: 'unchanged'; readonly image: Image }
  | { readonly kind: 'missing' }
  /** The image was deleted while the run worked: nothing it wrote is kept. */
  | { readonly kind: 'deleted' };

export { imageIdOfKey, originalKeyOf, thumbnailKeyOf } from '../keys.js';

export function makeProcessImage(deps: {
  store: ImageStore;
  repo: ImageRepository;
  clock: Clock;
  settings: ThumbnailSettings;
}) {
  const { store, repo, clock, settings } = deps;
  return async (imageId: string, options: ProcessOptions = {}): Promise<ProcessOutcome> => {
    const originalKey = originalKeyOf(imageId);
    // The item before the original: see the header for why this order keeps DELETE final.
    const existing = await repo.get(imageId);
    const original = await store.getOriginal(originalKey);
    if (!original) return { kind: 'missing' };
    const condition: WriteCondition = existing ? 'itemExists' : 'unowned';

    if (
      !options.force &&
      existing &&
      existing.status !== 'pending' &&
      existing.sourceEtag === original.etag
    ) {
      return { kind: 'unchanged', image: existing };
    }

    const processedAt = clock.now().toISOString();
    const fail = async (error: string): Promise<ProcessOutcome> => {
      const update = { originalKey, error, bytes: original.bytes, processedAt, sourceEtag: original.etag };
      const image = await repo.markFailed(imageId, update, condition);
      return image ? { kind: 'processed', image } : { kind: 'deleted' };
    };
    if (original.bytes > settings.maxSourceBytes) {
      return fail(
        `the original is ${original.bytes} bytes, more than the limit of ${settings.maxSourceBytes} bytes`,
      );
    }

    let rendered: Awaited<ReturnType<typeof renderThumbnails>>;
    try {
      rendered = await renderThumbnails(original.body, {
        sizes: options.sizes ?? settings.sizes,
        format: settings.format,
        maxInputPixels: settings.maxInputPixels,
      });
    } catch (error) {
      if (!(error instanceof InvalidImageError)) throw error;
      return fail(error.message);
    }

    const thumbnails = await putThumbnails(store, imageId, rendered.thumbnails);
    const { source } = rendered;
    const image = await repo.markReady(
      imageId,
      {
        originalKey,
        contentType: source.contentType,
        bytes: source.bytes,
        width: source.width,
        height: source.height,
        format: source.format,
        ...(source.orientation ? { orientation: source.orientation } : {}),
        thumbnails,
        processedAt,
        sourceEtag: original.etag,
      },
      condition,
    );
    if (!image) {
      await store.deleteThumbnails(thumbnails.map((t) => t.key));
      return { kind: 'deleted' };
    }
    return { kind: 'processed', image };
  };
}

/** Writes each rendered thumbnail under the image's prefix; what the item records of them. */
async function putThumbnails(
  store: ImageStore,
  imageId: string,
  rendered: Awaited<ReturnType<typeof renderThumbnails>>['thumbnails'],
): Promise<Thumbnail[]> {
  const thumbnails: Thumbnail[] = [];
  for (const t of rendered) {
    const key = thumbnailKeyOf(imageId, t.size, t.extension);
    await store.putThumbnail(key, t.data, t.contentType);
    thumbnails.push({
      size: t.size,
      key,
      width: t.width,
      height: t.height,
      bytes: t.data.length,
      contentType: t.contentType,
    });
  }
  return thumbnails;
}
