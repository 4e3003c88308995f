/**
 * The thumbnail core, shared by the S3-event handler and POST /process. Pure: bytes in,
 * thumbnails out; storage is the caller's business. sharp (libvips) does all of it.
 *
 * Every thumbnail is auto-oriented (EXIF), converted to sRGB through the source's colour profile,
 * stripped of metadata (EXIF, GPS, XMP, the profile itself: sharp writes none unless asked) and
 * never enlarged. Inputs declaring more pixels than the limit are refused from the header, before
 * anything is decoded.
 *
 * Tuned for throughput (see docs/thumbnails.md and bench/thumbnails.bench.ts): the source is
 * decoded once, for the largest size, with shrink-on-load (a JPEG at 1/2, 1/4 or 1/8 scale straight
 * from the DCT) and `sequentialRead`, so a 12 MP photo never sits decoded in memory. The other
 * sizes are resized from those pixels, not decoded again. One libvips thread per pipeline lets
 * two pipelines (two Lambda invocations, two images in the local runner) use two cores.
 *
 * @example
 * const result = await renderThumbnails(bytes, { sizes: [128], format: 'jpeg', maxInputPixels: 100e6 });
 */
import { InvalidImageError } from '@snapstack/domain/errors';
import type { ImageContentType, ThumbnailFormat } from '@snapstack/domain/image';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { detectImageType } from './magic-bytes.js';

export interface ThumbnailOptions {
  /** Bounding boxes (pixels): each thumbnail fits inside `size` x `size`, never enlarged. */
  readonly sizes: readonly number[];
  readonly format: ThumbnailFormat;
  /** Decompression-bomb guard: inputs declaring more pixels are refused before decoding. */
  readonly maxInputPixels: number;
  /** JPEG/WebP quality, 1-100. */
  readonly quality?: number;
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
  return {
    contentType,
    format: meta.format ?? contentType.slice('image/'.length),
    width: swap ? height : width,
    height: swap ? width : height,
    ...(meta.orientation ? { orientation: meta.orientation } : {}),
    bytes: input.length,
  };
}

export async function renderThumbnails(input: Buffer, options: ThumbnailOptions): Promise<RenderResult> {
  const source = await inspectImage(input, options.maxInputPixels);
  const sizes = [...options.sizes].sort((a, b) => b - a);
  const largest = sizes[0];
  if (largest === undefined) return { source, thumbnails: [] };
  const bySize = new Map<number, RenderedThumbnail>();
  try {
    const decoded = sharp(input, {
      limitInputPixels: options.maxInputPixels,
      failOn: 'error',
      sequentialRead: true,
    })
      .autoOrient()
      .resize(largest, largest, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb');
    if (sizes.length === 1) {
      bySize.set(largest, await encode(decoded, largest, options));
    } else {
      // Decoded once: the largest size's pixels, already upright and sRGB, feed every size.
      const { data, info } = await decoded.raw().toBuffer({ resolveWithObject: true });
      const raw = { width: info.width, height: info.height, channels: info.channels };
      for (const size of sizes) {
        const pixels = sharp(data, { raw }).resize(size, size, { fit: 'inside', withoutEnlargement: true });
        bySize.set(size, await encode(pixels, size, options));
      }
    }
  } catch (cause) {
    throw new InvalidImageError(`cannot decode the image: ${reason(cause)}`, { cause });
  }
  return { source, thumbnails: options.sizes.map((size) => bySize.get(size)!) };
}

async function encode(pipeline: Sharp, size: number, options: ThumbnailOptions): Promise<RenderedThumbnail> {
  const quality = options.quality ?? 80;
  const encoded =
    options.format === 'jpeg'
      ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: false })
      : pipeline.webp({ quality, effort: 2 });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { size, width: info.width, height: info.height, data, ...OUTPUT[options.format] };
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // libvips messages can span lines and name temp buffers; the first line is the reason.
  return (message.split('\n')[0] ?? message).trim();
}
