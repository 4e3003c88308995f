/**
 * The runner's thumbnail delivery server (the stage's CDN, locally) over real HTTP, in front of
 * the real local S3: what it serves, with which headers, and everything it refuses as
 * CloudFront with Origin Access Control on a private bucket refuses it.
 */
import { request as httpRequest } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImageDelivery, startImageDelivery } from '../src/delivery/image-delivery.js';
import { type S3Emulator, startS3 } from '../src/emulators/s3.js';
import { localClientConfig } from '../src/emulators/support.js';

const bucket = 'delivery-test-images';
let s3: S3Emulator;
let client: S3Client;
let delivery: ImageDelivery;
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('thumbnail bytes')]);

beforeAll(async () => {
  s3 = await startS3({ buckets: [{ name: bucket, notifications: [] }], deliver: () => undefined });
  client = new S3Client(localClientConfig(s3.endpoint));
  delivery = await startImageDelivery({ s3Endpoint: s3.endpoint, bucket });
  for (const key of ['thumbnails/abc/128.jpg', 'thumbnails/a b#c/128.jpg', 'uploads/abc']) {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: jpeg, ContentType: 'image/jpeg' }),
    );
  }
});
afterAll(async () => {
  client?.destroy();
  await delivery?.close();
  await s3?.close();
});

/** A request exactly as written (fetch would resolve `..` and normalise the path first). */
function raw(
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(delivery.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('image delivery', () => {
  it('serves a thumbnail with S3 entity headers and the CDN cache headers, and answers conditional GETs', async () => {
    const res = await fetch(`${delivery.url}/thumbnails/abc/128.jpg`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(
      Object.fromEntries(
        ['cache-control', 'x-content-type-options', 'content-type', 'content-length'].map((h) => [
          h,
          res.headers.get(h),
        ]),
      ),
    ).toEqual({
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-type': 'image/jpeg',
      'content-length': String(jpeg.length),
    });
    // Plain HTTP locally: HSTS means nothing here (browsers ignore it over HTTP), so it is not sent.
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(
      (await fetch(`${delivery.url}/thumbnails/abc/128.jpg`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    expect(
      (await fetch(`${delivery.url}/thumbnails/abc/128.jpg`, { headers: { 'if-none-match': '"other"' } }))
        .status,
    ).toBe(200);
  });

  it('answers HEAD with the headers and no body, and ignores the query string', async () => {
    const head = await raw('HEAD', '/thumbnails/abc/128.jpg');
    expect(head).toMatchObject({ status: 200, body: '', headers: { 'content-length': String(jpeg.length) } });
    expect((await fetch(`${delivery.url}/thumbnails/abc/128.jpg?v=2&x`)).status).toBe(200);
  });

  it('decodes percent-encoded keys as S3 does', async () => {
    const res = await fetch(`${delivery.url}/thumbnails/a%20b%23c/128.jpg`);
    expect(res.status).toBe(200);
  });

  it.each([
    ['a missing thumbnail', '/thumbnails/abc/999.jpg'],
    ['an original (outside thumbnails/)', '/uploads/abc'],
    ['the root', '/'],
    ['the thumbnails prefix itself', '/thumbnails/'],
    ['a path climbing out of thumbnails/', '/thumbnails/../uploads/abc'],
    ['an encoded climb', '/thumbnails/%2e%2e/uploads/abc'],
    ['a malformed escape', '/thumbnails/%E0%A4%A/128.jpg'],
  ])('answers 403 AccessDenied, uncached, for %s (as CloudFront with OAC does)', async (_case, path) => {
    const res = await raw('GET', path);
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>AccessDenied</Code>');
    expect(res.headers['cache-control']).toBeUndefined();
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])(
    'refuses %s as a GET/HEAD-only cache behaviour does, and changes nothing',
    async (method) => {
      const res = await raw(method, '/thumbnails/abc/128.jpg');
      expect(res.status).toBe(403);
      expect(res.body).toMatch(/not configured to allow the HTTP request method/);
      expect((await fetch(`${delivery.url}/thumbnails/abc/128.jpg`)).status).toBe(200);
    },
  );
});
