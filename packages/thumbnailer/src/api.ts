/**
 * The thumbnailer's public API for the metadata API (`@snapstack/thumbnailer/api`): what an
 * upload needs to agree with the thumbnailer on — an image's real type, where its original
 * lives, and the images table. No sharp here: the upload handlers load this without the
 * native image library. The thumbnail use case itself is `@snapstack/thumbnailer/process`.
 */
export { DynamoImageRepository, toImage } from './adapters/dynamo-image-repository.js';
export { deleteObjects } from './adapters/s3-image-store.js';
export { detectImageType } from './core/magic-bytes.js';
export { originalKeyOf, thumbnailPrefixOf } from './keys.js';
export type { Clock, ImageRepository, ImageStore, ReadyUpdate, WriteCondition } from './ports.js';
