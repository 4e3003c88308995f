import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type JpegOptions } from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  type DecodedPixels,
  type ScaledJpegDecoder,
  scaleDenominatorFor,
  scaledJpegDecoder,
  scaledJpegUnavailable,
} from './scaled-jpeg.js';

const VARIANTS = fileURLToPath(new URL('../testing/jpeg-variants/', import.meta.url));
const variant = (name: string) => readFileSync(path.join(VARIANTS, name));

/** The addon as the tests call it: the third argument picks an engine (see native/scaled_jpeg.c). */
type Engine = 'auto' | 'libjpeg' | 'dc';
interface TestDecoder extends ScaledJpegDecoder {
  decode(input: Buffer, scale: 1 | 2 | 4 | 8, engine?: Engine): Promise<DecodedPixels & { engine: string }>;
}
const decoder = () => scaledJpegDecoder as TestDecoder;

/** A photo-like JPEG: smooth colour fields plus grain, so every coefficient band is busy. */
async function photo(width: number, height: number, options: JpegOptions = {}): Promise<Buffer> {
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .raw()
    .toBuffer();
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = Math.max(0, Math.min(255, (x * 255) / width + (grain[i]! - 128) / 3));
      pixels[i + 1] = Math.max(0, Math.min(255, (y * 255) / height + (grain[i + 1]! - 128) / 3));
      pixels[i + 2] = Math.max(
        0,
        Math.min(255, 128 + 90 * Math.sin(x / 23 + y / 31) + (grain[i + 2]! - 128) / 3),
      );
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg(options)
    .toBuffer();
}

async function expectSameAsLibjpeg(input: Buffer): Promise<DecodedPixels & { engine: string }> {
  const fast = await decoder().decode(input, 8, 'dc');
  const reference = await decoder().decode(input, 8, 'libjpeg');
  expect(fast.engine).toBe('dc');
  expect(reference.engine).toBe('libjpeg');
  expect({ width: fast.width, height: fast.height, channels: fast.channels }).toEqual({
    width: reference.width,
    height: reference.height,
    channels: reference.channels,
  });
  // Byte for byte: the fast path is libjpeg's 1/8 decode, only faster.
  expect(fast.data.equals(reference.data)).toBe(true);
  return fast;
}

describe('the scaled JPEG decoder addon', () => {
  // The one test that fails without the addon, saying why; the rest need it and skip.
  it('is built and loads (pnpm install builds it; needs a C compiler and libjpeg-turbo headers)', () => {
    expect(scaledJpegUnavailable).toBeUndefined();
    expect(scaledJpegDecoder).toBeDefined();
  });

  describe.runIf(scaledJpegDecoder)(
    'at 1/8 scale, baseline JPEGs take the DC-only path and match libjpeg exactly',
    () => {
      it.each([
        ['4:2:0, sharp defaults (optimized Huffman tables)', { quality: 85 }],
        ['4:4:4', { quality: 90, chromaSubsampling: '4:4:4' }],
        ['standard Huffman tables', { quality: 80, optimiseCoding: false }],
        ['quality 100', { quality: 100 }],
        ['quality 20', { quality: 20 }],
      ] as const)('%s', async (_name, options) => {
        const input = await photo(803, 611, options);
        const decoded = await expectSameAsLibjpeg(input);
        expect({ width: decoded.width, height: decoded.height, channels: decoded.channels }).toEqual({
          width: Math.ceil(803 / 8),
          height: Math.ceil(611 / 8),
          channels: 3,
        });
      });

      it('a grayscale JPEG decodes to one channel', async () => {
        const input = await sharp(await photo(333, 250))
          .toColourspace('b-w')
          .jpeg()
          .toBuffer();
        expect((await sharp(input).metadata()).channels).toBe(1);
        const decoded = await expectSameAsLibjpeg(input);
        expect(decoded.channels).toBe(1);
      });

      it.each([
        'h2v1-restart3b.jpg',
        'h1v2.jpg',
        'h2v2-restart-row.jpg',
        'h2v2-restart7b-optimized.jpg',
        'gray-restart5b.jpg',
        'h1v1-q100.jpg',
      ])('%s (sampling factors, restart intervals, long codes)', async (name) => {
        await expectSameAsLibjpeg(variant(name));
      });

      it('sizes that are not a multiple of the MCU, down to a single block', async () => {
        for (const [width, height] of [
          [1, 1],
          [8, 8],
          [9, 17],
          [17, 9],
          [31, 47],
        ] as const) {
          const decoded = await expectSameAsLibjpeg(await photo(width, height));
          expect([decoded.width, decoded.height]).toEqual([Math.ceil(width / 8), Math.ceil(height / 8)]);
        }
      });
    },
  );

  describe.runIf(scaledJpegDecoder)('leaves to libjpeg what it does not decode', () => {
    it.each([
      ['progressive.jpg', 26, 20],
      ['arithmetic.jpg', 26, 20],
      ['rgb.jpg', 26, 20],
      ['h4v1.jpg', 13, 10], // 4:1:1: a sampling factor of 4
    ])('%s', async (name, width, height) => {
      await expect(decoder().decode(variant(name), 8, 'dc')).rejects.toThrow(
        /not a baseline JPEG it decodes/,
      );
      const decoded = await decoder().decode(variant(name), 8);
      expect(decoded.engine).toBe('libjpeg');
      expect([decoded.width, decoded.height, decoded.channels]).toEqual([width, height, 3]);
    });

    it('other scales', async () => {
      const input = await photo(803, 611);
      for (const scale of [1, 2, 4] as const) {
        const decoded = await decoder().decode(input, scale);
        expect(decoded.engine).toBe('libjpeg');
        expect([decoded.width, decoded.height]).toEqual([Math.ceil(803 / scale), Math.ceil(611 / scale)]);
        expect(decoded.data.length).toBe(decoded.width * decoded.height * 3);
      }
    });
  });

  describe.runIf(scaledJpegDecoder)('refuses what libjpeg does not decode cleanly, with its message', () => {
    it('a truncated JPEG', async () => {
      const input = await photo(640, 480);
      const truncated = input.subarray(0, Math.floor(input.length * 0.6));
      await expect(decoder().decode(truncated, 8, 'dc')).rejects.toThrow(/corrupt/);
      await expect(decoder().decode(truncated, 8)).rejects.toThrow(/Premature end of JPEG file/);
    });

    it('a JPEG missing only its end marker', async () => {
      const input = await photo(160, 120);
      await expect(decoder().decode(input.subarray(0, input.length - 2), 8)).rejects.toThrow(
        /Premature end of JPEG file/,
      );
    });

    it('CMYK', async () => {
      const cmyk = await sharp(await photo(64, 48))
        .toColourspace('cmyk')
        .jpeg()
        .toBuffer();
      await expect(decoder().decode(cmyk, 8)).rejects.toThrow(/unsupported JPEG colour space/);
    });

    it('empty input and text', async () => {
      await expect(decoder().decode(Buffer.alloc(0), 8)).rejects.toThrow(/Empty input/i);
      await expect(decoder().decode(Buffer.from('not a jpeg at all'), 8)).rejects.toThrow(/Not a JPEG file/);
    });

    it('bad arguments, synchronously', () => {
      const input = Buffer.from([0xff, 0xd8]);
      expect(() => decoder().decode('x' as unknown as Buffer, 8)).toThrow(TypeError);
      expect(() => decoder().decode(input, 3 as 8)).toThrow(/1, 2, 4 or 8/);
      expect(() => decoder().decode(input, 8, 'fast' as Engine)).toThrow(/engine must be/);
    });
  });

  it.runIf(scaledJpegDecoder)(
    'corrupt entropy-coded data never crashes it, and whatever libjpeg decodes without a warning it decodes the same',
    async () => {
      const input = variant('h2v2-restart7b-optimized.jpg');
      const scanStart =
        input.indexOf(Buffer.from([0xff, 0xda])) +
        2 +
        input.readUInt16BE(input.indexOf(Buffer.from([0xff, 0xda])) + 2);
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      let compared = 0;
      for (let i = 0; i < 300; i++) {
        const mutated = Buffer.from(input);
        let length = mutated.length;
        if (i % 3 === 0) length = scanStart + random(mutated.length - scanStart);
        else {
          const at = scanStart + random(mutated.length - 2 - scanStart);
          mutated[at] = i % 3 === 1 ? mutated[at]! ^ (1 << random(8)) : 0xff;
        }
        const sample = mutated.subarray(0, length);
        const [fast, reference] = await Promise.allSettled([
          decoder().decode(sample, 8, 'dc'),
          decoder().decode(sample, 8, 'libjpeg'),
        ]);
        if (fast.status === 'fulfilled' && reference.status === 'fulfilled') {
          expect(fast.value.data.equals(reference.value.data)).toBe(true);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(10);
    },
  );

  it.runIf(scaledJpegDecoder)(
    'decodes on the thread pool: timers keep firing while a 6 MP decode runs',
    async () => {
      const input = await photo(3000, 2000, { quality: 95 });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const pending = decoder().decode(input, 1, 'libjpeg');
      const ticksAtStart = ticks;
      await pending;
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(ticksAtStart);
    },
  );
});

describe('scaleDenominatorFor', () => {
  it.each([
    [4000, 3000, 128, 8], // 500 px left for a 128 px box
    [3000, 4000, 128, 8], // orientation does not matter
    [1000, 750, 128, 2], // 1/4 would leave 250 px, under twice the box
    [4000, 3000, 512, 2],
    [300, 200, 128, 1],
    [100, 80, 128, 1], // never enlarged: decoded whole
  ])('%ix%i for a %i px box: 1/%i', (width, height, box, expected) => {
    expect(scaleDenominatorFor(width, height, box)).toBe(expected);
  });
});
