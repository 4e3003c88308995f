import { InvalidImageError } from '@snapstack/domain/errors';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostileFixtures, imageFixtures } from '../../test/fixtures.js';
import { inspectImage, renderThumbnails } from './thumbnail.js';

let images: Awaited<ReturnType<typeof imageFixtures>>;
let hostile: Awaited<ReturnType<typeof hostileFixtures>>;
beforeAll(async () => {
  images = await imageFixtures();
  hostile = await hostileFixtures();
});

const options = { sizes: [128], format: 'jpeg', maxInputPixels: 100_000_000 } as const;

describe('renderThumbnails', () => {
  it.each([
    'landscape',
    'portrait',
    'exifRotated',
    'pngAlpha',
    'animatedGif',
    'png16',
    'cmykJpeg',
    'small',
  ] as const)(
    'fits %s inside 128 px, never enlarging, as an 8-bit sRGB JPEG without metadata',
    async (name) => {
      const fixture = images[name];
      const { source, thumbnails } = await renderThumbnails(fixture.data, options);
      expect(source).toMatchObject({
        ...fixture.original,
        contentType: fixture.contentType,
        bytes: fixture.data.length,
      });
      expect(thumbnails).toHaveLength(1);
      const [thumb] = thumbnails;
      expect({ width: thumb!.width, height: thumb!.height }).toEqual(fixture.expected);
      const meta = await sharp(thumb!.data).metadata();
      expect(meta).toMatchObject({
        format: 'jpeg',
        ...fixture.expected,
        space: 'srgb',
        depth: 'uchar',
        channels: 3,
      });
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(thumb!.contentType).toBe('image/jpeg');
    },
  );

  it('reports the EXIF orientation of the original', async () => {
    const { source } = await renderThumbnails(images.exifRotated.data, options);
    expect(source.orientation).toBe(6);
  });

  it('rotates pixels by EXIF: the top row of a stored image becomes the right column', async () => {
    // Stored 40x20: left half black, right half white; orientation 6 turns it 90° clockwise,
    // so displayed (20x40) the top half is black and the bottom half white.
    const raw = Buffer.alloc(40 * 20 * 3);
    for (let y = 0; y < 20; y++) raw.fill(255, (y * 40 + 20) * 3, (y * 40 + 40) * 3);
    const stored = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const { thumbnails } = await renderThumbnails(stored, { ...options, sizes: [40] });
    const { data, info } = await sharp(thumbnails[0]!.data)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([20, 40]);
    expect(data[5 * 20 + 10]).toBeLessThan(60); // top half
    expect(data[35 * 20 + 10]).toBeGreaterThan(200); // bottom half
  });

  it('makes every configured size, as WebP when asked, keeping alpha', async () => {
    const { thumbnails } = await renderThumbnails(images.pngAlpha.data, {
      ...options,
      sizes: [64, 128],
      format: 'webp',
    });
    expect(thumbnails.map((t) => [t.size, t.width, t.height, t.contentType, t.extension])).toEqual([
      [64, 64, 43, 'image/webp', 'webp'],
      [128, 128, 85, 'image/webp', 'webp'],
    ]);
    expect(await sharp(thumbnails[1]!.data).metadata()).toMatchObject({ format: 'webp', hasAlpha: true });
  });

  it.each([
    ['empty', /empty/],
    ['textNamedJpg', /not a supported image/],
    ['truncatedJpeg', /cannot decode/],
    ['pngBomb', /30000x30000.*limit/],
  ] as const)('refuses %s with an InvalidImageError naming the reason', async (name, reason) => {
    const error = await renderThumbnails(hostile[name], options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidImageError);
    expect((error as Error).message).toMatch(reason);
  });

  it('refuses inputs over the configured pixel limit before decoding', async () => {
    await expect(inspectImage(images.landscape.data, 640 * 480 - 1)).rejects.toThrow(
      /640x480.*limit of 307199/,
    );
    await expect(inspectImage(images.landscape.data, 640 * 480)).resolves.toMatchObject({ width: 640 });
  });
});
