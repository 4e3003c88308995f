import { describe, expect, it } from 'vitest';
import type { PendingImage, PendingImages, SweepSettings } from '../sweeper-ports.js';
import { makeSweepPending } from './sweep-pending.js';

const settings: SweepSettings = { redriveAfterSeconds: 900, maxRedrives: 2, expireGraceSeconds: 600 };
const T0 = Date.parse('2026-06-01T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

type Row = PendingImage & { status: string; error?: string };

/** The images table as the port promises it: conditional writes, the sparse index by age. */
function fakeTable(rows: Row[]) {
  const byId = new Map(rows.map((r) => [r.imageId, r]));
  const update = (id: string, fields: Partial<Row>) => {
    const row = byId.get(id);
    if (row?.status !== 'pending') return false;
    byId.set(id, { ...row, ...fields });
    return true;
  };
  const images: PendingImages = {
    async *listPendingSince(cutoff) {
      yield [...byId.values()]
        .filter((r) => r.status === 'pending' && r.pendingSince <= cutoff)
        .sort((a, b) => a.pendingSince.localeCompare(b.pendingSince));
    },
    recordRedrive: async (id, last, count) => update(id, { lastRedriveAt: last, redriveCount: count }),
    markExpired: async (id, error) => update(id, { status: 'expired', error }),
    markFailed: async (id, error) => update(id, { status: 'failed', error }),
  };
  return {
    images,
    row: (id: string) => byId.get(id),
    set: (id: string, f: Partial<Row>) => byId.set(id, { ...byId.get(id)!, ...f }),
  };
}

function pending(id: string, createdSecondsAfterT0: number, extra: Partial<Row> = {}): Row {
  const createdAt = at(createdSecondsAfterT0);
  return {
    imageId: id,
    originalKey: `uploads/${id}`,
    createdAt,
    pendingSince: createdAt,
    status: 'pending',
    ...extra,
  };
}

function sweeper(rows: Row[], originals: string[]) {
  const table = fakeTable(rows);
  const present = new Set(originals);
  const redriven: string[] = [];
  let now = new Date(T0);
  const sweep = makeSweepPending({
    images: table.images,
    originals: { exists: async (key) => present.has(key) },
    redriver: {
      redrive: async (image) => {
        redriven.push(image.imageId);
      },
    },
    now: () => now,
    settings,
    log: { info: () => undefined, error: () => undefined },
  });
  return { sweep, table, redriven, present, advanceTo: (s: number) => (now = new Date(T0 + s * 1000)) };
}

describe('sweepPending', () => {
  it('re-drives a pending image whose original exists only once it waited redriveAfterSeconds', async () => {
    const s = sweeper([pending('a', 0)], ['uploads/a']);
    s.advanceTo(899);
    expect(await s.sweep()).toMatchObject({ redriven: 0 });
    s.advanceTo(900);
    expect(await s.sweep()).toMatchObject({ examined: 1, redriven: 1 });
    expect(s.redriven).toEqual(['a']);
    expect(s.table.row('a')).toMatchObject({ status: 'pending', redriveCount: 1, lastRedriveAt: at(900) });
  });

  it('waits redriveAfterSeconds after each re-drive, and marks the image failed after maxRedrives', async () => {
    const s = sweeper([pending('a', 0)], ['uploads/a']);
    for (const t of [900, 1000, 1800, 2699]) {
      s.advanceTo(t);
      await s.sweep();
    }
    expect(s.redriven).toEqual(['a', 'a']);
    s.advanceTo(2700);
    expect(await s.sweep()).toMatchObject({ failed: 1, redriven: 0 });
    expect(s.table.row('a')).toMatchObject({ status: 'failed', error: expect.stringMatching(/2 re-drive/) });
  });

  it('expires a presigned upload with no original only once its URL expired plus the grace', async () => {
    const s = sweeper([pending('late', 0, { uploadExpiresAt: at(600) })], []);
    s.advanceTo(1199);
    expect(await s.sweep()).toMatchObject({ expired: 0, waiting: 1 });
    s.advanceTo(1200);
    expect(await s.sweep()).toMatchObject({ expired: 1 });
    expect(s.table.row('late')).toMatchObject({
      status: 'expired',
      error: `the upload URL expired at ${at(600)} and no original arrived`,
    });
    expect(s.redriven).toEqual([]);
  });

  it('expires a direct upload whose original never landed grace seconds after its creation', async () => {
    const s = sweeper([pending('direct', 0)], []);
    s.advanceTo(600);
    expect(await s.sweep()).toMatchObject({ expired: 1 });
    expect(s.table.row('direct')).toMatchObject({
      status: 'expired',
      error: 'no original arrived with the upload',
    });
  });

  it('re-drives rather than expires once the original arrived, even after the URL expired', async () => {
    const s = sweeper([pending('a', 0, { uploadExpiresAt: at(60) })], ['uploads/a']);
    s.advanceTo(5000);
    expect(await s.sweep()).toMatchObject({ redriven: 1, expired: 0 });
  });

  it('never overwrites an image that left pending while the sweep ran', async () => {
    const s = sweeper([pending('raced', 0)], []);
    const { images } = s.table;
    // The thumbnailer marks it ready between the listing and the sweeper's write.
    const list = images.listPendingSince.bind(images);
    images.listPendingSince = async function* (cutoff) {
      for await (const page of list(cutoff)) {
        s.table.set('raced', { status: 'ready' });
        yield page;
      }
    };
    s.advanceTo(5000);
    expect(await s.sweep()).toMatchObject({ expired: 0, waiting: 1 });
    expect(s.table.row('raced')?.status).toBe('ready');
  });

  it('sweeps the other images when one fails, and counts the error', async () => {
    const s = sweeper([pending('a', 0), pending('b', 1)], ['uploads/a', 'uploads/b']);
    const sweep = makeSweepPending({
      images: s.table.images,
      originals: {
        exists: async (key) => {
          if (key === 'uploads/a') throw new Error('SlowDown');
          return true;
        },
      },
      redriver: { redrive: async (image) => void s.redriven.push(image.imageId) },
      now: () => new Date(T0 + 5000_000),
      settings,
      log: { info: () => undefined, error: () => undefined },
    });
    expect(await sweep()).toMatchObject({ examined: 2, redriven: 1, errors: 1 });
    expect(s.redriven).toEqual(['b']);
  });

  it('does not look at images younger than the smaller of the two ages', async () => {
    const s = sweeper([pending('new', 0)], []);
    s.advanceTo(599);
    expect(await s.sweep()).toMatchObject({ examined: 0 });
  });
});
