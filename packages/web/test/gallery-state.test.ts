import { describe, expect, it } from 'vitest';
import type { ImageItem } from '../src/api.js';
import { GalleryState, pickThumbnail, statusText } from '../src/gallery-state.js';

const image = (id: string, createdAt: string, status: ImageItem['status'] = 'ready'): ImageItem => ({
  image_id: id,
  status,
  createdAt,
});

describe('GalleryState', () => {
  it('keeps images newest first across pages and uploads, without duplicates', () => {
    const state = new GalleryState();
    state.addPage([image('b', '2026-01-02'), image('a', '2026-01-01')], 'c1');
    state.addPage([image('a', '2026-01-01'), image('z', '2025-12-31')], undefined);
    state.upsert(image('new', '2026-01-03', 'pending'));
    expect(state.items.map((i) => i.image_id)).toEqual(['new', 'b', 'a', 'z']);
    expect(state.hasMore).toBe(false);
  });

  it('takes a polled status change and reports which images changed', () => {
    const state = new GalleryState();
    state.addPage([image('p', '2026-01-02', 'pending'), image('q', '2026-01-01', 'pending')], undefined);
    const changed = state.refresh([image('p', '2026-01-02', 'ready'), image('q', '2026-01-01', 'pending')]);
    expect(changed).toEqual(['p']);
    expect(state.get('p')?.status).toBe('ready');
    expect(state.pending().map((i) => i.image_id)).toEqual(['q']);
  });

  it('does not bring back an image deleted here when a poll still lists it as older', () => {
    const state = new GalleryState();
    state.addPage([image('keep', '2026-01-02'), image('gone', '2026-01-01')], undefined);
    state.remove('gone');
    state.refresh([image('keep', '2026-01-02'), image('gone', '2026-01-01')]);
    expect(state.items.map((i) => i.image_id)).toEqual(['keep']);
  });
});

describe('pickThumbnail', () => {
  const item: ImageItem = {
    ...image('x', '2026-01-01'),
    thumbnails: [
      { size: 1024, key: 'l', width: 1024, height: 768, url: 'https://cdn/l' },
      { size: 128, key: 's', width: 128, height: 96, url: 'https://cdn/s' },
      { size: 512, key: 'm', width: 512, height: 384, url: 'https://cdn/m' },
    ],
  };
  it.each([
    [100, 's'],
    [200, 'm'],
    [4000, 'l'],
  ])('for %i px picks %s', (min, key) => {
    expect(pickThumbnail(item, min)?.key).toBe(key);
  });
});

describe('statusText', () => {
  it('says why an image failed', () => {
    expect(statusText({ ...image('f', '2026-01-01', 'failed'), error: 'not an image' })).toBe(
      'Could not be processed: not an image',
    );
  });
});
