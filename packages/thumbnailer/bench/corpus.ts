/**
 * A photo-like bench corpus made with sharp: 12 MP JPEGs of 3-5 MB (smooth structure plus
 * sensor-like grain, which is what makes real photos that size) and 3 MP PNGs.
 *
 * One 12 MP master is synthesised (the slow part), then each file is a distinct variant —
 * flipped, hue-shifted, re-exposed, re-encoded at its own quality — so no two files are equal.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const W = 4000;
const H = 3000;

async function master(): Promise<Buffer> {
  const layer = async (w: number, h: number, sigma: number) =>
    sharp({
      create: {
        width: w,
        height: h,
        channels: 3,
        background: '#777',
        noise: { type: 'gaussian', mean: 128, sigma },
      },
    })
      .resize(W, H, { kernel: 'cubic' })
      .raw()
      .toBuffer();
  const [coarse, mid, grain] = await Promise.all([layer(80, 60, 70), layer(800, 600, 40), layer(W, H, 10)]);
  const out = Buffer.alloc(W * H * 3);
  for (let p = 0; p < out.length; p++) {
    out[p] = Math.max(0, Math.min(255, coarse[p]! + (mid[p]! - 128) * 0.5 + (grain[p]! - 128)));
  }
  return out;
}

export interface Corpus {
  readonly jpegs: readonly string[];
  readonly pngs: readonly string[];
  readonly jpegBytes: readonly number[];
  /** A 16x16 JPEG: what a per-image process (djpeg) costs to start, to subtract from its times. */
  readonly probe: string;
}

export async function generateCorpus(dir: string, jpegs: number, pngs: number): Promise<Corpus> {
  mkdirSync(dir, { recursive: true });
  const raw = await master();
  const base = () => sharp(raw, { raw: { width: W, height: H, channels: 3 } });
  const jpegFiles: string[] = [];
  const jpegBytes: number[] = [];
  for (let i = 0; i < jpegs; i++) {
    const file = path.join(dir, `photo-${String(i).padStart(2, '0')}.jpg`);
    let pipeline = base().modulate({ hue: (i * 37) % 360, brightness: 0.9 + (i % 5) * 0.05 });
    if (i % 2) pipeline = pipeline.flop();
    if (i % 3 === 1) pipeline = pipeline.flip();
    const info = await pipeline.jpeg({ quality: 82 + (i % 7) }).toFile(file);
    jpegFiles.push(file);
    jpegBytes.push(info.size);
  }
  const pngFiles: string[] = [];
  for (let i = 0; i < pngs; i++) {
    const file = path.join(dir, `graphic-${i}.png`);
    await base()
      .resize(2000, 1500)
      .modulate({ hue: i * 90 })
      .png({ compressionLevel: 6 })
      .toFile(file);
    pngFiles.push(file);
  }
  const probe = path.join(dir, 'probe-16x16.jpg');
  await sharp({ create: { width: 16, height: 16, channels: 3, background: '#777' } })
    .jpeg()
    .toFile(probe);
  return { jpegs: jpegFiles, pngs: pngFiles, jpegBytes, probe };
}
