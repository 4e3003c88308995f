import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRunner } from '@snapstack/local/testing';
import { imageFixtures } from '@snapstack/thumbnailer/test-support';
import { describe, expect, it } from 'vitest';
import { getObject, metadataPath, s3For, waitForProcessed } from './helpers.js';

// Its own file (so its own process): the runners here start one after the other on one data directory.
describe('persistence', () => {
  it('keeps images, thumbnails and metadata together across a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'snapstack-images-'));
    try {
      const first = await startTestRunner({ dataDir });
      const res = await first.request('POST', '/upload', {
        body: (await imageFixtures()).portrait.data,
        headers: { 'content-type': 'image/jpeg' },
      });
      const ready = await waitForProcessed(first, res.body.image_id);
      expect(ready.body.status).toBe('ready');
      await first.close();

      const second = await startTestRunner({ dataDir });
      try {
        const again = await second.request('GET', metadataPath(res.body.image_id));
        // The url follows where this runner serves thumbnails (derived, never stored).
        const served = (url: string) =>
          url.replace(first.endpoints.imageDelivery, second.endpoints.imageDelivery);
        expect(again.body).toEqual({
          ...ready.body,
          thumbnails: ready.body.thumbnails.map((t: { url: string }) => ({ ...t, url: served(t.url) })),
        });
        expect((await fetch(again.body.thumbnails[0].url)).status).toBe(200);
        const s3 = s3For(second);
        const thumb = await getObject(s3, second.names.buckets.images, ready.body.thumbnails[0].key);
        expect(thumb.data.length).toBe(ready.body.thumbnails[0].bytes);
        s3.destroy();
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
