import { httpHandler, ok } from '@snapstack/domain/http';
import { createThumbnailDeps, makeProcessImage } from '@snapstack/thumbnailer/process';
import { imageView, logger } from '../config.js';
import { makeProcessNow } from '../use-cases/images.js';

const deps = createThumbnailDeps();
const processNow = makeProcessNow(deps.repo, imageView, makeProcessImage(deps));

export const handler = httpHandler(logger, async (req) => ok(await processNow(req.json(), req.caller?.sub)));
