import { httpHandler, ok } from '@snapstack/domain/http';
import { imageView, logger, ownedImages } from '../config.js';
import { makeListImages } from '../use-cases/owned-images.js';

const listImages = makeListImages({ owned: ownedImages, view: imageView });

export const handler = httpHandler(logger, async (req) => ok(await listImages(req.caller?.sub, req.query)));
