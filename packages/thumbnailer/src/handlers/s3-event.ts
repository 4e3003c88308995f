import { createLogger } from '@snapstack/domain/logger';
import type { Context, S3Event } from 'aws-lambda';
import { createThumbnailDeps } from '../config.js';
import { makeHandleS3Event } from '../use-cases/handle-s3-event.js';
import { makeProcessImage } from '../use-cases/process-image.js';

const logger = createLogger('thumbnailer');
const deps = createThumbnailDeps();
const processImage = makeProcessImage(deps);
const handleEvent = makeHandleS3Event((imageId) => processImage(imageId), deps.bucketName, logger);

/** S3 ObjectCreated on uploads/ (asynchronous invoke): throws only on transient failures. */
export const handler = async (event: S3Event, context?: Context) => {
  if (context) logger.addContext(context);
  try {
    return await handleEvent(event);
  } finally {
    logger.resetKeys();
  }
};
