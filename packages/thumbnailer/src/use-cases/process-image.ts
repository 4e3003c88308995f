/**
 * Makes an image's thumbnails and records the outcome — the one use case behind both the
 * S3-event thumbnailer and POST /process.
 *
 * Failure policy: a permanent failure (not an image, too many pixels, truncated, too large)
 * marks the image `failed` with the reason and returns; retrying could never help. Anything
 * else (S3, DynamoDB) propagates so Lambda's async retries and on-failure destination act.
 */
import { InvalidImageError } from '@snapstack/domain/errors';
import type { Image, Thumbnail } from '@snapstack/domain/image';
import { renderThumbnails } from '../core/thumbnail.js';
import { originalKeyOf, thumbnailKeyOf } from '../keys.js';
import type { Clock, ImageRepository, ImageStore, ThumbnailSettings } from '../ports.js';

export interface ProcessOptions {
  /** Overrides the configured sizes (POST /process). */
  readonly sizes?: readonly number[];
  /** Reprocess even when this version of the original was processed already. */
  readonly force?: boolean;
}

export type ProcessOutcome =
  | { readonly kind: 'processed'; readonly image: Image }
  | { readonly kind: 'unchanged'; readonly image: Image }
  | { readonly kind: 'missing' };

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
    const original = await store.getOriginal(originalKey);
    if (!original) return { kind: 'missing' };

    if (!options.force) {
      const existing = await repo.get(imageId);
      if (existing && existing.status !== 'pending' && existing.sourceEtag === original.etag) {
        return { kind: 'unchanged', image: existing };
      }
    }

    const processedAt = clock.now().toISOString();
    if (original.bytes > settings.maxSourceBytes) {
      const error = `the original is ${original.bytes} bytes, more than the limit of ${settings.maxSourceBytes} bytes`;
      const image = await repo.markFailed(imageId, {
        originalKey,
        error,
        bytes: original.bytes,
        processedAt,
        sourceEtag: original.etag,
      });
      return { kind: 'processed', image };
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
      const image = await repo.markFailed(imageId, {
        originalKey,
        error: error.message,
        bytes: original.bytes,
        processedAt,
        sourceEtag: original.etag,
      });
      return { kind: 'processed', image };
    }

    const thumbnails: Thumbnail[] = [];
    for (const t of rendered.thumbnails) {
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
    const { source } = rendered;
    const image = await repo.markReady(imageId, {
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
    });
    return { kind: 'processed', image };
  };
}
