/**
 * Test images made on the fly with sharp, each with the thumbnail size a 128 px bounding box must
 * give.
 *
 * @example
 * const { data, expected } = (await imageFixtures()).landscape;
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export interface Fixture {
  readonly data: Buffer;
  readonly contentType: string;
  /** Display size of the original. */
  readonly original: { readonly width: number; readonly height: number };
  /** The 128 px thumbnail's size. */
  readonly expected: { readonly width: number; readonly height: number };
}

const noisy = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({
    create: {
      width,
      height,
      channels,
      background: { r: 90, g: 140, b: 200, alpha: 0.5 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });

/** Frames of distinct colours stacked vertically, encoded as an animated GIF. */
async function animatedGif(width: number, frameHeight: number, frames: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * frameHeight * frames * 3);
  for (let f = 0; f < frames; f++) {
    raw.fill(
      Buffer.from([(f * 80) % 256, 100, 255 - f * 60]),
      f * width * frameHeight * 3,
      (f + 1) * width * frameHeight * 3,
    );
  }
  return sharp(raw, { raw: { width, height: frameHeight * frames, channels: 3, pageHeight: frameHeight } })
    .gif({ loop: 0, delay: Array(frames).fill(100) })
    .toBuffer();
}

/** A valid PNG header declaring `width` x `height` pixels, with a tiny IDAT: a decompression bomb's shape. */
export function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function imageFixtures() {
  const landscapeJpeg = await noisy(640, 480).jpeg({ quality: 85 }).toBuffer();
  return {
    landscape: {
      data: landscapeJpeg,
      contentType: 'image/jpeg',
      original: { width: 640, height: 480 },
      expected: { width: 128, height: 96 },
    },
    portrait: {
      data: await noisy(480, 640).jpeg().toBuffer(),
      contentType: 'image/jpeg',
      original: { width: 480, height: 640 },
      expected: { width: 96, height: 128 },
    },
    // Stored 640x480 with EXIF orientation 6 (rotate 90° clockwise to display): shown 480x640.
    exifRotated: {
      data: await noisy(640, 480).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
      contentType: 'image/jpeg',
      original: { width: 480, height: 640 },
      expected: { width: 96, height: 128 },
    },
    pngAlpha: {
      data: await noisy(300, 200, 4).png().toBuffer(),
      contentType: 'image/png',
      original: { width: 300, height: 200 },
      expected: { width: 128, height: 85 },
    },
    animatedGif: {
      data: await animatedGif(200, 100, 3),
      contentType: 'image/gif',
      original: { width: 200, height: 100 },
      expected: { width: 128, height: 64 },
    },
    png16: {
      data: await noisy(400, 300).toColourspace('rgb16').png().toBuffer(),
      contentType: 'image/png',
      original: { width: 400, height: 300 },
      expected: { width: 128, height: 96 },
    },
    cmykJpeg: {
      data: await noisy(400, 300).toColourspace('cmyk').jpeg().toBuffer(),
      contentType: 'image/jpeg',
      original: { width: 400, height: 300 },
      expected: { width: 128, height: 96 },
    },
    small: {
      data: await noisy(60, 40).webp().toBuffer(),
      contentType: 'image/webp',
      original: { width: 60, height: 40 },
      expected: { width: 60, height: 40 },
    },
  } satisfies Record<string, Fixture>;
}

/** Inputs that must end `failed` with a reason, never crash or wedge anything. */
export async function hostileFixtures() {
  const jpeg = await noisy(640, 480).jpeg({ quality: 90 }).toBuffer();
  return {
    empty: Buffer.alloc(0),
    textNamedJpg: Buffer.from('this is not an image, whatever its name says\n'),
    truncatedJpeg: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
    pngBomb: pngDeclaring(30000, 30000),
  };
}
