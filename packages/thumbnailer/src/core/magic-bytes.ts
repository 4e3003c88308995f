/**
 * The real type of an image, from its first bytes — never from a header or a file name.
 *
 * Six signatures are all Snapstack accepts, so this is a small table rather than a dependency
 * (`file-type` knows ~150 formats, is async-only and would ship in every bundle).
 *
 * @example
 * detectImageType(buffer) // 'image/jpeg' | ... | undefined
 */
import type { ImageContentType } from '@snapstack/domain/image';

/** How many leading bytes `detectImageType` needs at most. */
export const MAGIC_BYTES_NEEDED = 32;

const startsWith = (b: Uint8Array, bytes: readonly number[], offset = 0) =>
  b.length >= offset + bytes.length && bytes.every((v, i) => b[offset + i] === v);

const ascii = (b: Uint8Array, start: number, end: number) => String.fromCharCode(...b.subarray(start, end));

/** AVIF is an ISO-BMFF file whose `ftyp` box names `avif`/`avis` as major or compatible brand. */
function isAvif(b: Uint8Array): boolean {
  if (b.length < 16 || ascii(b, 4, 8) !== 'ftyp') return false;
  const boxSize = (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
  const end = Math.min(b.length, boxSize);
  const brands = [ascii(b, 8, 12)];
  for (let i = 16; i + 4 <= end; i += 4) brands.push(ascii(b, i, i + 4));
  return brands.some((brand) => brand === 'avif' || brand === 'avis');
}

export function detectImageType(bytes: Uint8Array): ImageContentType | undefined {
  const b = bytes;
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return 'image/gif';
  if (isAvif(b)) return 'image/avif';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  return undefined;
}
