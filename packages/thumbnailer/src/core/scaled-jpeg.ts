/**
 * The scaled JPEG decoder (native/): a JPEG in memory decoded at 1/2, 1/4 or 1/8 scale, at 1/8
 * from its DC coefficients alone (dc_decode.c) and otherwise by libjpeg-turbo reading from
 * memory (scaled_jpeg.c), off the JavaScript thread. That decode is nearly all of a thumbnail's
 * cost, and the one step sharp does slower than it can be done (docs/thumbnails.md).
 * Optional by design: when the addon is not built
 * or cannot load, `scaledJpegDecoder` is undefined, the reason is in `scaledJpegUnavailable`,
 * and thumbnails are made by sharp alone.
 *
 * Where the addon is looked for:
 * - beside this module's bundle (the deployed Lambda, see tools/artifacts.ts);
 * - in the package's build/native/<platform>-<arch>/ (the workspace: `pnpm install` builds it).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type ScaleDenominator = 1 | 2 | 4 | 8;

export interface DecodedPixels {
  /** Interleaved 8-bit samples, `width * channels` bytes per row, top row first. */
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  /** 1 for grayscale JPEGs, 3 (RGB) otherwise. */
  readonly channels: 1 | 3;
}

export interface ScaledJpegDecoder {
  /** Rejects with libjpeg's message for anything it does not decode cleanly. */
  decode(input: Buffer, scaleDenominator: ScaleDenominator): Promise<DecodedPixels>;
}

const ADDON = 'scaled_jpeg.node';

/**
 * Beside this module first (a deployed bundle); then the workspace build, found through the
 * package's own `./native/*` export, so it resolves from any bundle or module that can import
 * @snapstack/thumbnailer (the local runner bundles metadata-api's handlers elsewhere).
 */
function findAddon(): string | undefined {
  const beside = fileURLToPath(new URL(`./${ADDON}`, import.meta.url));
  if (existsSync(beside)) return beside;
  try {
    return createRequire(import.meta.url).resolve(
      `@snapstack/thumbnailer/native/${process.platform}-${process.arch}/${ADDON}`,
    );
  } catch {
    return undefined;
  }
}

function load(): { decoder?: ScaledJpegDecoder; unavailable?: string } {
  const found = findAddon();
  if (!found) {
    return {
      unavailable: `${ADDON} is not built (pnpm --filter @snapstack/thumbnailer build:native needs a C compiler and libjpeg-turbo headers)`,
    };
  }
  try {
    return { decoder: createRequire(import.meta.url)(found) as ScaledJpegDecoder };
  } catch (error) {
    return {
      unavailable: `${found} does not load: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

const loaded = load();
export const scaledJpegDecoder: ScaledJpegDecoder | undefined = loaded.decoder;
export const scaledJpegUnavailable: string | undefined = loaded.unavailable;

/**
 * The smallest decode that still leaves the resize at least a 2x reduction to do (as Pillow's
 * `thumbnail` asks of its JPEG draft mode): the longer side of the decoded image is at least
 * twice the largest thumbnail's box, or the image is decoded whole. Orientation does not
 * matter: thumbnails fit a square box.
 */
export function scaleDenominatorFor(width: number, height: number, largestBox: number): ScaleDenominator {
  const longer = Math.max(width, height);
  for (const denominator of [8, 4, 2] as const) {
    if (Math.ceil(longer / denominator) >= 2 * largestBox) return denominator;
  }
  return 1;
}
