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

export function createGallery(api: Api, onError: (message: string) => void): Gallery {
  const state = new GalleryState();
  const tiles = new Map<string, HTMLLIElement>();
  const grid = h('ul', { class: 'grid', 'aria-label': 'My photos' });
  const more = h('p', { class: 'more', role: 'status' });
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  const viewer = createViewer(api, state, (id) => removed(id), onError);
  const element = h(
    'section',
    { 'aria-labelledby': 'gallery-heading' },
    h('h2', { id: 'gallery-heading' }, 'My photos'),
    grid,
    more,
    sentinel,
    viewer.element,
  );
  let loading = false;
  let disposed = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let pollStep = 0;

  function render(): void {
    const items = state.items;
    for (const item of items)
      if (!tiles.has(item.image_id)) tiles.set(item.image_id, tile(item, viewer.open));
    grid.replaceChildren(...items.map((i) => tiles.get(i.image_id)!));
    more.textContent = loading
      ? 'Loading…'
      : state.hasMore
        ? ''
        : items.length === 0
          ? 'No photos yet: upload some above.'
          : '';
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
    schedulePoll();
  }

  function schedulePoll(): void {
    if (disposed || pollTimer || state.pending().length === 0) return;
    const delay = POLL_DELAYS_MS[Math.min(pollStep++, POLL_DELAYS_MS.length - 1)];
    pollTimer = setTimeout(poll, delay);
  }

  async function poll(): Promise<void> {
    pollTimer = undefined;
    try {
      const page = await api.listImages();
      for (const id of state.refresh(page.items)) {
        const item = state.get(id)!;
        tiles.set(id, tile(item, viewer.open));
        if (item.status !== 'pending')
          announce(`${altText(item)}: ${item.status === 'ready' ? 'ready' : statusText(item)}`);
      }
      render();
    } catch (error) {
      onError((error as Error).message);
    }
    schedulePoll();
  }

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
      pollStep = 0;
      clearTimeout(pollTimer);
      pollTimer = undefined;
      schedulePoll();
    },
    removed,
    dispose() {
      disposed = true;
      observer.disconnect();
      clearTimeout(pollTimer);
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

  async function download(): Promise<void> {
    if (!current) return;
    message.textContent = 'Downloading the original…';
    try {
      const blob = await api.original(current);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: `${current}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      message.textContent = 'Original downloaded.';
    } catch (error) {
      message.textContent = (error as Error).message;
    }
  }

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
  replace(
    confirm,
    h('p', {}, 'Delete this photo and all its sizes? This cannot be undone.'),
    h('button', { type: 'button', class: 'danger', onclick: () => void remove() }, 'Yes, delete'),
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          confirm.hidden = true;
        },
      },
      'Keep it',
    ),
  );
  replace(
    element,
    title,
    image,
    h(
      'div',
      { class: 'viewer-actions' },
      h('button', { type: 'button', onclick: () => void download() }, 'Download original'),
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
    const large = pickThumbnail(item, LARGE_SIZE);
    title.textContent = altText(item);
    replace(
      image,
      large?.url
        ? h('img', { src: large.url, alt: altText(item), width: large.width, height: large.height })
        : h('p', {}, statusText(item)),
    );
    message.textContent = '';
    confirm.hidden = true;
    element.showModal();
  }

  return { element, open };
}
