/**
 * "My photos": the grid, newest first, a page at a time as the end scrolls into view; tiles
 * turn from "Processing…" to their thumbnail by polling the first page while any image is
 * pending; a dialog opens a larger size, downloads the original or deletes with confirmation.
 */
import type { Api, ImageItem } from './api.js';
import { announce, h, replace } from './dom.js';
import { altText, GalleryState, pickThumbnail, statusText } from './gallery-state.js';

const TILE_SIZE = 200;
const LARGE_SIZE = 1024;
/**
 * Polls soon after an upload lands (a thumbnail takes a few hundred ms locally, about a second
 * in AWS), then backs off so an idle gallery costs little.
 */
const POLL_DELAYS_MS = [250, 250, 250, 500, 500, 1000, 2000];

export interface Gallery {
  readonly element: HTMLElement;
  /** An upload created (or finished sending) this image: show its tile and poll until it is processed. */
  added(image: ImageItem): void;
  removed(id: string): void;
  dispose(): void;
}

/** Runs `tick` on a backing-off schedule while `wanted()`; `restart` goes back to the fastest delay. */
class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private step = 0;
  private stopped = false;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly wanted: () => boolean,
  ) {}

  schedule(): void {
    if (this.stopped || this.timer || !this.wanted()) return;
    const delay = POLL_DELAYS_MS[Math.min(this.step++, POLL_DELAYS_MS.length - 1)];
    this.timer = setTimeout(async () => {
      this.timer = undefined;
      await this.tick();
      this.schedule();
    }, delay);
  }

  restart(): void {
    this.step = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

/** The gallery's section: heading, grid, the line under it, and the sentinel that loads more. */
function skeleton(viewer: HTMLElement) {
  const grid = h('ul', { class: 'grid', 'aria-label': 'My photos' });
  const more = h('p', { class: 'more', role: 'status' });
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  const heading = h('h2', { id: 'gallery-heading' }, 'My photos');
  const element = h(
    'section',
    { 'aria-labelledby': 'gallery-heading' },
    heading,
    grid,
    more,
    sentinel,
    viewer,
  );
  return { element, grid, more, sentinel };
}

/** The line under the grid. */
function footer(loading: boolean, hasMore: boolean, count: number): string {
  if (loading) return 'Loading…';
  return !hasMore && count === 0 ? 'No photos yet: upload some above.' : '';
}

export function createGallery(api: Api, onError: (message: string) => void): Gallery {
  const state = new GalleryState();
  const tiles = new Map<string, HTMLLIElement>();
  const viewer = createViewer(api, state, (id) => removed(id), onError);
  const { element, grid, more, sentinel } = skeleton(viewer.element);
  let loading = false;
  let disposed = false;

  function render(): void {
    const items = state.items;
    for (const item of items)
      if (!tiles.has(item.image_id)) tiles.set(item.image_id, tile(item, viewer.open));
    grid.replaceChildren(...items.map((i) => tiles.get(i.image_id)!));
    more.textContent = footer(loading, state.hasMore, items.length);
  }

  async function loadMore(): Promise<void> {
    if (loading || !state.hasMore || disposed) return;
    loading = true;
    render();
    try {
      const page = await api.listImages(state.cursor ?? undefined);
      state.addPage(page.items, page.cursor);
    } catch (error) {
      onError((error as Error).message);
      state.cursor = null; // stop the observer from retrying in a loop; a reload tries again
    } finally {
      loading = false;
    }
    render();
    poller.schedule();
  }

  async function poll(): Promise<void> {
    try {
      const page = await api.listImages();
      for (const item of state.refresh(page.items).map((id) => state.get(id)!)) {
        tiles.set(item.image_id, tile(item, viewer.open));
        if (item.status !== 'pending')
          announce(`${altText(item)}: ${item.status === 'ready' ? 'ready' : statusText(item)}`);
      }
      render();
    } catch (error) {
      onError((error as Error).message);
    }
  }
  const poller = new Poller(poll, () => state.pending().length > 0);

  function removed(id: string): void {
    state.remove(id);
    tiles.delete(id);
    render();
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) void loadMore();
  });
  observer.observe(sentinel);
  void loadMore();

  return {
    element,
    added(image) {
      state.upsert(image);
      tiles.set(image.image_id, tile(image, viewer.open));
      render();
      poller.restart();
    },
    removed,
    dispose() {
      disposed = true;
      observer.disconnect();
      poller.stop();
    },
  };
}

function tile(item: ImageItem, open: (id: string, opener: HTMLElement) => void): HTMLLIElement {
  const thumb = pickThumbnail(item, TILE_SIZE);
  const label = altText(item);
  const content = thumb?.url
    ? h('img', {
        src: thumb.url,
        alt: label,
        width: thumb.width,
        height: thumb.height,
        loading: 'lazy',
        decoding: 'async',
      })
    : h('span', { class: `status status-${item.status}` }, statusText(item));
  const button = h(
    'button',
    {
      type: 'button',
      class: 'tile-button',
      'aria-label': thumb ? `Open ${label}` : `${label}: ${statusText(item)}`,
    },
    content,
  );
  button.addEventListener('click', () => open(item.image_id, button));
  return h('li', { class: 'tile', 'data-image-id': item.image_id, 'data-status': item.status }, button);
}

/** Saves an image's original: the API's 302 to a presigned GET, followed, kept as a file. */
async function downloadOriginal(api: Api, id: string, message: HTMLElement): Promise<void> {
  message.textContent = 'Downloading the original…';
  try {
    const url = URL.createObjectURL(await api.original(id));
    const link = h('a', { href: url, download: id });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    message.textContent = 'Original downloaded.';
  } catch (error) {
    message.textContent = (error as Error).message;
  }
}

/** The delete confirmation: a second, explicit step inside the viewer. */
function fillConfirm(confirm: HTMLElement, onYes: () => void): void {
  const keep = h('button', { type: 'button' }, 'Keep it');
  keep.addEventListener('click', () => {
    confirm.hidden = true;
  });
  replace(
    confirm,
    h('p', {}, 'Delete this photo and all its sizes? This cannot be undone.'),
    h('button', { type: 'button', class: 'danger', onclick: onYes }, 'Yes, delete'),
    keep,
  );
}

/** The viewer's picture: the largest thumbnail, or why there is none. */
function largeView(item: ImageItem): HTMLElement {
  const large = pickThumbnail(item, LARGE_SIZE);
  return large?.url
    ? h('img', { src: large.url, alt: altText(item), width: large.width, height: large.height })
    : h('p', {}, statusText(item));
}

function createViewer(
  api: Api,
  state: GalleryState,
  removed: (id: string) => void,
  onError: (m: string) => void,
) {
  const image = h('div', { class: 'viewer-image' });
  const title = h('h2', { id: 'viewer-title' });
  const message = h('p', { class: 'viewer-message', role: 'status' });
  const confirm = h('div', { class: 'confirm', hidden: true });
  const element = h('dialog', { class: 'viewer', 'aria-labelledby': 'viewer-title' });
  let current: string | undefined;
  let opener: HTMLElement | undefined;

  const close = () => element.close();
  element.addEventListener('close', () => {
    opener?.focus();
    current = undefined;
  });

  const download = () => current && void downloadOriginal(api, current, message);

  async function remove(): Promise<void> {
    const id = current;
    if (!id) return;
    try {
      await api.deleteImage(id);
      close();
      removed(id);
      announce('Photo deleted.');
    } catch (error) {
      onError((error as Error).message);
      message.textContent = (error as Error).message;
    }
  }

  const askDelete = () => {
    confirm.hidden = false;
    (confirm.querySelector('button.danger') as HTMLButtonElement | null)?.focus();
  };
  fillConfirm(confirm, () => void remove());
  replace(
    element,
    title,
    image,
    h(
      'div',
      { class: 'viewer-actions' },
      h('button', { type: 'button', onclick: download }, 'Download original'),
      h('button', { type: 'button', class: 'danger', onclick: askDelete }, 'Delete…'),
      h('button', { type: 'button', onclick: close }, 'Close'),
    ),
    confirm,
    message,
  );

  function open(id: string, from: HTMLElement): void {
    const item = state.get(id);
    if (!item) return;
    current = id;
    opener = from;
    title.textContent = altText(item);
    replace(image, largeView(item));
    message.textContent = '';
    confirm.hidden = true;
    element.showModal();
  }

  return { element, open };
}
