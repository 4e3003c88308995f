/**
 * `pnpm --silent sample-photo > photo.jpg`: writes a photo-like JPEG (smooth structure plus
 * grain, EXIF orientation 6 so auto-rotation shows) to stdout, for trying the image pipeline
 * on a machine with no photos at hand.
 *
 *   --width <px>  --height <px>   size as stored (default 2400 x 1600)
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const { values } = parseArgs({ options: { width: { type: 'string' }, height: { type: 'string' } } });
const width = Number(values.width ?? 2400);
const height = Number(values.height ?? 1600);
for (const [name, value] of [
  ['width', width],
  ['height', height],
] as const) {
  if (!Number.isInteger(value) || value < 16 || value > 12_000) {
    process.stderr.write(`--${name} must be an integer from 16 to 12000\n`);
    process.exit(2);
  }
}

const coarse = await sharp({
  create: {
    width: 64,
    height: 48,
    channels: 3,
    background: '#6a8',
    noise: { type: 'gaussian', mean: 128, sigma: 60 },
  },
})
  .resize(width, height, { kernel: 'cubic' })
  .png()
  .toBuffer();
const grain = await sharp({
  create: {
    width,
    height,
    channels: 3,
    background: '#808080',
    noise: { type: 'gaussian', mean: 128, sigma: 12 },
  },
})
  .png()
  .toBuffer();
const photo = await sharp(coarse)
  .composite([{ input: grain, blend: 'overlay' }])
  .jpeg({ quality: 88 })
  .withMetadata({ orientation: 6 })
  .toBuffer();
process.stdout.write(photo);
