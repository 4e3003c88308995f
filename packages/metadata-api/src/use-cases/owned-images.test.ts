import type { Image } from '@snapstack/domain/image';
import type { ImageStore, ReadyUpdate, WriteCondition } from '@snapstack/thumbnailer/api';
import { makeProcessImage } from '@snapstack/thumbnailer/process';
import { imageFixtures } from '@snapstack/thumbnailer/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageRepository, OriginalStore, OwnedImages } from '../ports.js';
import { makeDeleteImage, makeGetOriginal, makeListImages } from './owned-images.js';

type Stored = Image & { sourceEtag?: string };
type Gate = (call: string) => Promise<void>;

let photo: Buffer;
beforeAll(async () => {
  photo = (await imageFixtures()).small.data;
});

/**
 * One bucket and one table in memory, with DynamoDB's single-item semantics and S3's listing
 * and deletes; every port call of a process first passes its `gate`, so a test decides the
 * order in which two processes' calls land.
 */
function world() {
  const items = new Map<string, Stored>();
  const objects = new Map<string, Buffer>();
  const thumbnailKeys = (id: string) =>
    [...objects.keys()].filter(
      (k) => k.startsWith(`thumbnails/${id}/`) && !k.slice(`thumbnails/${id}/`.length).includes('/'),
    );

  const repo = (gate: Gate): ImageRepository => {
    const write = async (
      id: string,
      fields: object,
      status: 'ready' | 'failed',
      condition: WriteCondition,
    ) => {
      await gate(`repo.mark${status}`);
      const current = items.get(id);
      if (condition === 'itemExists' ? !current : current?.createdBy !== undefined) return undefined;
      const item = { ...(current ?? { image_id: id, createdAt: 't0' }), ...fields, status } as Stored;
      items.set(id, item);
      return item;
    };
    return {
      async get(id) {
        await gate('repo.get');
        return items.get(id);
      },
      async create(image) {
        items.set(image.image_id, image);
      },
      markReady: (id, update: ReadyUpdate, condition) => write(id, update, 'ready', condition),
      markFailed: (id, update, condition) => write(id, update, 'failed', condition),
    };
  };
  const owned = (gate: Gate): OwnedImages => ({
    async list(owner, { limit, cursor }) {
      const mine = [...items.values()]
        .filter((i) => i.createdBy === owner)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const start = cursor ? Number(cursor) : 0;
      const next = start + limit < mine.length ? String(start + limit) : undefined;
      return { items: mine.slice(start, start + limit), ...(next ? { cursor: next } : {}) };
    },
    async delete(id, owner) {
      await gate('owned.delete');
      if (items.get(id)?.createdBy !== owner) return false;
      items.delete(id);
      return true;
    },
  });
  const originals = (gate: Gate): OriginalStore => ({
    putOriginal: async () => undefined,
    presignUpload: async () => {
      throw new Error('not used');
    },
    async exists(key) {
      return objects.has(key);
    },
    async presignDownload(key, expires) {
      return `https://s3.example/${key}?expires=${expires}`;
    },
    async deleteObject(key) {
      await gate('store.deleteObject');
      objects.delete(key);
    },
    async deleteThumbnailsOf(id) {
      // Listing and deleting are two S3 calls: a thumbnail may land between them.
      await gate('store.list');
      const listed = thumbnailKeys(id);
      await gate('store.deleteListed');
      for (const key of listed) objects.delete(key);
    },
  });
  const thumbnailStore = (gate: Gate): ImageStore => ({
    async getOriginal(key) {
      await gate('store.getOriginal');
      const body = objects.get(key);
      return body ? { body, etag: `"${body.length}"`, bytes: body.length } : undefined;
    },
    async putThumbnail(key, data) {
      await gate('store.putThumbnail');
      objects.set(key, data);
    },
    async deleteThumbnails(keys) {
      await gate('store.deleteThumbnails');
      for (const key of keys) objects.delete(key);
    },
  });
  const processImage = (gate: Gate) =>
    makeProcessImage({
      store: thumbnailStore(gate),
      repo: repo(gate),
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      settings: { sizes: [32, 64], format: 'jpeg', maxInputPixels: 1e8, maxSourceBytes: 1e7 },
    });
  const deleteImage = (gate: Gate) =>
    makeDeleteImage({ repo: repo(gate), owned: owned(gate), store: originals(gate) });
  const addImage = (
    id: string,
    createdBy: string | undefined,
    createdAt = 't0',
    extra: Partial<Stored> = {},
  ) => {
    items.set(id, {
      image_id: id,
      status: 'pending',
      originalKey: `uploads/${id}`,
      createdAt,
      ...(createdBy ? { createdBy } : {}),
      ...extra,
    });
    objects.set(`uploads/${id}`, photo);
  };
  const open: Gate = async () => undefined;
  return { items, objects, addImage, processImage, deleteImage, repo, owned, originals, open };
}

/**
 * Runs two processes one port call at a time: at each point where both wait, `choose` picks who
 * goes (0: the first); returns the choices made and where both were waiting.
 */
async function interleave(
  processes: readonly ((gate: Gate) => Promise<unknown>)[],
  prefix: readonly number[],
): Promise<{ choices: number[]; branches: boolean[]; results: unknown[] }> {
  type Waiter = { release: () => void } | 'done';
  const state: (Waiter | undefined)[] = processes.map(() => undefined);
  let arrived: () => void = () => undefined;
  const results: unknown[] = [];
  processes.forEach((run, i) => {
    const gate: Gate = () =>
      new Promise<void>((release) => {
        state[i] = { release };
        arrived();
      });
    void run(gate).then(
      (value) => {
        results[i] = value;
        state[i] = 'done';
        arrived();
      },
      (error) => {
        results[i] = error;
        state[i] = 'done';
        arrived();
      },
    );
  });
  const settle = () =>
    new Promise<void>((resolve) => {
      const check = () => (state.every((s) => s !== undefined) ? resolve() : undefined);
      arrived = check;
      check();
    });
  const choices: number[] = [];
  const branches: boolean[] = [];
  for (;;) {
    await settle();
    const waiting = state.flatMap((s, i) => (s !== undefined && s !== 'done' ? [i] : []));
    if (waiting.length === 0) break;
    const wanted = prefix[choices.length] ?? 0;
    const pick = waiting.includes(wanted) ? wanted : (waiting[0] as number);
    branches.push(waiting.length > 1);
    choices.push(pick);
    const waiter = state[pick] as { release: () => void };
    state[pick] = undefined;
    waiter.release();
  }
  return { choices, branches, results };
}

/** Every distinct interleaving of the processes' port calls (depth-first over the choices). */
async function everyInterleaving(
  setup: () => {
    processes: readonly ((gate: Gate) => Promise<unknown>)[];
    check: (results: unknown[]) => void;
  },
): Promise<number> {
  let prefix: number[] = [];
  let count = 0;
  for (;;) {
    const { processes, check } = setup();
    const run = await interleave(processes, prefix);
    check(run.results);
    count++;
    let i = run.choices.length - 1;
    while (i >= 0 && !(run.branches[i] && run.choices[i] === 0)) i--;
    if (i < 0) return count;
    prefix = [...run.choices.slice(0, i), 1];
  }
}

describe('deleteImage racing a thumbnail run', () => {
  it.each([
    ['a pending image and its first thumbnail run', {}, false],
    ['a ready image and a forced reprocess (POST /process)', { status: 'ready' as const }, true],
  ])('leaves nothing of %s, whatever the order of their calls', async (_name, extra, force) => {
    const runs = await everyInterleaving(() => {
      const w = world();
      w.addImage('img', 'owner', 't0', extra);
      if (force) w.objects.set('thumbnails/img/128.jpg', photo);
      return {
        processes: [
          (gate) => w.deleteImage(gate)('owner', 'img'),
          (gate) => w.processImage(gate)('img', { force }),
        ],
        check: ([deleted, processed]) => {
          expect(deleted).toBeUndefined(); // the DELETE succeeded
          expect((processed as { kind: string }).kind).toMatch(/^(processed|missing|deleted)$/);
          expect(w.items.has('img')).toBe(false);
          expect([...w.objects.keys()]).toEqual([]);
        },
      };
    });
    // Both processes make several calls: far more than a handful of orders were tried.
    expect(runs).toBeGreaterThan(100);
  });

  it('has orders where the run loses at its write and orders where it wins before the item goes', async () => {
    const outcomes = new Set<string>();
    await everyInterleaving(() => {
      const w = world();
      w.addImage('img', 'owner');
      return {
        processes: [(gate) => w.deleteImage(gate)('owner', 'img'), (gate) => w.processImage(gate)('img')],
        check: ([, processed]) => {
          outcomes.add((processed as { kind: string }).kind);
        },
      };
    });
    expect([...outcomes].sort()).toEqual(['deleted', 'missing', 'processed']);
  });
});

describe('deleteImage', () => {
  it('answers 404 for an unknown image and 403 for another owner, an unowned image or no caller', async () => {
    const w = world();
    w.addImage('theirs', 'alice');
    w.addImage('nobodys', undefined);
    const del = w.deleteImage(w.open);
    await expect(del('bob', 'ghost')).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(del('bob', 'theirs')).rejects.toMatchObject({
      name: 'ForbiddenError',
      message: /another user/,
    });
    await expect(del('bob', 'nobodys')).rejects.toMatchObject({
      name: 'ForbiddenError',
      message: /no caller/,
    });
    await expect(del(undefined, 'theirs')).rejects.toMatchObject({ name: 'ForbiddenError' });
    expect([...w.items.keys()].sort()).toEqual(['nobodys', 'theirs']);
    expect(w.objects.size).toBe(2);
  });

  it('deletes the original, listed thumbnails the item never recorded and the item; a repeat is 404', async () => {
    const w = world();
    w.addImage('img', 'alice');
    w.addImage('img/child', undefined);
    w.objects.set('thumbnails/img/128.jpg', photo);
    w.objects.set('thumbnails/img/999.webp', photo);
    w.objects.set('thumbnails/img/child/128.jpg', photo);
    await w.deleteImage(w.open)('alice', 'img');
    expect(w.items.has('img')).toBe(false);
    // Only this image's objects: the object whose id merely starts with `img/` keeps its own.
    expect([...w.objects.keys()].sort()).toEqual(['thumbnails/img/child/128.jpg', 'uploads/img/child']);
    await expect(w.deleteImage(w.open)('alice', 'img')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('is finished by a retry after failing part-way (the item goes last but one)', async () => {
    const w = world();
    w.addImage('img', 'alice');
    w.objects.set('thumbnails/img/128.jpg', photo);
    const failing: Gate = async (call) => {
      if (call === 'store.deleteListed') throw new Error('S3 unavailable');
    };
    await expect(w.deleteImage(failing)('alice', 'img')).rejects.toThrow(/S3 unavailable/);
    expect(w.items.has('img')).toBe(true);
    await w.deleteImage(w.open)('alice', 'img');
    expect(w.items.size + w.objects.size).toBe(0);
  });
});

describe('getOriginal', () => {
  it('presigns the original for its owner only, and 404s before the original exists', async () => {
    const w = world();
    w.addImage('img', 'alice');
    w.addImage('pending', 'alice');
    w.objects.delete('uploads/pending');
    const get = makeGetOriginal({
      repo: w.repo(w.open),
      store: w.originals(w.open),
      settings: { originalUrlExpiresSeconds: 300 },
    });
    expect(await get('alice', 'img')).toBe('https://s3.example/uploads/img?expires=300');
    await expect(get('bob', 'img')).rejects.toMatchObject({ name: 'ForbiddenError' });
    await expect(get('alice', 'ghost')).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(get('alice', 'pending')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: /no original/,
    });
  });
});

describe('listImages', () => {
  it("pages through the caller's images only, through the view", async () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.addImage(`a${i}`, 'alice', `t${i}`);
    w.addImage('b0', 'bob', 't9');
    const list = makeListImages({
      owned: w.owned(w.open),
      view: (i) => ({ ...i, status: 'viewed' as never }),
    });
    const first = await list('alice', { limit: '3' });
    expect(first.items.map((i) => i.image_id)).toEqual(['a4', 'a3', 'a2']);
    expect(first.items.every((i) => (i.status as string) === 'viewed')).toBe(true);
    const second = await list('alice', { limit: '3', cursor: first.cursor! });
    expect(second).toMatchObject({ items: [{ image_id: 'a1' }, { image_id: 'a0' }] });
    expect(second.cursor).toBeUndefined();
    await expect(list(undefined, {})).rejects.toMatchObject({ name: 'ForbiddenError' });
  });
});
