import { describe, expect, it, vi } from 'vitest';
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

describe('reportJpegDecoder', () => {
  it('warns once at cold start when the scaled JPEG decoder is missing, naming why', async () => {
    vi.resetModules();
    vi.doMock('./core/scaled-jpeg.js', () => ({ scaledJpegUnavailable: 'scaled_jpeg.node is not built' }));
    const { reportJpegDecoder } = await import('./config.js');
    const warn = vi.fn();
    reportJpegDecoder({ warn });
    expect(warn).toHaveBeenCalledWith('JPEG thumbnails decode with sharp alone', {
      reason: 'scaled_jpeg.node is not built',
    });
    vi.doUnmock('./core/scaled-jpeg.js');
    vi.resetModules();
  });

  it('says nothing when the decoder is loaded', async () => {
    vi.resetModules();
    vi.doMock('./core/scaled-jpeg.js', () => ({ scaledJpegUnavailable: undefined }));
    const { reportJpegDecoder } = await import('./config.js');
    const warn = vi.fn();
    reportJpegDecoder({ warn });
    expect(warn).not.toHaveBeenCalled();
    vi.doUnmock('./core/scaled-jpeg.js');
    vi.resetModules();
  });
});
