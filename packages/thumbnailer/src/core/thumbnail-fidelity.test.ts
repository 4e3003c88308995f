/**
 * What the thumbnails look like, checked against references that do not come from the pipeline:
 * the original decoded at full resolution (no shrink-on-load, no auto-orient) and turned by the
 * EXIF rules written out below, colour maths done here, and the pixels of an asymmetric scene.
 */
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderThumbnails, type ThumbnailOptions } from './thumbnail.js';

const options: ThumbnailOptions = { sizes: [128], format: 'jpeg', maxInputPixels: 100_000_000 };
const DARK = 20;

/** A colour ramp with a dark top-left block (a quarter wide, a third high): any wrong turn shows. */
function scene(width: number, height: number): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const corner = x < width / 4 && y < height / 3;
      pixels[i] = corner ? DARK : 60 + (x * 195) / width;
      pixels[i + 1] = corner ? DARK : 60 + (y * 195) / height;
      // One period across the width: smooth at every thumbnail size, so a half-pixel shift
      // between two correct resamplers stays within the tolerance below.
      pixels[i + 2] = corner ? DARK : 120 + 80 * Math.sin((2 * Math.PI * (x + 2 * y)) / width);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

async function decode(image: Buffer | Sharp): Promise<Pixels> {
  const { data, info } = await (Buffer.isBuffer(image) ? sharp(image) : image)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * The EXIF orientation rules (TIFF 6.0 / EXIF 2.3, tag 0x0112): for each displayed pixel, the
 * stored pixel it shows. 5-8 swap width and height.
 */
function orient(stored: Pixels, orientation: number): Pixels {
  const { width: w, height: h, channels } = stored;
  const swap = orientation >= 5;
  const width = swap ? h : w;
  const height = swap ? w : h;
  const source: Record<number, (x: number, y: number) => [number, number]> = {
    1: (x, y) => [x, y],
    2: (x, y) => [w - 1 - x, y],
    3: (x, y) => [w - 1 - x, h - 1 - y],
    4: (x, y) => [x, h - 1 - y],
    5: (x, y) => [y, x],
    6: (x, y) => [y, h - 1 - x],
    7: (x, y) => [w - 1 - y, h - 1 - x],
    8: (x, y) => [w - 1 - y, x],
  };
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source[orientation]!(x, y);
      stored.data.copy(
        data,
        (y * width + x) * channels,
        (sy * w + sx) * channels,
        (sy * w + sx + 1) * channels,
      );
    }
  }
  return { data, width, height, channels };
}

/** Full-resolution pixels resized to fit `size`: what an ideal thumbnail would hold. */
async function ideal(full: Pixels, size: number): Promise<Pixels> {
  return decode(
    sharp(full.data, {
      raw: { width: full.width, height: full.height, channels: full.channels as 3 },
    }).resize(size, size, { fit: 'inside' }),
  );
}

/** Mean absolute difference per sample, 0-255. */
function difference(a: Pixels, b: Pixels): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/** Mean of the first channel over a 5x5 patch centred 4 px in from the given corner. */
function cornerLevel(p: Pixels, right: boolean, bottom: boolean): number {
  const cx = right ? p.width - 5 : 4;
  const cy = bottom ? p.height - 5 : 4;
  let sum = 0;
  for (let y = cy - 2; y <= cy + 2; y++)
    for (let x = cx - 2; x <= cx + 2; x++) sum += p.data[(y * p.width + x) * p.channels]!;
  return sum / 25;
}

describe('thumbnail pixels against independent references', () => {
  // Where the stored top-left corner is displayed, per orientation: [right, bottom].
  const darkCorner: Record<number, [boolean, boolean]> = {
    1: [false, false],
    2: [true, false],
    3: [true, true],
    4: [false, true],
    5: [false, false],
    6: [true, false],
    7: [true, true],
    8: [false, true],
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'EXIF orientation %i: turned as EXIF says, pixels as the original',
    async (orientation) => {
      const input = await scene(640, 480).jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
      const { source, thumbnails } = await renderThumbnails(input, options);
      expect(source.orientation).toBe(orientation);
      const thumb = await decode(thumbnails[0]!.data);
      expect([thumb.width, thumb.height]).toEqual(orientation >= 5 ? [96, 128] : [128, 96]);

      const [right, bottom] = darkCorner[orientation]!;
      expect(cornerLevel(thumb, right, bottom)).toBeLessThan(DARK + 15);
      for (const [r, b] of [
        [!right, bottom],
        [right, !bottom],
        [!right, !bottom],
      ] as const) {
        expect(cornerLevel(thumb, r, b)).toBeGreaterThan(60);
      }

      const reference = await ideal(orient(await decode(sharp(input)), orientation), 128);
      expect(difference(thumb, reference)).toBeLessThan(3);
    },
  );

  it('converts an embedded Display P3 profile to sRGB: colours move as the P3 -> sRGB maths says', async () => {
    const flat = Buffer.alloc(400 * 300 * 3);
    for (let i = 0; i < flat.length; i += 3) flat.set([200, 120, 80], i);
    // sharp converts to P3 as it attaches the profile: the stored numbers are P3 numbers.
    const input = await sharp(flat, { raw: { width: 400, height: 300, channels: 3 } })
      .withIccProfile('p3')
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toBuffer();
    expect((await sharp(input).metadata()).icc).toBeDefined();
    const stored = await decode(sharp(input, { ignoreIcc: true }));
    const p3 = [...stored.data.subarray(0, 3)];

    const { thumbnails } = await renderThumbnails(input, options);
    const out = await decode(thumbnails[0]!.data);
    expect((await sharp(thumbnails[0]!.data).metadata()).icc).toBeUndefined();
    const centre = ((out.height >> 1) * out.width + (out.width >> 1)) * 3;
    const got = [...out.data.subarray(centre, centre + 3)];

    // Display P3 and sRGB share the transfer curve and D65; only the primaries differ.
    const toLinear = (v: number) =>
      v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4;
    const fromLinear = (v: number) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
    const P3_TO_SRGB = [
      [1.2249, -0.2247, 0],
      [-0.0421, 1.0419, 0],
      [-0.0197, -0.0786, 1.0979],
    ];
    const linear = p3.map(toLinear);
    const expected = P3_TO_SRGB.map((row) => fromLinear(row.reduce((sum, m, i) => sum + m * linear[i]!, 0)));
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - expected[c]!)).toBeLessThan(3);
    // The check can fail: with the profile ignored, the pixels would keep their P3 numbers.
    expect(got.reduce((sum, v, c) => sum + Math.abs(v - p3[c]!), 0)).toBeGreaterThan(15);
  });

  it('makes every size from one decode, each as faithful as a resize of the full-resolution original', async () => {
    const input = await scene(2000, 1500).jpeg({ quality: 90 }).toBuffer();
    const { thumbnails } = await renderThumbnails(input, { ...options, sizes: [128, 512, 64] });
    expect(thumbnails.map((t) => [t.size, t.width, t.height])).toEqual([
      [128, 128, 96],
      [512, 512, 384],
      [64, 64, 48],
    ]);
    const full = await decode(sharp(input));
    for (const thumbnail of thumbnails) {
      expect(difference(await decode(thumbnail.data), await ideal(full, thumbnail.size))).toBeLessThan(3);
    }
  });

  it('turns a grayscale JPEG into an sRGB thumbnail with the same grey levels', async () => {
    const input = await scene(400, 300).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(input).metadata()).channels).toBe(1);
    const { thumbnails } = await renderThumbnails(input, options);
    const thumb = await decode(thumbnails[0]!.data);
    expect((await sharp(thumbnails[0]!.data).metadata()).space).toBe('srgb');
    expect(thumb.channels).toBe(3);
    // The reference: the grey levels at full resolution, resized (sharp hands them over as RGB).
    expect(difference(thumb, await ideal(await decode(sharp(input)), 128))).toBeLessThan(3);
    for (let i = 0; i < thumb.data.length; i += 3) {
      expect(Math.abs(thumb.data[i]! - thumb.data[i + 1]!)).toBeLessThanOrEqual(2);
      expect(Math.abs(thumb.data[i]! - thumb.data[i + 2]!)).toBeLessThanOrEqual(2);
    }
  });

  it('strips EXIF (GPS included), XMP and the profile: the location never leaks', async () => {
    const COPYRIGHT = 'snapstack-fidelity-test-owner';
    const input = await scene(400, 300)
      .jpeg()
      .withExif({
        IFD0: { Copyright: COPYRIGHT },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
      })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .toBuffer();
    const before = await sharp(input).metadata();
    // The input does carry a GPS IFD: its pointer tag, 0x8825, in the EXIF block's byte order.
    const gpsPointer = before.exif!.subarray(6, 8).toString() === 'II' ? [0x25, 0x88] : [0x88, 0x25];
    expect(before.exif!.includes(Buffer.from(gpsPointer))).toBe(true);
    expect(input.includes(COPYRIGHT)).toBe(true);
    expect(before.xmp).toBeDefined();

    for (const format of ['jpeg', 'webp'] as const) {
      const { thumbnails } = await renderThumbnails(input, { ...options, sizes: [64, 128], format });
      for (const { data } of thumbnails) {
        const after = await sharp(data).metadata();
        expect([after.exif, after.xmp, after.icc]).toEqual([undefined, undefined, undefined]);
        expect(data.includes('Exif')).toBe(false);
        expect(data.includes(COPYRIGHT)).toBe(false);
      }
    }
  });
});
