import { created, httpHandler } from '@snapstack/domain/http';
import { clock, imageRepository, limits, logger, newId, originalStore } from '../config.js';
import { makeCreateUpload } from '../use-cases/images.js';

const createUpload = makeCreateUpload({ repo: imageRepository, store: originalStore, clock, newId, limits });

export const handler = httpHandler(logger, async (req) => {
  const result = await createUpload(req.json(), req.caller?.sub);
  return created(result, `/metadata/${encodeURIComponent(result.image.image_id)}`);
});
