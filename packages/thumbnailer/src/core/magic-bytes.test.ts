import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectImageType } from './magic-bytes.js';

const pixel = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } });

describe('detectImageType', () => {
  it.each([
    ['image/jpeg', () => pixel().jpeg().toBuffer()],
    ['image/png', () => pixel().png().toBuffer()],
    ['image/webp', () => pixel().webp().toBuffer()],
    ['image/gif', () => pixel().gif().toBuffer()],
    ['image/avif', () => pixel().avif().toBuffer()],
    ['image/tiff', () => pixel().tiff().toBuffer()],
    ['image/tiff', () => Promise.resolve(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))],
  ] as const)('recognises %s from its bytes', async (type, make) => {
    expect(detectImageType(await make())).toBe(type);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['text', Buffer.from('GIF is a format; this is text')],
    ['a RIFF that is not WebP', Buffer.from('RIFF\0\0\0\0WAVEfmt ')],
    ['HEIC (ftyp heic, not AVIF)', Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1')],
    ['a lone JPEG marker', Buffer.from([0xff, 0xd8])],
  ])('returns undefined for %s', (_name, bytes) => {
    expect(detectImageType(bytes)).toBeUndefined();
  });
});
