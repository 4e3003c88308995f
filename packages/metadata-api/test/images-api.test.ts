import { randomUUID } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { thumbnailResponseHeaders } from '@snapstack/domain/delivery';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { hostileFixtures, imageFixtures } from '@snapstack/thumbnailer/test-support';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObject, metadataPath, postForm, s3For, waitForProcessed } from './helpers.js';

let app: TestRunner;
let bucket: string;
let images: Awaited<ReturnType<typeof imageFixtures>>;
let hostile: Awaited<ReturnType<typeof hostileFixtures>>;
beforeAll(async () => {
  [app, images, hostile] = await Promise.all([startTestRunner(), imageFixtures(), hostileFixtures()]);
  bucket = app.names.buckets.images;
});
afterAll(() => app?.close());

const upload = (data: Uint8Array, contentType: string) =>
  app.request('POST', '/upload', { body: data, headers: { 'content-type': contentType } });

/** A photo-like JPEG over 4.5 MB (noise compresses badly). */
const largeJpeg = () =>
  sharp({
    create: {
      width: 2600,
      height: 2000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .jpeg({ quality: 95 })
    .toBuffer();

describe('POST /upload -> thumbnailer -> GET /metadata', () => {
  it.each(['landscape', 'portrait', 'exifRotated', 'pngAlpha', 'animatedGif', 'png16', 'cmykJpeg'] as const)(
    'takes a %s from pending to ready with a correctly sized thumbnail',
    async (name) => {
      const fixture = images[name];
      const res = await upload(fixture.data, fixture.contentType);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'pending',
        contentType: fixture.contentType,
        bytes: fixture.data.length,
        originalKey: `uploads/${res.body.image_id}`,
      });
      expect(res.headers.get('location')).toBe(`/metadata/${res.body.image_id}`);

      const done = await waitForProcessed(app, res.body.image_id);
      expect(done.body).toMatchObject({
        image_id: res.body.image_id,
        status: 'ready',
        ...fixture.original,
        createdAt: res.body.createdAt,
      });
      expect(done.body.error).toBeUndefined();
      expect(Date.parse(done.body.processedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.createdAt));
      expect(done.body.thumbnails).toEqual([
        {
          size: 128,
          key: `thumbnails/${res.body.image_id}/128.jpg`,
          url: `${app.endpoints.imageDelivery}/thumbnails/${res.body.image_id}/128.jpg`,
          ...fixture.expected,
          bytes: expect.any(Number),
          contentType: 'image/jpeg',
        },
      ]);

      const s3 = s3For(app);
      const thumb = await getObject(s3, bucket, done.body.thumbnails[0].key);
      expect(thumb.ContentType).toBe('image/jpeg');
      expect(thumb.CacheControl).toBe(thumbnailResponseHeaders['cache-control']);
      expect(thumb.data.length).toBe(done.body.thumbnails[0].bytes);
      expect(await sharp(thumb.data).metadata()).toMatchObject({ format: 'jpeg', ...fixture.expected });
      const original = await getObject(s3, bucket, res.body.originalKey);
      expect(original.ContentType).toBe(fixture.contentType);
      expect(original.data.equals(fixture.data)).toBe(true);
      s3.destroy();
    },
    30_000,
  );

  it('labels the original by its bytes, not by the Content-Type header', async () => {
    const res = await upload(images.landscape.data, 'image/png');
    expect(res.status).toBe(201);
    expect(res.body.contentType).toBe('image/jpeg');
    const s3 = s3For(app);
    expect((await getObject(s3, bucket, res.body.originalKey)).ContentType).toBe('image/jpeg');
    s3.destroy();
    expect((await waitForProcessed(app, res.body.image_id)).body.format).toBe('jpeg');
  });

  it.each([
    [
      'text sent as image/jpeg',
      Buffer.from('not an image at all'),
      'image/jpeg',
      415,
      /not a supported image/,
    ],
    [
      'an image sent as application/octet-stream',
      Buffer.from('abc'),
      'application/octet-stream',
      415,
      /Content-Type/,
    ],
    ['an empty body', Buffer.alloc(0), 'image/jpeg', 400, /Invalid request body/],
  ])('refuses %s', async (_name, body, contentType, status, message) => {
    const res = await upload(body, contentType as string);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message as RegExp);
  });

  it('answers 413 pointing to POST /uploads for bodies over 4.5 MB', async () => {
    const big = await largeJpeg();
    expect(big.length).toBeGreaterThan(4_500_000);
    const res = await upload(big, 'image/jpeg');
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/POST \/uploads/);
  }, 30_000);

  it('answers 404 for an unknown image', async () => {
    const res = await app.request('GET', metadataPath(randomUUID()));
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/not found/);
  });

  // No such id can be a DynamoDB key (over 2048 UTF-8 bytes): not found, never a 500.
  it.each([
    ['3000 ASCII characters', 'x'.repeat(3000)],
    ['2049 ASCII characters', 'x'.repeat(2049)],
    ['600 emoji (2400 bytes)', '😀'.repeat(600)],
  ])('answers 404 for an image id of %s', async (_case, imageId) => {
    const res = await app.request('GET', metadataPath(imageId));
    expect({ status: res.status, message: res.body?.message }).toEqual({
      status: 404,
      message: expect.stringMatching(/not found$/),
    });
  });
});

describe('POST /uploads (presigned POST)', () => {
  it('uploads a file over 4.5 MB straight to S3, which triggers the thumbnailer', async () => {
    const big = await largeJpeg();
    const res = await app.request('POST', '/uploads', { json: { contentType: 'image/jpeg' } });
    expect(res.status).toBe(201);
    const { image, upload: presigned } = res.body;
    expect(image).toMatchObject({
      status: 'pending',
      contentType: 'image/jpeg',
      originalKey: `uploads/${image.image_id}`,
    });
    expect(presigned.method).toBe('POST');
    expect(presigned.url.startsWith(app.endpoints.s3)).toBe(true);
    expect(presigned.fields).toMatchObject({ key: image.originalKey, 'Content-Type': 'image/jpeg' });
    expect(presigned.maxBytes).toBe(25 * 1024 * 1024);
    // The SDK default would add a checksum of an empty body that real S3 then enforces.
    expect(Object.keys(presigned.fields).filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(presigned.url).not.toMatch(/checksum/i);
    const policy = JSON.parse(Buffer.from(presigned.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 25 * 1024 * 1024],
        ['eq', '$Content-Type', 'image/jpeg'],
        ['eq', '$key', image.originalKey],
      ]),
    );

    const sent = await postForm(presigned, big, 'image/jpeg');
    expect(sent.status).toBe(204);
    const done = await waitForProcessed(app, image.image_id);
    expect(done.body).toMatchObject({ status: 'ready', bytes: big.length, width: 2600, height: 2000 });
    expect(done.body.thumbnails[0]).toMatchObject({ width: 128, height: 98 });
  }, 60_000);

  it('refuses uploads outside the policy: too large, another type, another key', async () => {
    const res = await app.request('POST', '/uploads', { json: { contentType: 'image/png', bytes: 100 } });
    expect(res.status).toBe(201);
    const { image, upload: presigned } = res.body;
    const tooLarge = await postForm(presigned, Buffer.alloc(300_000), 'image/png');
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.text).toContain('EntityTooLarge');
    const otherType = await postForm(presigned, Buffer.alloc(100), 'image/png', {
      'Content-Type': 'text/html',
    });
    expect(otherType.status).toBe(403);
    const otherKey = await postForm(presigned, Buffer.alloc(100), 'image/png', {
      key: 'uploads/someone-else',
    });
    expect(otherKey.status).toBe(403);
    await app.asyncInvoker.idle();
    expect((await app.request('GET', metadataPath(image.image_id))).body.status).toBe('pending');
    expect((await app.request('GET', metadataPath('someone-else'))).status).toBe(404);
  });

  it('validates the request model at the gateway', async () => {
    const res = await app.request('POST', '/uploads', { json: { contentType: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid request body' });
  });
});

describe('objects put by any S3 client', () => {
  it.each([
    ['spaces', 'my holiday photo.jpg'],
    ['a plus sign', 'a+b=c.jpg'],
    ['unicode', 'café ünïcødé 写真 📷.jpg'],
    ['all of them', 'x + y (copy) ü.jpg'],
  ])(
    'decodes keys with %s as S3 encodes them in events',
    async (_name, fileName) => {
      const imageId = `${randomUUID().slice(0, 8)} ${fileName}`;
      const s3 = s3For(app);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `uploads/${imageId}`,
          Body: images.landscape.data,
          ContentType: 'image/jpeg',
        }),
      );
      const done = await waitForProcessed(app, imageId);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ image_id: imageId, status: 'ready', width: 640, height: 480 });
      const thumb = await getObject(s3, bucket, `thumbnails/${imageId}/128.jpg`);
      expect(await sharp(thumb.data).metadata()).toMatchObject({ width: 128, height: 96 });
      // Its url encodes the key so the delivery path decodes back to exactly this object.
      const delivered = await fetch(done.body.thumbnails[0].url);
      expect(delivered.status).toBe(200);
      expect(Buffer.from(await delivered.arrayBuffer()).equals(thumb.data)).toBe(true);
      s3.destroy();
    },
    30_000,
  );

  it('decodes aws-chunked uploads (SDK default checksums, as the AWS CLI sends)', async () => {
    const imageId = randomUUID();
    const s3 = s3For(app, { requestChecksumCalculation: 'WHEN_SUPPORTED' });
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `uploads/${imageId}`, Body: images.portrait.data }),
    );
    const done = await waitForProcessed(app, imageId);
    expect(done.body).toMatchObject({
      status: 'ready',
      bytes: images.portrait.data.length,
      width: 480,
      height: 640,
    });
    s3.destroy();
  }, 30_000);

  it('triggers on multipart uploads and copies too', async () => {
    const s3 = s3For(app);
    const multipartId = randomUUID();
    const key = `uploads/${multipartId}`;
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'image/png' }),
    );
    const data = images.pngAlpha.data;
    const cut = Math.floor(data.length / 2);
    const parts = [];
    for (const [i, body] of [data.subarray(0, cut), data.subarray(cut)].entries()) {
      const { ETag } = await s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: body }),
      );
      parts.push({ ETag, PartNumber: i + 1 });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const assembled = await waitForProcessed(app, multipartId);
    expect(assembled.body).toMatchObject({ status: 'ready', bytes: data.length, width: 300, height: 200 });

    const copyId = randomUUID();
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: `uploads/${copyId}`, CopySource: `${bucket}/${key}` }),
    );
    expect((await waitForProcessed(app, copyId)).body).toMatchObject({
      status: 'ready',
      width: 300,
      height: 200,
    });
    s3.destroy();
  }, 30_000);

  it('does not trigger for keys outside uploads/, and thumbnails never re-trigger', async () => {
    const imageId = randomUUID();
    const s3 = s3For(app);
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `elsewhere/${imageId}`, Body: images.landscape.data }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `thumbnails/${imageId}/128.jpg`,
        Body: images.landscape.data,
      }),
    );
    await app.asyncInvoker.idle();
    expect((await app.request('GET', metadataPath(imageId))).status).toBe(404);
    expect((await app.request('GET', metadataPath(`${imageId}/128.jpg`))).status).toBe(404);
    s3.destroy();
  });

  it('is idempotent: the same object delivered again leaves the same item', async () => {
    const res = await upload(images.landscape.data, 'image/jpeg');
    const first = await waitForProcessed(app, res.body.image_id);
    const s3 = s3For(app);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: res.body.originalKey,
        Body: images.landscape.data,
        ContentType: 'image/jpeg',
      }),
    );
    await app.asyncInvoker.idle();
    const again = await app.request('GET', metadataPath(res.body.image_id));
    expect(again.body).toEqual(first.body);
    s3.destroy();
  }, 30_000);
});

describe('hostile inputs', () => {
  it.each([
    ['zero bytes', 'empty', /empty/],
    ['text named .jpg', 'textNamedJpg', /not a supported image/],
    ['a truncated JPEG', 'truncatedJpeg', /cannot decode/],
    ['a PNG declaring 30000x30000 pixels', 'pngBomb', /30000x30000.*limit/],
  ] as const)(
    '%s ends failed with a reason while the runner keeps serving',
    async (_name, fixture, reason) => {
      const imageId = `${randomUUID()}.jpg`;
      const s3 = s3For(app);
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `uploads/${imageId}`, Body: hostile[fixture] }),
      );
      const done = await waitForProcessed(app, imageId);
      expect(done.body).toMatchObject({
        image_id: imageId,
        status: 'failed',
        bytes: hostile[fixture].length,
      });
      expect(done.body.error).toMatch(reason);
      expect(done.body.thumbnails).toBeUndefined();
      // No retry storm: a permanent failure is recorded, not thrown.
      expect(app.asyncInvoker.failures).toEqual([]);
      // Still serving: a good image goes through right after.
      const ok = await upload(images.small.data, 'image/webp');
      expect((await waitForProcessed(app, ok.body.image_id)).body.status).toBe('ready');
      s3.destroy();
    },
    30_000,
  );

  it('a presigned upload of a truncated JPEG ends failed too', async () => {
    const res = await app.request('POST', '/uploads', { json: { contentType: 'image/jpeg' } });
    const sent = await postForm(res.body.upload, hostile.truncatedJpeg, 'image/jpeg');
    expect(sent.status).toBe(204);
    const done = await waitForProcessed(app, res.body.image.image_id);
    expect(done.body).toMatchObject({ status: 'failed', createdAt: res.body.image.createdAt });
    expect(done.body.error).toMatch(/cannot decode/);
  }, 30_000);
});

describe('POST /process', () => {
  it('regenerates thumbnails at the requested sizes and returns the updated item', async () => {
    const res = await upload(images.landscape.data, 'image/jpeg');
    await waitForProcessed(app, res.body.image_id);
    const processed = await app.request('POST', '/process', {
      json: { image_id: res.body.image_id, sizes: [64, 200] },
    });
    expect(processed.status).toBe(200);
    expect(processed.body.status).toBe('ready');
    expect(
      processed.body.thumbnails.map((t: { size: number; width: number; height: number }) => [
        t.size,
        t.width,
        t.height,
      ]),
    ).toEqual([
      [64, 64, 48],
      [200, 200, 150],
    ]);
    const s3 = s3For(app);
    const thumb = await getObject(s3, bucket, `thumbnails/${res.body.image_id}/200.jpg`);
    expect(await sharp(thumb.data).metadata()).toMatchObject({ width: 200, height: 150 });
    s3.destroy();
    expect((await app.request('GET', metadataPath(res.body.image_id))).body).toEqual(processed.body);
  }, 30_000);

  it("refuses another user's image: 403, and its thumbnails stay as they were", async () => {
    const res = await upload(images.landscape.data, 'image/jpeg');
    const done = await waitForProcessed(app, res.body.image_id);
    const stranger = await app.as(`stranger-${randomUUID()}`);
    const refused = await app.request('POST', '/process', {
      json: { image_id: res.body.image_id, sizes: [32] },
      headers: stranger,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/another user/);
    const after = await app.request('GET', metadataPath(res.body.image_id));
    expect(after.body.thumbnails).toEqual(done.body.thumbnails);
  }, 30_000);

  it('answers 404 for an unknown image, 409 before the original is uploaded, 400 for a bad model', async () => {
    expect((await app.request('POST', '/process', { json: { image_id: randomUUID() } })).status).toBe(404);
    const pending = await app.request('POST', '/uploads', { json: { contentType: 'image/png' } });
    const early = await app.request('POST', '/process', { json: { image_id: pending.body.image.image_id } });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/upload it/);
    const bad = await app.request('POST', '/process', { json: { image_id: 'x', sizes: [0] } });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for an image id the model admits but DynamoDB cannot hold as a key', async () => {
    // 1000 characters (the model's maximum) of 3 bytes each: 3000 bytes, over the 2048-byte key limit.
    const res = await app.request('POST', '/process', { json: { image_id: '€'.repeat(1000) } });
    expect(res.status).toBe(404);
  });
});
