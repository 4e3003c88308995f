/**
 * The gallery's state, kept apart from the DOM so it is tested as plain data: the images in
 * newest-first order, merged from pages, uploads and polls without duplicates.
 */
import type { ImageItem, Thumbnail } from './api.js';

export class GalleryState {
  private readonly byId = new Map<string, ImageItem>();
  /** The next page's cursor; `undefined` before the first page, `null` after the last. */
  cursor: string | null | undefined;

  get items(): ImageItem[] {
    // Newest first, as the API lists them; ids break ties so the order never flickers.
    return [...this.byId.values()].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.image_id.localeCompare(a.image_id),
    );
  }

  get hasMore(): boolean {
    return this.cursor !== null;
  }

  /** Adds a page read with the current cursor and moves the cursor on. */
  addPage(items: readonly ImageItem[], cursor: string | undefined): void {
    for (const item of items) this.byId.set(item.image_id, item);
    this.cursor = cursor ?? null;
  }

  /**
   * Takes fresher copies of images already shown (a poll of the first page), and adds images
   * newer than any shown (uploaded from another tab). Returns the ids that changed.
   */
  refresh(items: readonly ImageItem[]): string[] {
    const changed: string[] = [];
    const newest = this.items[0]?.createdAt ?? '';
    for (const item of items) {
      const known = this.byId.get(item.image_id);
      const isNew = !known && item.createdAt >= newest;
      if (isNew || (known && known.status !== item.status)) {
        this.byId.set(item.image_id, item);
        changed.push(item.image_id);
      }
    }
    return changed;
  }

  upsert(item: ImageItem): void {
    this.byId.set(item.image_id, item);
  }

  remove(id: string): void {
    this.byId.delete(id);
  }

  get(id: string): ImageItem | undefined {
    return this.byId.get(id);
  }

  /** Images still being processed: while there are any, the gallery polls. */
  pending(): ImageItem[] {
    return this.items.filter((i) => i.status === 'pending');
  }
}

/** The smallest thumbnail at least `minSize` pixels in its bounding box, else the largest one. */
export function pickThumbnail(item: ImageItem, minSize: number): Thumbnail | undefined {
  const usable = [...(item.thumbnails ?? [])].filter((t) => t.url).sort((a, b) => a.size - b.size);
  return usable.find((t) => t.size >= minSize) ?? usable.at(-1);
}

/** The words a tile shows for an image that has no thumbnail to show. */
export function statusText(item: ImageItem): string {
  switch (item.status) {
    case 'pending':
      return 'Processing…';
    case 'failed':
      return `Could not be processed: ${item.error ?? 'no reason was recorded'}`;
    case 'expired':
      return `The upload never arrived${item.error ? ` (${item.error})` : ''}.`;
    default:
      return 'No thumbnail yet';
  }
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Alt text: photos have no captions, so say what is known about the picture. */
export function altText(item: ImageItem): string {
  const when = dateFormat.format(new Date(item.createdAt));
  const size = item.width && item.height ? `, ${item.width}×${item.height}` : '';
  return `Photo uploaded ${when}${size}`;
}
