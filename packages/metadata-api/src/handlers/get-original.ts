import { found, httpHandler } from '@snapstack/domain/http';
import { downloads, imageRepository, logger, originalStore } from '../config.js';
import { makeGetOriginal } from '../use-cases/owned-images.js';

const getOriginal = makeGetOriginal({ repo: imageRepository, store: originalStore, settings: downloads });

export const handler = httpHandler(logger, async (req) =>
  found(await getOriginal(req.caller?.sub, req.pathParam('image_id'))),
);
