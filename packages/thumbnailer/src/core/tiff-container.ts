/**
 * Wraps decoded 8-bit pixels in a minimal uncompressed TIFF that also carries an ICC profile
 * and an EXIF-style orientation: sharp takes raw pixels, but only with no colour profile, so
 * this is how the scaled JPEG decode hands an embedded profile (a phone's Display P3, say) on
 * to sharp's own colour management instead of dropping it.
 *
 * Layout: little-endian header, one IFD, BitsPerSample values, the profile, then the pixels as
 * a single strip (TIFF 6.0: baseline RGB or BlackIsZero grayscale, PlanarConfiguration 1).
 */
import type { DecodedPixels } from './scaled-jpeg.js';

const SHORT = 3;
const LONG = 4;
const UNDEFINED = 7;

interface Entry {
  readonly tag: number;
  readonly type: typeof SHORT | typeof LONG | typeof UNDEFINED;
  readonly count: number;
  /** The value itself, or the offset of the values when they do not fit in four bytes. */
  readonly value: number;
}

export function tiffContainer(
  pixels: DecodedPixels,
  { icc, orientation = 1 }: { readonly icc?: Buffer; readonly orientation?: number },
): Buffer {
  const rgb = pixels.channels === 3;
  const entryCount = 11 + (icc ? 1 : 0);
  const ifdBytes = 2 + entryCount * 12 + 4;
  const bitsPerSampleOffset = 8 + ifdBytes;
  const iccOffset = bitsPerSampleOffset + 6 + 2; // three SHORTs, padded to a word boundary
  const pixelOffset = iccOffset + (icc ? icc.length + (icc.length % 2) : 0);
  const entries: Entry[] = [
    { tag: 256, type: LONG, count: 1, value: pixels.width }, // ImageWidth
    { tag: 257, type: LONG, count: 1, value: pixels.height }, // ImageLength
    rgb
      ? { tag: 258, type: SHORT, count: 3, value: bitsPerSampleOffset } // BitsPerSample
      : { tag: 258, type: SHORT, count: 1, value: 8 },
    { tag: 259, type: SHORT, count: 1, value: 1 }, // Compression: none
    { tag: 262, type: SHORT, count: 1, value: rgb ? 2 : 1 }, // PhotometricInterpretation
    { tag: 273, type: LONG, count: 1, value: pixelOffset }, // StripOffsets
    { tag: 274, type: SHORT, count: 1, value: orientation }, // Orientation
    { tag: 277, type: SHORT, count: 1, value: pixels.channels }, // SamplesPerPixel
    { tag: 278, type: LONG, count: 1, value: pixels.height }, // RowsPerStrip
    { tag: 279, type: LONG, count: 1, value: pixels.data.length }, // StripByteCounts
    { tag: 284, type: SHORT, count: 1, value: 1 }, // PlanarConfiguration: interleaved
    ...(icc ? [{ tag: 34675, type: UNDEFINED, count: icc.length, value: iccOffset } as const] : []), // ICCProfile
  ];

  const tiff = Buffer.allocUnsafe(pixelOffset + pixels.data.length);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(entries.length, 8);
  entries.forEach((entry, i) => {
    const at = 10 + i * 12;
    tiff.writeUInt16LE(entry.tag, at);
    tiff.writeUInt16LE(entry.type, at + 2);
    tiff.writeUInt32LE(entry.count, at + 4);
    if (entry.type === SHORT && entry.count === 1) {
      tiff.writeUInt16LE(entry.value, at + 8);
      tiff.writeUInt16LE(0, at + 10);
    } else {
      tiff.writeUInt32LE(entry.value, at + 8);
    }
  });
  tiff.writeUInt32LE(0, 10 + entries.length * 12); // no next IFD
  tiff.fill(0, bitsPerSampleOffset, iccOffset);
  for (let sample = 0; sample < 3; sample++) tiff.writeUInt16LE(8, bitsPerSampleOffset + sample * 2);
  if (icc) {
    icc.copy(tiff, iccOffset);
    tiff.fill(0, iccOffset + icc.length, pixelOffset);
  }
  pixels.data.copy(tiff, pixelOffset);
  return tiff;
}
