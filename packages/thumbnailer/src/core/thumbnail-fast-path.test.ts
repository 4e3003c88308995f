/**
 * The scaled JPEG decode inside the thumbnail pipeline gives what sharp alone gives: same sizes,
 * same orientation, same colours (the embedded profile applied), the same pixels within a level.
 */
import sharp, { type Sharp } from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledJpegDecoder } from './scaled-jpeg.js';
import { renderThumbnails, type ThumbnailOptions } from './thumbnail.js';

const options: ThumbnailOptions = { sizes: [128], format: 'jpeg', maxInputPixels: 100_000_000 };

/** An asymmetric photo-like image: a colour ramp and a dark corner, so any wrong turn shows. */
function scene(width: number, height: number): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const corner = x < width / 4 && y < height / 3;
      pixels[i] = corner ? 20 : (x * 255) / width;
      pixels[i + 1] = corner ? 20 : (y * 255) / height;
      pixels[i + 2] = corner ? 20 : 120 + 100 * Math.sin((x + 2 * y) / 40);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

async function pixels(jpeg: Buffer) {
  return sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
}

/** Mean absolute difference per sample, 0-255. */
function difference(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

async function renderBothWays(input: Buffer, overrides: Partial<ThumbnailOptions> = {}) {
  const decode = vi.spyOn(scaledJpegDecoder!, 'decode');
  const fast = await renderThumbnails(input, { ...options, ...overrides });
  expect(decode).toHaveBeenCalledTimes(1); // one decode, whatever the number of sizes
  decode.mockClear();
  const reference = await renderThumbnails(input, { ...options, ...overrides, jpegDecoder: 'sharp' });
  expect(decode).not.toHaveBeenCalled();
  decode.mockRestore();
  expect(fast.source).toEqual(reference.source);
  return { fast, reference };
}

afterEach(() => {
  vi.restoreAllMocks();
});

// Needs the addon; scaled-jpeg.test.ts fails, saying why, when it is not built.
describe.runIf(scaledJpegDecoder)('JPEG thumbnails through the scaled decode', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'EXIF orientation %i comes out the way sharp turns it',
    async (orientation) => {
      const input = await scene(640, 480).jpeg({ quality: 90 }).withMetadata({ orientation }).toBuffer();
      const { fast, reference } = await renderBothWays(input);
      const [a, b] = await Promise.all([
        pixels(fast.thumbnails[0]!.data),
        pixels(reference.thumbnails[0]!.data),
      ]);
      expect([a.info.width, a.info.height]).toEqual([b.info.width, b.info.height]);
      expect([a.info.width, a.info.height]).toEqual(orientation >= 5 ? [96, 128] : [128, 96]);
      expect(difference(a.data, b.data)).toBeLessThan(1);
    },
  );

  it('applies an embedded colour profile (Display P3) as sharp does', async () => {
    const input = await scene(800, 600).withIccProfile('p3').jpeg({ quality: 90 }).toBuffer();
    expect((await sharp(input).metadata()).icc).toBeDefined();
    const { fast, reference } = await renderBothWays(input);
    const [a, b] = await Promise.all([
      pixels(fast.thumbnails[0]!.data),
      pixels(reference.thumbnails[0]!.data),
    ]);
    expect(difference(a.data, b.data)).toBeLessThan(1);
    // The check can fail: dropping the profile would shift these colours well past that.
    const profileIgnored = await sharp(input, { ignoreIcc: true })
      .resize(128, 128, { fit: 'inside' })
      .jpeg()
      .toBuffer()
      .then(pixels);
    expect(difference(profileIgnored.data, b.data)).toBeGreaterThan(3);
  });

  it('makes every size from one decode, each as faithful to the original as sharp makes it', async () => {
    const input = await scene(2000, 1500).jpeg().toBuffer();
    const { fast, reference } = await renderBothWays(input, { sizes: [64, 128, 512] });
    expect(fast.thumbnails.map((t) => [t.size, t.width, t.height])).toEqual(
      reference.thumbnails.map((t) => [t.size, t.width, t.height]),
    );
    // The smaller sizes are resampled from the decode the largest needs, not from a 1/8 decode of
    // their own as sharp makes them, so they differ from sharp's a little; measured against the
    // original at full resolution, they must be as good.
    const original = await sharp(input).raw().toBuffer({ resolveWithObject: true });
    for (const [i, thumbnail] of fast.thumbnails.entries()) {
      const ideal = await sharp(original.data, { raw: original.info })
        .resize(thumbnail.size, thumbnail.size, { fit: 'inside' })
        .raw()
        .toBuffer();
      const [a, b] = await Promise.all([pixels(thumbnail.data), pixels(reference.thumbnails[i]!.data)]);
      expect(difference(a.data, ideal)).toBeLessThan(difference(b.data, ideal) + 0.5);
    }
  });

  it('grayscale JPEGs become sRGB thumbnails like any other', async () => {
    const input = await scene(400, 300).toColourspace('b-w').jpeg().toBuffer();
    const { fast } = await renderBothWays(input);
    expect(await sharp(fast.thumbnails[0]!.data).metadata()).toMatchObject({ space: 'srgb', channels: 3 });
  });

  it('a JPEG the addon will not take (CMYK) still gets its thumbnail, from sharp', async () => {
    const input = await scene(400, 300).toColourspace('cmyk').jpeg().toBuffer();
    const decode = vi.spyOn(scaledJpegDecoder!, 'decode');
    const { thumbnails } = await renderThumbnails(input, options);
    expect(decode).not.toHaveBeenCalled();
    expect([thumbnails[0]!.width, thumbnails[0]!.height]).toEqual([128, 96]);
  });

  it('a JPEG libjpeg warns about is judged by sharp: a missing end marker still fails', async () => {
    const input = await scene(400, 300).jpeg().toBuffer();
    await expect(renderThumbnails(input.subarray(0, input.length - 2), options)).rejects.toThrow(
      /cannot decode/,
    );
  });
});
