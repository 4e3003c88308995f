import { created, httpHandler } from '@snapstack/domain/http';
import { routePath } from '@snapstack/domain/routes';
import { clock, imageRepository, limits, logger, newId, originalStore } from '../config.js';
import { makeCreateUpload } from '../use-cases/images.js';

const createUpload = makeCreateUpload({ repo: imageRepository, store: originalStore, clock, newId, limits });

export const handler = httpHandler(logger, async (req) => {
  const result = await createUpload(req.json(), req.caller?.sub);
  return created(result, routePath('getMetadata', { image_id: result.image.image_id }));
});
