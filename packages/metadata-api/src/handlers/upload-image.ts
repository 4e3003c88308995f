import { created, httpHandler } from '@snapstack/domain/http';
import { routePath } from '@snapstack/domain/routes';
import { clock, imageRepository, limits, logger, newId, originalStore } from '../config.js';
import { makeUploadImage } from '../use-cases/images.js';

const uploadImage = makeUploadImage({ repo: imageRepository, store: originalStore, clock, newId, limits });

export const handler = httpHandler(logger, async (req) => {
  const contentType = req.header('content-type');
  const image = await uploadImage({
    body: req.body,
    ...(contentType ? { contentType } : {}),
    ...(req.caller ? { createdBy: req.caller.sub } : {}),
  });
  return created(image, routePath('getMetadata', { image_id: image.image_id }));
});
