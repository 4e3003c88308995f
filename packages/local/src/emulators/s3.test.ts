import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.js';
import { encodeEventKey, s3EventRecord } from './s3.js';

describe('encodeEventKey', () => {
  it.each([
    ['uploads/my photo.jpg', 'uploads/my+photo.jpg'],
    ['uploads/a+b=c.jpg', 'uploads/a%2Bb%3Dc.jpg'],
    ['uploads/café 📷.jpg', 'uploads/caf%C3%A9+%F0%9F%93%B7.jpg'],
    ["uploads/x (copy)!'~*.jpg", 'uploads/x+%28copy%29%21%27%7E*.jpg'],
    ['uploads/plain-name_1.jpg', 'uploads/plain-name_1.jpg'],
  ])('encodes %s as S3 does in events: %s', (key, encoded) => {
    expect(encodeEventKey(key)).toBe(encoded);
  });

  it('round-trips through the decoding handlers use', () => {
    const key = 'uploads/ä + b%c d.jpg';
    expect(decodeURIComponent(encodeEventKey(key).replace(/\+/g, ' '))).toBe(key);
  });
});

describe('s3EventRecord', () => {
  it('has the shape S3 sends', () => {
    const record = s3EventRecord({
      region: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      bucket: 'b',
      key: 'uploads/a b',
      size: 3,
      eTag: 'abc',
      sourceIp: '127.0.0.1',
      configurationId: 'n',
    });
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'n',
        bucket: { name: 'b', arn: 'arn:aws:s3:::b' },
        object: {
          key: 'uploads/a+b',
          size: 3,
          eTag: 'abc',
          sequencer: expect.stringMatching(/^[0-9A-F]{18,}$/),
        },
      },
    });
    expect(Number.isNaN(Date.parse(record.eventTime))).toBe(false);
  });
});

describe('AwsChunkedDecoder', () => {
  const frame = (parts: string[], trailer = 'x-amz-checksum-crc32:AAAAAA==\r\n\r\n') =>
    parts.map((p) => `${Buffer.byteLength(p).toString(16)};chunk-signature=abc\r\n${p}\r\n`).join('') +
    `0\r\n${trailer}`;

  it.each([1, 3, 7, 1000])(
    'restores the payload whatever the network split (%i-byte pieces)',
    async (piece) => {
      const encoded = Buffer.from(frame(['hello ', 'aws-chunked ', 'world']));
      const pieces = [];
      for (let i = 0; i < encoded.length; i += piece) pieces.push(encoded.subarray(i, i + piece));
      expect(await text(Readable.from(pieces).pipe(new AwsChunkedDecoder()))).toBe('hello aws-chunked world');
    },
  );

  it('fails on a body cut inside a chunk', async () => {
    const encoded = Buffer.from(frame(['hello world'])).subarray(0, 12);
    await expect(text(Readable.from([encoded]).pipe(new AwsChunkedDecoder()))).rejects.toThrow(/ended/);
  });

  it('recognises aws-chunked requests by encoding or streaming signature', () => {
    expect(isAwsChunked({ 'content-encoding': 'aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip' })).toBe(false);
  });
});
