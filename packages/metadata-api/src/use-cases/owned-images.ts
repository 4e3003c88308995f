/**
 * A caller's own images: list, delete, fetch the original. Owner only — the owner is the
 * authorizer's `sub`, recorded as `createdBy` when the image was uploaded through the API.
 *
 * Images with no `createdBy` were put straight into the bucket (by an operator or another S3
 * client), not uploaded by a caller: they are listed to nobody and no caller may delete or
 * fetch them (403). Operators remove them the way they put them.
 *
 * DELETE is idempotent in effect (RFC 9110 §9.2.2): once it has succeeded the image is gone,
 * and a repeat answers 404 like any unknown id — nothing is kept to tell a deleted image from
 * one that never existed, or whose it was. A client retrying a DELETE treats 404 as done.
 */
import { ForbiddenError, NotFoundError } from '@snapstack/domain/errors';
import type { Image } from '@snapstack/domain/image';
import { parsePageSize } from '@snapstack/domain/paging';
import type { Page } from '@snapstack/domain/user';
import type { DownloadSettings, ImageRepository, ImageView, OriginalStore, OwnedImages } from '../ports.js';

/** The caller's `sub`; routes with JWT auth always have one, a direct invoke may not. */
export function ownerOf(caller: string | undefined): string {
  if (!caller) throw new ForbiddenError('this route needs an authenticated caller');
  return caller;
}

/** The item, if `caller` owns it: 404 when there is none, 403 when it is someone else's (or no one's). */
export async function ownedItem(repo: ImageRepository, imageId: string, caller: string): Promise<Image> {
  const item = await repo.get(imageId);
  if (!item) throw new NotFoundError(`image ${imageId} not found`);
  if (item.createdBy !== caller) {
    throw new ForbiddenError(
      item.createdBy === undefined
        ? `image ${imageId} was not uploaded through the API and belongs to no caller`
        : `image ${imageId} belongs to another user`,
    );
  }
  return item;
}

/** GET /images: one page of the caller's images, newest first. */
export function makeListImages(deps: { owned: OwnedImages; view: ImageView }) {
  return async (
    caller: string | undefined,
    query: { limit?: string; cursor?: string },
  ): Promise<Page<Image>> => {
    const owner = ownerOf(caller);
    const page = await deps.owned.list(owner, {
      limit: parsePageSize(query.limit),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
    return { ...page, items: page.items.map(deps.view) };
  };
}

/**
 * DELETE /images/{image_id}: the original, every thumbnail, the item, then every thumbnail again.
 *
 * The order makes the delete final against a thumbnail run racing it (the run's side is in
 * thumbnailer's process-image.ts): objects first, so a failure part-way leaves the item and a
 * retried DELETE finds it and finishes; the item before the second sweep, because a run whose
 * conditional write landed before the item went wrote its thumbnails before that write, so the
 * second sweep sees them, and a run whose write came after fails and removes its own.
 */
export function makeDeleteImage(deps: { repo: ImageRepository; owned: OwnedImages; store: OriginalStore }) {
  return async (caller: string | undefined, imageId: string): Promise<void> => {
    const owner = ownerOf(caller);
    const item = await ownedItem(deps.repo, imageId, owner);
    await deps.store.deleteObject(item.originalKey);
    await deps.store.deleteThumbnailsOf(imageId);
    // false: a concurrent DELETE of the same owner removed it first; both finish the sweep.
    await deps.owned.delete(imageId, owner);
    await deps.store.deleteThumbnailsOf(imageId);
  };
}

/** GET /images/{image_id}/original: where to fetch the original — a short-lived presigned GET. */
export function makeGetOriginal(deps: {
  repo: ImageRepository;
  store: OriginalStore;
  settings: DownloadSettings;
}) {
  return async (caller: string | undefined, imageId: string): Promise<string> => {
    const item = await ownedItem(deps.repo, imageId, ownerOf(caller));
    if (!(await deps.store.exists(item.originalKey))) {
      throw new NotFoundError(`image ${imageId} has no original yet: it was never uploaded`);
    }
    return deps.store.presignDownload(item.originalKey, deps.settings.originalUrlExpiresSeconds);
  };
}
