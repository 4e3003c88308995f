import { httpHandler, ok } from '@snapstack/domain/http';
import { imageRepository, imageView, logger } from '../config.js';
import { makeGetImage } from '../use-cases/images.js';

const getImage = makeGetImage(imageRepository, imageView);

export const handler = httpHandler(logger, async (req) => ok(await getImage(req.pathParam('image_id'))));
