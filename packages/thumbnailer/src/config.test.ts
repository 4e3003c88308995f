import { describe, expect, it } from 'vitest';
import { readThumbnailSettings } from './config.js';

describe('readThumbnailSettings', () => {
  it('defaults to one 128 px JPEG', () => {
    expect(readThumbnailSettings({})).toEqual({
      sizes: [128],
      format: 'jpeg',
      maxInputPixels: 100_000_000,
      maxSourceBytes: 25 * 1024 * 1024,
    });
  });

  it('reads sizes, format and limits', () => {
    expect(
      readThumbnailSettings({
        THUMBNAIL_SIZES: '128, 512,128',
        THUMBNAIL_FORMAT: 'WEBP',
        MAX_INPUT_PIXELS: '1000',
      }),
    ).toMatchObject({ sizes: [128, 512], format: 'webp', maxInputPixels: 1000 });
  });

  it.each([
    { THUMBNAIL_SIZES: '0' },
    { THUMBNAIL_SIZES: 'big' },
    { THUMBNAIL_FORMAT: 'png' },
    { MAX_INPUT_PIXELS: '-1' },
  ])('fails the cold start on %o', (env) => {
    expect(() => readThumbnailSettings(env)).toThrow();
  });
});
