/**
 * The browser suites' shared parts: Debian's Chromium driven by playwright-core (no browser
 * download: `.ci/run` installs the `chromium` package with apt), screenshots into a git-ignored
 * folder, and photos made with sharp whose halves have known colours, so a test can tell from
 * pixels whether a thumbnail is upright.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import sharp from 'sharp';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Chromium's flags for a headless run with no network beyond loopback (it stalls on refused connections otherwise). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const hasChromium = existsSync(CHROMIUM);

/** Says once, in one line, why the browser tests skip. */
export function skipReason(): string | undefined {
  if (hasChromium) return undefined;
  const reason = `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
  console.warn(reason);
  return reason;
}

export function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

export type Rgb = readonly [number, number, number];

export const RED: Rgb = [220, 30, 30];
export const BLUE: Rgb = [30, 60, 220];
export const GREEN: Rgb = [30, 180, 60];
export const YELLOW: Rgb = [230, 210, 30];

/**
 * A JPEG whose top half is `top` and bottom half `bottom` as displayed. With `exifRotated`
 * the pixels are stored turned a quarter left and EXIF orientation 6 says to turn them back.
 * `noise` adds per-pixel noise so the JPEG is large (a 12 MP photo with noise is ~5–8 MB).
 */
export async function photo(options: {
  width: number;
  height: number;
  top: Rgb;
  bottom: Rgb;
  exifRotated?: boolean;
  noise?: number;
}): Promise<Buffer> {
  const { width, height, top, bottom, noise = 0 } = options;
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    const color = y < height / 2 ? top : bottom;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const jitter = noise ? ((seed >> 8) % (2 * noise + 1)) - noise : 0;
        raw[i + c] = Math.max(0, Math.min(255, (color[c] ?? 0) + jitter));
      }
    }
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } });
  if (options.exifRotated) {
    // Stored turned 90° anticlockwise; orientation 6 = "turn 90° clockwise to display".
    image = sharp(await image.rotate(270).jpeg().toBuffer()).withMetadata({ orientation: 6 });
  }
  return image.jpeg({ quality: 92 }).toBuffer();
}

/** Mean colour of a horizontal band of a PNG screenshot (fractions of its height). */
export async function bandColor(png: Buffer, from: number, to: number): Promise<Rgb> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  let n = 0;
  const y0 = Math.floor(info.height * from);
  const y1 = Math.ceil(info.height * to);
  for (let y = y0; y < y1; y++)
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * info.channels;
      for (let c = 0; c < 3; c++) sums[c] = (sums[c] ?? 0) + (data[i + c] ?? 0);
      n++;
    }
  return [0, 1, 2].map((c) => Math.round((sums[c] ?? 0) / n)) as unknown as Rgb;
}

/** The listed colour nearest to `color`. */
export function nearest(color: Rgb, palette: Readonly<Record<string, Rgb>>): string {
  const distance = (a: Rgb, b: Rgb) => a.reduce((sum, v, i) => sum + (v - (b[i] ?? 0)) ** 2, 0);
  return Object.entries(palette).sort(([, a], [, b]) => distance(color, a) - distance(color, b))[0]![0];
}
