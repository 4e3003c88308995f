import { S3Client } from '@aws-sdk/client-s3';
import type { Image } from '@snapstack/domain/image';
import { describe, expect, it } from 'vitest';
import { S3OriginalStore } from '../adapters/s3-original-store.js';
import type { ImageRepository, OriginalStore } from '../ports.js';
import { makeCreateUpload, makeUploadImage } from './images.js';

const limits = { maxDirectBytes: 100, maxPresignedBytes: 1000, presignExpiresSeconds: 600 };
const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const jpegBytes = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(n - 4)]);

function fakes() {
  const created: Image[] = [];
  const puts: { key: string; contentType: string }[] = [];
  const repo = { create: async (image: Image) => void created.push(image) } as unknown as ImageRepository;
  const store: OriginalStore = {
    putOriginal: async (key, _body, contentType) => void puts.push({ key, contentType }),
    presignUpload: async (request) => ({
      method: 'POST',
      url: 'http://s3',
      fields: { key: request.key },
      expiresAt: '',
      minBytes: request.minBytes,
      maxBytes: request.maxBytes,
    }),
    exists: async () => false,
    presignDownload: async () => 'http://s3/get',
    deleteObject: async () => undefined,
    deleteThumbnailsOf: async () => undefined,
  };
  return { created, puts, repo, store };
}

describe('uploadImage', () => {
  it('writes the pending item before the object, labelled by its magic bytes', async () => {
    const f = fakes();
    const order: string[] = [];
    const upload = makeUploadImage({
      repo: { create: async () => void order.push('item') } as unknown as ImageRepository,
      store: { ...f.store, putOriginal: async () => void order.push('object') },
      clock,
      newId: () => 'id-1',
      limits,
    });
    const image = await upload({ body: jpegBytes(50), contentType: 'image/png', createdBy: 'user-1' });
    expect(image).toEqual({
      image_id: 'id-1',
      status: 'pending',
      originalKey: 'uploads/id-1',
      contentType: 'image/jpeg',
      bytes: 50,
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'user-1',
    });
    expect(order).toEqual(['item', 'object']);
  });

  it('answers PayloadTooLarge pointing to POST /uploads past the direct limit', async () => {
    const f = fakes();
    const upload = makeUploadImage({ ...f, clock, newId: () => 'x', limits });
    await expect(upload({ body: jpegBytes(101), contentType: 'image/jpeg' })).rejects.toMatchObject({
      name: 'PayloadTooLargeError',
      message: expect.stringMatching(/POST \/uploads/),
    });
    expect(f.created).toEqual([]);
  });
});

describe('createUpload', () => {
  it('binds the presigned upload to the key, type and declared size', async () => {
    const f = fakes();
    const create = makeCreateUpload({ ...f, clock, newId: () => 'id-2', limits });
    const { image, upload } = await create({ contentType: 'image/png', bytes: 500 });
    expect(image).toMatchObject({ image_id: 'id-2', status: 'pending', contentType: 'image/png' });
    // The sweeper expires the image once this passed with no original.
    expect(f.created[0]).toMatchObject({ uploadExpiresAt: '2026-01-01T00:10:00.000Z' });
    expect(upload).toMatchObject({ fields: { key: 'uploads/id-2' }, minBytes: 500, maxBytes: 500 });
    await expect(create({ contentType: 'image/png', bytes: 1001 })).rejects.toMatchObject({
      name: 'PayloadTooLargeError',
    });
    await expect(create({ contentType: 'text/plain' })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('S3OriginalStore.presignUpload', () => {
  it('signs a POST policy with no checksum, even from a client with SDK-default checksums in AWS', async () => {
    const client = new S3Client({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
    const presigner = new S3Client({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const store = new S3OriginalStore(client, presigner, 'bucket', clock.now);
    const upload = await store.presignUpload({
      key: 'uploads/k',
      contentType: 'image/jpeg',
      minBytes: 1,
      maxBytes: 1000,
      expiresSeconds: 300,
    });
    expect(upload.url).toBe('https://bucket.s3.eu-west-1.amazonaws.com/');
    expect(upload.expiresAt).toBe('2026-01-01T00:05:00.000Z');
    expect(Object.keys(upload.fields).some((k) => /checksum/i.test(k))).toBe(false);
    const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString('utf8'));
    expect(JSON.stringify(policy)).not.toMatch(/checksum/i);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$key', 'uploads/k'],
        ['eq', '$Content-Type', 'image/jpeg'],
        ['content-length-range', 1, 1000],
      ]),
    );
    client.destroy();
    presigner.destroy();
  });
});
