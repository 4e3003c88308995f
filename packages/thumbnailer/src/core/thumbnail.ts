/**
 * The thumbnail core: one sharp pipeline per requested size, shared by the S3-event handler
 * and POST /process. Pure: bytes in, thumbnails out; storage is the caller's business.
 *
 * Tuned for throughput (see docs/thumbnails.md and tools/bench/thumbnails.bench.ts). An 8-bit
 * colour or grayscale JPEG is decoded once for all sizes, at 1/2, 1/4 or 1/8 scale, by the
 * scaled_jpeg addon (./scaled-jpeg.ts: at 1/8 from the DC coefficients alone, 1.27x the same
 * pipeline decoding in sharp), and sharp makes every size from those pixels, with the source's
 * ICC profile and EXIF orientation.
 * Everything else (PNG, WebP, GIF, AVIF, TIFF, CMYK JPEG, a JPEG libjpeg will not decode
 * cleanly, or no addon) goes through sharp alone: shrink-on-load, `sequentialRead` so a 12 MP
 * photo never sits decoded in memory, and one libvips thread per pipeline so two pipelines run
 * on two cores without fighting.
 *
 * @example
 * const result = await renderThumbnails(bytes, { sizes: [128], format: 'jpeg', maxInputPixels: 100e6 });
 */
import { InvalidImageError } from '@snapstack/domain/errors';
import type { ImageContentType, ThumbnailFormat } from '@snapstack/domain/image';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { detectImageType } from './magic-bytes.js';
import { type DecodedPixels, scaleDenominatorFor, scaledJpegDecoder } from './scaled-jpeg.js';
import { tiffContainer } from './tiff-container.js';

export interface ThumbnailOptions {
  /** Bounding boxes (pixels): each thumbnail fits inside `size` x `size`, never enlarged. */
  readonly sizes: readonly number[];
  readonly format: ThumbnailFormat;
  /** Decompression-bomb guard: inputs declaring more pixels are refused before decoding. */
  readonly maxInputPixels: number;
  /** JPEG/WebP quality, 1-100. */
  readonly quality?: number;
  /** 'sharp' skips the scaled libjpeg-turbo decode (for comparisons); default 'auto'. */
  readonly jpegDecoder?: 'auto' | 'sharp';
}

export interface RenderedThumbnail {
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly contentType: string;
  readonly extension: string;
  readonly data: Buffer;
}

export interface SourceInfo {
  readonly contentType: ImageContentType;
  readonly format: string;
  /** Display size: EXIF orientations 5-8 swap width and height. */
  readonly width: number;
  readonly height: number;
  readonly orientation?: number;
  readonly bytes: number;
}

export interface RenderResult {
  readonly source: SourceInfo;
  readonly thumbnails: readonly RenderedThumbnail[];
}

const OUTPUT = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  webp: { contentType: 'image/webp', extension: 'webp' },
} as const;

// One libvips worker thread per pipeline; concurrency comes from running pipelines side by side.
sharp.concurrency(1);
// The operation cache only helps when the same input is processed again; it costs memory.
sharp.cache(false);

/** Reads the header only: format, dimensions, orientation. Throws InvalidImageError. */
export async function inspectImage(input: Buffer, maxInputPixels: number): Promise<SourceInfo> {
  return (await readHeader(input, maxInputPixels)).source;
}

async function readHeader(
  input: Buffer,
  maxInputPixels: number,
): Promise<{ source: SourceInfo; meta: Metadata }> {
  if (input.length === 0) throw new InvalidImageError('the object is empty (0 bytes)');
  const contentType = detectImageType(input);
  if (!contentType) {
    throw new InvalidImageError(
      'not a supported image: the content is not JPEG, PNG, WebP, GIF, AVIF or TIFF',
    );
  }
  let meta: Metadata;
  try {
    // The header is read unlimited so the refusal below can name the declared size.
    meta = await sharp(input, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch (cause) {
    throw new InvalidImageError(`cannot read the image header: ${reason(cause)}`, { cause });
  }
  // Multi-page inputs (animated GIF/WebP) are read at their first page, as thumbnails are.
  const { width } = meta;
  const height = meta.pages && meta.pages > 1 && meta.pageHeight ? meta.pageHeight : meta.height;
  if (!width || !height) throw new InvalidImageError('the image declares no dimensions');
  if (width * height > maxInputPixels) {
    throw new InvalidImageError(
      `the image declares ${width}x${height} pixels, more than the limit of ${maxInputPixels} pixels`,
    );
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const source = {
    contentType,
    format: meta.format ?? contentType.slice('image/'.length),
    width: swap ? height : width,
    height: swap ? width : height,
    ...(meta.orientation ? { orientation: meta.orientation } : {}),
    bytes: input.length,
  };
  return { source, meta };
}

export async function renderThumbnails(input: Buffer, options: ThumbnailOptions): Promise<RenderResult> {
  const { source, meta } = await readHeader(input, options.maxInputPixels);
  const output = OUTPUT[options.format];
  const quality = options.quality ?? 80;
  const decoded =
    options.jpegDecoder === 'sharp' ? undefined : await decodeScaled(input, meta, options.sizes);
  // Made once for all sizes: the decoded pixels (wrapped, when they carry a profile or rotation).
  const sharpInput: SharpInput = decoded
    ? sharpInputFor(decoded, meta)
    : {
        data: input,
        options: { limitInputPixels: options.maxInputPixels, failOn: 'error', sequentialRead: true },
      };
  const thumbnails: RenderedThumbnail[] = [];
  for (const size of options.sizes) {
    try {
      let pipeline = sharp(sharpInput.data, sharpInput.options)
        .autoOrient()
        .resize(size, size, { fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb');
      pipeline =
        options.format === 'jpeg'
          ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: false })
          : pipeline.webp({ quality, effort: 2 });
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
      thumbnails.push({ size, width: info.width, height: info.height, data, ...output });
    } catch (cause) {
      throw new InvalidImageError(`cannot decode the image: ${reason(cause)}`, { cause });
    }
  }
  return { source, thumbnails };
}

/**
 * The scaled libjpeg-turbo decode, for the JPEGs it fits: 8 bits, grayscale or colour. Undefined
 * when it does not apply or libjpeg does not decode the file cleanly; sharp then decodes the
 * original, and its verdict (a truncated file fails, say) stands.
 */
async function decodeScaled(
  input: Buffer,
  meta: Metadata,
  sizes: readonly number[],
): Promise<DecodedPixels | undefined> {
  if (!scaledJpegDecoder || meta.format !== 'jpeg' || meta.depth !== 'uchar') return undefined;
  if (meta.space !== 'srgb' && meta.space !== 'b-w') return undefined;
  if (!meta.width || !meta.height || sizes.length === 0) return undefined;
  try {
    return await scaledJpegDecoder.decode(
      input,
      scaleDenominatorFor(meta.width, meta.height, Math.max(...sizes)),
    );
  } catch {
    return undefined;
  }
}

/**
 * Decoded pixels as a sharp input. Raw pixels carry no metadata, so a source with a colour
 * profile or a rotation travels in a TIFF wrapper that holds both; sharp then applies them
 * exactly as it does for the original file (`autoOrient`, profile to sRGB).
 */
interface SharpInput {
  readonly data: Buffer;
  readonly options: SharpOptions;
}

function sharpInputFor(pixels: DecodedPixels, meta: Metadata): SharpInput {
  const orientation = meta.orientation ?? 1;
  if (!meta.icc && orientation === 1) {
    return {
      data: pixels.data,
      options: { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } },
    };
  }
  return {
    data: tiffContainer(pixels, { orientation, ...(meta.icc ? { icc: meta.icc } : {}) }),
    options: {},
  };
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // libvips messages can span lines and name temp buffers; the first line is the reason.
  return (message.split('\n')[0] ?? message).trim();
}
