/**
 * Where an image's objects live in the images bucket. No sharp here: the metadata API's
 * upload handlers import this without loading the native image library.
 */
import { imagePrefixes } from '@snapstack/domain/buckets';
import { ValidationError } from '@snapstack/domain/errors';

export const originalKeyOf = (imageId: string) => `${imagePrefixes.uploads}${imageId}`;

export const thumbnailKeyOf = (imageId: string, size: number, extension: string) =>
  `${thumbnailPrefixOf(imageId)}${size}.${extension}`;

/** Every thumbnail of an image is directly under this prefix (list it with delimiter `/`). */
export const thumbnailPrefixOf = (imageId: string) => `${imagePrefixes.thumbnails}${imageId}/`;

/** The image id an original's key names; refuses keys outside the watched prefix. */
export function imageIdOfKey(key: string): string {
  if (!key.startsWith(imagePrefixes.uploads) || key.length === imagePrefixes.uploads.length) {
    throw new ValidationError(`refusing key "${key}": originals live under ${imagePrefixes.uploads}`);
  }
  return key.slice(imagePrefixes.uploads.length);
}
