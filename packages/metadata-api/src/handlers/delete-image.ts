import { httpHandler, noContent } from '@snapstack/domain/http';
import { imageRepository, logger, originalStore, ownedImages } from '../config.js';
import { makeDeleteImage } from '../use-cases/owned-images.js';

const deleteImage = makeDeleteImage({ repo: imageRepository, owned: ownedImages, store: originalStore });

export const handler = httpHandler(logger, async (req) => {
  await deleteImage(req.caller?.sub, req.pathParam('image_id'));
  return noContent();
});
