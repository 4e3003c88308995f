/**
 * GET /images, DELETE /images/{image_id}, GET /images/{image_id}/original and thumbnail URLs,
 * end to end through the local runner (gateway, authorizer, handlers, DynamoDB, S3, the
 * thumbnailer on S3 events, and the local delivery server).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import { createDocumentClient } from '@snapstack/domain/dynamo';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { DynamoImageRepository, type ImageRepository, type ImageStore } from '@snapstack/thumbnailer/api';
import { createThumbnailDeps, makeProcessImage } from '@snapstack/thumbnailer/process';
import { imageFixtures } from '@snapstack/thumbnailer/test-support';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObject, metadataPath, s3For, waitForProcessed } from './helpers.js';

let app: TestRunner;
let s3: S3Client;
let bucket: string;
let photo: Buffer;
beforeAll(async () => {
  app = await startTestRunner();
  s3 = s3For(app);
  bucket = app.names.buckets.images;
  photo = (await imageFixtures()).landscape.data;
  // A runner starts in ~4 s on an idle machine; a loaded CI machine must not fail the file here.
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await app?.close();
});

/** A request as `sub`, holding every scope (and no API key: these routes take a bearer token). */
const as = async (
  sub: string,
  method: string,
  path: string,
  init: { body?: Uint8Array; headers?: Record<string, string> } = {},
) => app.request(method, path, { ...init, headers: { ...(await app.as(sub)), ...init.headers } });

const uploadAs = async (sub: string) => {
  const res = await as(sub, 'POST', '/upload', { body: photo, headers: { 'content-type': 'image/jpeg' } });
  expect(res.status).toBe(201);
  return res.body.image_id as string;
};

const keysUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
    (o) => o.Key,
  );

/** GET /images/{id}/original without following the redirect. */
const originalOf = async (sub: string, imageId: string) =>
  fetch(`${app.url}/images/${encodeURIComponent(imageId)}/original`, {
    headers: await app.as(sub),
    redirect: 'manual',
  });

describe('owner isolation', () => {
  it("keeps a second user away from the first user's images: not listed, 403 to fetch or delete", async () => {
    const alice = `alice-${randomUUID()}`;
    const bob = `bob-${randomUUID()}`;
    const imageId = await uploadAs(alice);
    await waitForProcessed(app, imageId);

    expect((await as(bob, 'GET', '/images')).body).toEqual({ items: [] });
    expect(
      (await as(alice, 'GET', '/images')).body.items.map((i: { image_id: string }) => i.image_id),
    ).toEqual([imageId]);
    const fetched = await originalOf(bob, imageId);
    expect(fetched.status).toBe(403);
    expect(((await fetched.json()) as { message: string }).message).toMatch(/another user/);
    const deleted = await as(bob, 'DELETE', `/images/${imageId}`);
    expect(deleted.status).toBe(403);
    // Nothing of alice's image went: item, original, thumbnail.
    expect((await app.request('GET', metadataPath(imageId))).body.status).toBe('ready');
    expect(await keysUnder(`uploads/${imageId}`)).toEqual([`uploads/${imageId}`]);
    expect(await keysUnder(`thumbnails/${imageId}/`)).toHaveLength(1);

    for (const sub of [alice, bob]) {
      expect((await originalOf(sub, randomUUID())).status).toBe(404);
      expect((await as(sub, 'DELETE', `/images/${randomUUID()}`)).status).toBe(404);
    }
  }, 30_000);

  it('refuses an image put straight into S3 (no owner) to every caller, and lists it to none', async () => {
    const imageId = randomUUID();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `uploads/${imageId}`, Body: photo }));
    expect((await waitForProcessed(app, imageId)).body).toMatchObject({ status: 'ready' });
    expect((await as('anyone', 'DELETE', `/images/${imageId}`)).status).toBe(403);
    expect((await originalOf('anyone', imageId)).status).toBe(403);
    expect((await as('anyone', 'GET', '/images')).body.items).toEqual([]);
  }, 30_000);

  it.each([
    ['GET', '/images'],
    ['DELETE', '/images/x'],
    ['GET', '/images/x/original'],
  ])('answers %s %s 401 without a token and 403 without the scope', async (method, path) => {
    expect((await app.request(method, path, { anonymous: true })).status).toBe(401);
    const noScope = await app.token({ sub: 'carol', scope: '' });
    expect(
      (await app.request(method, path, { headers: { authorization: `Bearer ${noScope}` } })).status,
    ).toBe(403);
  });
});

describe('GET /images', () => {
  it('walks every image once, newest first, with limit and cursor', async () => {
    const owner = `pager-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await uploadAs(owner));
    const seen: { image_id: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await as(owner, 'GET', `/images${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.map((i) => i.image_id).sort()).toEqual([...ids].sort());
    const times = seen.map((i) => i.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    // Uploads one after another: the last one is listed first.
    expect(seen[0]?.image_id).toBe(ids[4]);
  }, 30_000);

  it.each(['0', '101', 'abc', '2.5', '-3'])('answers 400 for limit=%s', async (limit) => {
    const res = await as('someone', 'GET', `/images?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('limit must be an integer from 1 to 100');
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['base64 of a non-object', Buffer.from('"x"').toString('base64url')],
    ['a key of the wrong shape', Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url')],
    [
      'a key with extra attributes',
      Buffer.from(JSON.stringify({ image_id: 'a', createdAt: 'b', createdBy: 'c' })).toString('base64url'),
    ],
    [
      'an over-long id',
      Buffer.from(JSON.stringify({ image_id: 'x'.repeat(3000), createdAt: 'b' })).toString('base64url'),
    ],
  ])('answers 400 (never 500) for a cursor that is %s', async (_case, cursor) => {
    const res = await as('someone', 'GET', `/images?cursor=${encodeURIComponent(cursor)}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('cursor is not a valid pagination cursor');
  });

  it("cannot page into another user's images with their cursor", async () => {
    const owner = `cursor-${randomUUID()}`;
    for (let i = 0; i < 2; i++) await uploadAs(owner);
    const first = await as(owner, 'GET', '/images?limit=1');
    expect(first.body.cursor).toEqual(expect.any(String));
    const stranger = await as(
      `stranger-${randomUUID()}`,
      'GET',
      `/images?cursor=${encodeURIComponent(first.body.cursor)}`,
    );
    expect(stranger.status).toBe(200);
    expect(stranger.body.items).toEqual([]);
  }, 30_000);
});

describe('DELETE /images/{image_id}', () => {
  it('removes the original, every thumbnail (recorded or not) and the item; a repeat is 404', async () => {
    const owner = `deleter-${randomUUID()}`;
    const imageId = await uploadAs(owner);
    const ready = await waitForProcessed(app, imageId);
    const thumbnailUrl = ready.body.thumbnails[0].url as string;
    expect((await fetch(thumbnailUrl)).status).toBe(200);
    // A thumbnail the item does not record (left by an earlier size setting, say).
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `thumbnails/${imageId}/999.jpg`, Body: photo }),
    );

    const res = await as(owner, 'DELETE', `/images/${imageId}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await app.request('GET', metadataPath(imageId))).status).toBe(404);
    expect(await keysUnder(`uploads/${imageId}`)).toEqual([]);
    expect(await keysUnder(`thumbnails/${imageId}/`)).toEqual([]);
    expect((await fetch(thumbnailUrl)).status).toBe(403);
    expect((await as(owner, 'GET', '/images')).body.items).toEqual([]);

    const again = await as(owner, 'DELETE', `/images/${imageId}`);
    expect(again.status).toBe(404);
    expect(again.body.message).toBe(`image ${imageId} not found`);
  }, 30_000);

  it('makes a late S3 event for the deleted original a no-op', async () => {
    const owner = `late-${randomUUID()}`;
    const imageId = await uploadAs(owner);
    await waitForProcessed(app, imageId);
    expect((await as(owner, 'DELETE', `/images/${imageId}`)).status).toBe(204);
    const event = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: bucket }, object: { key: `uploads/${imageId}`, size: photo.length } },
        },
      ],
    } as unknown as S3Event;
    const outcome = await app.invoke('thumbnailer', event);
    expect(JSON.stringify(outcome)).toContain('"outcome":"missing"');
    expect((await app.request('GET', metadataPath(imageId))).status).toBe(404);
    expect(await keysUnder(`thumbnails/${imageId}/`)).toEqual([]);
  }, 30_000);
});

describe('a thumbnail run racing a DELETE (real emulators, the DELETE injected at a port)', () => {
  /** The thumbnail use case as the runner's thumbnailer builds it, against this runner's emulators. */
  function thumbnailRun(intercept: { repo?: Partial<ImageRepository>; store?: Partial<ImageStore> }) {
    const env = app.environment('thumbnailer');
    const deps = createThumbnailDeps({ ...process.env, ...env });
    const dynamo = new DynamoDBClient({
      endpoint: app.endpoints.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const repo = new DynamoImageRepository(createDocumentClient(dynamo), app.names.tables.images);
    const store = deps.store;
    const processImage = makeProcessImage({
      ...deps,
      repo: {
        get: (id) => repo.get(id),
        create: (image) => repo.create(image),
        markReady: (...args) => (intercept.repo?.markReady ?? repo.markReady.bind(repo))(...args),
        markFailed: (...args) => repo.markFailed(...args),
      },
      store: {
        getOriginal: (key) => store.getOriginal(key),
        putThumbnail: (...args) => (intercept.store?.putThumbnail ?? store.putThumbnail.bind(store))(...args),
        deleteThumbnails: (keys) => store.deleteThumbnails(keys),
      },
    });
    return { processImage, repo, store, close: () => dynamo.destroy() };
  }

  it.each([
    ['between its reads and its item write', 'markReady'],
    ['between its reads and its first thumbnail', 'putThumbnail'],
  ] as const)(
    'keeps nothing when the DELETE lands %s',
    async (_when, port) => {
      const owner = `racer-${randomUUID()}`;
      const imageId = await uploadAs(owner);
      await waitForProcessed(app, imageId);
      let deleted: number | undefined;
      const deleteOnce = async () => {
        if (deleted === undefined) deleted = (await as(owner, 'DELETE', `/images/${imageId}`)).status;
      };
      const run = thumbnailRun(
        port === 'markReady'
          ? {
              repo: {
                markReady: async (...args) => {
                  await deleteOnce();
                  return run.repo.markReady(...args);
                },
              },
            }
          : {
              store: {
                putThumbnail: async (...args) => {
                  await deleteOnce();
                  return run.store.putThumbnail(...args);
                },
              },
            },
      );
      // Forced, as POST /process runs it: the image was processed once already.
      const outcome = await run.processImage(imageId, { force: true, sizes: [64, 96] });
      run.close();
      expect(deleted).toBe(204);
      expect(outcome).toEqual({ kind: 'deleted' });
      expect((await app.request('GET', metadataPath(imageId))).status).toBe(404);
      expect(await keysUnder(`thumbnails/${imageId}/`)).toEqual([]);
      expect(await keysUnder(`uploads/${imageId}`)).toEqual([]);
    },
    30_000,
  );
});

describe('GET /images/{image_id}/original', () => {
  it('redirects the owner to a short-lived presigned GET that returns the bytes', async () => {
    const owner = `viewer-${randomUUID()}`;
    const imageId = await uploadAs(owner);
    const res = await originalOf(owner, imageId);
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(new URL(app.endpoints.s3).origin);
    expect(location.pathname).toBe(`/${bucket}/uploads/${imageId}`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    // Real S3 would refuse a presigned GET carrying a checksum of an empty body.
    expect([...location.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);
  }, 30_000);

  it('answers 404 while the original has not been uploaded', async () => {
    const owner = `early-${randomUUID()}`;
    const created = await app.request('POST', '/uploads', {
      json: { contentType: 'image/png' },
      headers: await app.as(owner),
    });
    expect(created.status).toBe(201);
    const res = await originalOf(owner, created.body.image.image_id);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/no original yet/);
  });
});

describe('thumbnail URLs', () => {
  it('are on every thumbnail the API returns, and serve the image with the CDN cache headers', async () => {
    const owner = `gallery-${randomUUID()}`;
    const imageId = await uploadAs(owner);
    const ready = await waitForProcessed(app, imageId);
    const [thumbnail] = ready.body.thumbnails;
    expect(thumbnail.url).toBe(`${app.endpoints.imageDelivery}/thumbnails/${imageId}/128.jpg`);
    const listed = (await as(owner, 'GET', '/images')).body.items[0];
    expect(listed.thumbnails[0].url).toBe(thumbnail.url);
    const processed = await app.request('POST', '/process', {
      json: { image_id: imageId, sizes: [64] },
      headers: await app.as(owner),
    });
    expect(processed.body.thumbnails[0].url).toBe(
      `${app.endpoints.imageDelivery}/thumbnails/${imageId}/64.jpg`,
    );

    const res = await fetch(thumbnail.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Number(res.headers.get('content-length'))).toBe(thumbnail.bytes);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals((await getObject(s3, bucket, thumbnail.key)).data)).toBe(true);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const revalidated = await fetch(thumbnail.url, { headers: { 'if-none-match': etag! } });
    expect(revalidated.status).toBe(304);
  }, 30_000);
});
