import type { Image } from '@snapstack/domain/image';
import type { S3Event } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostileFixtures, imageFixtures } from '../../test/fixtures.js';
import type {
  FailedUpdate,
  ImageRepository,
  ImageStore,
  ReadyUpdate,
  StoredOriginal,
  WriteCondition,
} from '../ports.js';
import { decodeS3EventKey, makeHandleS3Event } from './handle-s3-event.js';
import { imageIdOfKey, makeProcessImage } from './process-image.js';

type Stored = Image & { sourceEtag?: string };

/** In-memory ports: the use case is pure, so fakes at the port are all it needs. */
function fakes(objects: Record<string, Buffer> = {}) {
  const items = new Map<string, Stored>();
  const thumbnails = new Map<string, { data: Buffer; contentType: string }>();
  const calls = { puts: 0 };
  let failNextGet: Error | undefined;
  let beforeWrite: (() => void) | undefined;
  const store: ImageStore = {
    async getOriginal(key): Promise<StoredOriginal | undefined> {
      if (failNextGet) {
        const error = failNextGet;
        failNextGet = undefined;
        throw error;
      }
      const body = objects[key];
      return body ? { body, etag: `"etag-${body.length}"`, bytes: body.length } : undefined;
    },
    async putThumbnail(key, data, contentType) {
      calls.puts++;
      thumbnails.set(key, { data, contentType });
    },
    async deleteThumbnails(keys) {
      for (const key of keys) thumbnails.delete(key);
    },
  };
  const upsert = (
    id: string,
    fields: ReadyUpdate | FailedUpdate,
    status: 'ready' | 'failed',
    condition: WriteCondition,
  ) => {
    const current = items.get(id);
    if (condition === 'itemExists' ? !current : current?.createdBy !== undefined) return undefined;
    const item = {
      ...(items.get(id) ?? { image_id: id, createdAt: fields.processedAt }),
      ...fields,
      status,
    } as Stored;
    items.set(id, item);
    return item;
  };
  const repo: ImageRepository = {
    async get(id) {
      return items.get(id);
    },
    async create(image) {
      items.set(image.image_id, image);
    },
    async markReady(id, update, condition) {
      beforeWrite?.();
      return upsert(id, update, 'ready', condition);
    },
    async markFailed(id, update, condition) {
      beforeWrite?.();
      return upsert(id, update, 'failed', condition);
    },
  };
  let tick = 0;
  const clock = { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) };
  const settings = {
    sizes: [128],
    format: 'jpeg' as const,
    maxInputPixels: 100_000_000,
    maxSourceBytes: 1_000_000,
  };
  return {
    items,
    thumbnails,
    calls,
    failGetOnce: (e: Error) => {
      failNextGet = e;
    },
    /** Runs just before the item write (a DELETE landing between the run's reads and its write). */
    onWrite(hook: () => void) {
      beforeWrite = hook;
    },
    processImage: makeProcessImage({ store, repo, clock, settings }),
  };
}

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

const event = (...keys: string[]): S3Event => ({
  Records: keys.map(
    (key) =>
      ({
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'images' }, object: { key, size: 1 } },
      }) as S3Event['Records'][number],
  ),
});

let images: Awaited<ReturnType<typeof imageFixtures>>;
let hostile: Awaited<ReturnType<typeof hostileFixtures>>;
beforeAll(async () => {
  [images, hostile] = await Promise.all([imageFixtures(), hostileFixtures()]);
});

/** The item a caller's upload leaves before its thumbnails: pending, owned by `u`. */
const pendingUpload = (id: string) => ({
  image_id: id,
  status: 'pending' as const,
  originalKey: `uploads/${id}`,
  createdAt: 't',
  createdBy: 'u',
});

describe('decodeS3EventKey', () => {
  it.each([
    ['uploads/my+photo.jpg', 'uploads/my photo.jpg'],
    ['uploads/a%2Bb.jpg', 'uploads/a+b.jpg'],
    ['uploads/caf%C3%A9+%F0%9F%93%B7.jpg', 'uploads/café 📷.jpg'],
    ['uploads/100%25.jpg', 'uploads/100%.jpg'],
  ])('decodes %s to %s', (encoded, decoded) => {
    expect(decodeS3EventKey(encoded)).toBe(decoded);
  });
});

describe('imageIdOfKey', () => {
  it('takes the id after uploads/ and refuses every other key', () => {
    expect(imageIdOfKey('uploads/abc.jpg')).toBe('abc.jpg');
    expect(() => imageIdOfKey('thumbnails/abc/128.jpg')).toThrow(/refusing/);
    expect(() => imageIdOfKey('uploads/')).toThrow(/refusing/);
  });
});

describe('processImage', () => {
  it('writes thumbnails and marks the image ready with its dimensions', async () => {
    const f = fakes({ 'uploads/a': images.landscape.data });
    const outcome = await f.processImage('a');
    expect(outcome.kind).toBe('processed');
    expect(f.items.get('a')).toMatchObject({
      status: 'ready',
      width: 640,
      height: 480,
      format: 'jpeg',
      bytes: images.landscape.data.length,
    });
    expect(f.thumbnails.get('thumbnails/a/128.jpg')?.contentType).toBe('image/jpeg');
  });

  it('is idempotent: the same object version again changes nothing', async () => {
    const f = fakes({ 'uploads/a': images.landscape.data });
    await f.processImage('a');
    const before = structuredClone(f.items.get('a'));
    const again = await f.processImage('a');
    expect(again.kind).toBe('unchanged');
    expect(f.items.get('a')).toEqual(before);
    expect(f.calls.puts).toBe(1);
  });

  it('reprocesses when forced (POST /process), with the sizes asked for', async () => {
    const f = fakes({ 'uploads/a': images.landscape.data });
    await f.processImage('a');
    const outcome = await f.processImage('a', { force: true, sizes: [32] });
    expect(outcome.kind === 'processed' && outcome.image.thumbnails).toEqual([
      expect.objectContaining({ size: 32, width: 32, height: 24, key: 'thumbnails/a/32.jpg' }),
    ]);
  });

  it.each(['empty', 'textNamedJpg', 'truncatedJpeg', 'pngBomb'] as const)(
    'records %s as failed with a reason instead of throwing',
    async (name) => {
      const f = fakes({ 'uploads/bad': hostile[name] });
      const outcome = await f.processImage('bad');
      expect(outcome.kind).toBe('processed');
      expect(f.items.get('bad')).toMatchObject({ status: 'failed', error: expect.any(String) });
      expect(f.thumbnails.size).toBe(0);
    },
  );

  it('refuses originals over the byte limit without decoding them', async () => {
    const f = fakes({ 'uploads/big': Buffer.alloc(1_000_001, 0xff) });
    await f.processImage('big');
    expect(f.items.get('big')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/1000001 bytes/),
    });
  });

  it('keeps nothing when the item is deleted between its read and the write', async () => {
    const f = fakes({ 'uploads/a': images.landscape.data });
    f.items.set('a', pendingUpload('a'));
    f.onWrite(() => f.items.delete('a'));
    expect(await f.processImage('a')).toEqual({ kind: 'deleted' });
    expect(f.items.has('a')).toBe(false);
    expect(f.calls.puts).toBe(1);
    expect([...f.thumbnails.keys()]).toEqual([]);
  });

  it('does not record a failure on an item deleted meanwhile', async () => {
    const f = fakes({ 'uploads/a': hostile.textNamedJpg });
    f.items.set('a', pendingUpload('a'));
    f.onWrite(() => f.items.delete('a'));
    expect(await f.processImage('a')).toEqual({ kind: 'deleted' });
    expect(f.items.has('a')).toBe(false);
  });

  it('gives an object nobody announced an unowned item, but never writes over an owned one it did not read', async () => {
    const f = fakes({ 'uploads/a': images.landscape.data });
    const outcome = await f.processImage('a');
    expect(outcome).toMatchObject({ kind: 'processed', image: { status: 'ready' } });
    expect(f.items.get('a')?.createdBy).toBeUndefined();

    const g = fakes({ 'uploads/b': images.landscape.data });
    g.onWrite(() => g.items.set('b', pendingUpload('b')));
    expect(await g.processImage('b')).toEqual({ kind: 'deleted' });
    expect(g.items.get('b')?.status).toBe('pending');
  });

  it('reports a missing original without touching the table', async () => {
    const f = fakes();
    expect(await f.processImage('gone')).toEqual({ kind: 'missing' });
    expect(f.items.size).toBe(0);
  });
});

describe('handleS3Event', () => {
  it('processes every record of a batch, decoding keys', async () => {
    const f = fakes({
      'uploads/my photo.jpg': images.landscape.data,
      'uploads/a+b.jpg': images.portrait.data,
    });
    const handle = makeHandleS3Event((id) => f.processImage(id), 'images', log);
    const results = await handle(event('uploads/my+photo.jpg', 'uploads/a%2Bb.jpg'));
    expect(results.map((r) => [r.key, r.status])).toEqual([
      ['uploads/my photo.jpg', 'ready'],
      ['uploads/a+b.jpg', 'ready'],
    ]);
  });

  it('refuses keys outside uploads/ (so its own output can never loop back)', async () => {
    const f = fakes({ 'thumbnails/x/128.jpg': images.landscape.data });
    const handle = makeHandleS3Event((id) => f.processImage(id), 'images', log);
    const results = await handle(event('thumbnails/x/128.jpg'));
    expect(results).toEqual([{ key: 'thumbnails/x/128.jpg', outcome: 'refused' }]);
    expect(f.items.size).toBe(0);
  });

  it('throws on a transient failure after processing the other records, so Lambda retries', async () => {
    const f = fakes({ 'uploads/a': images.landscape.data, 'uploads/b': images.portrait.data });
    f.failGetOnce(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' }));
    const handle = makeHandleS3Event((id) => f.processImage(id), 'images', log);
    await expect(handle(event('uploads/a', 'uploads/b'))).rejects.toThrow(/1 record\(s\) failed/);
    expect(f.items.get('b')?.status).toBe('ready');
    // The retry (same event) completes the batch; b is left as it was.
    const before = structuredClone(f.items.get('b'));
    await handle(event('uploads/a', 'uploads/b'));
    expect(f.items.get('a')?.status).toBe('ready');
    expect(f.items.get('b')).toEqual(before);
  });
});
