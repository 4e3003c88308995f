/**
 * The thumbnail use case as POST /process runs it (`@snapstack/thumbnailer/process`): the same
 * use case and adapters as the S3-event handler, forced. Importing this loads sharp, so only
 * functions that declare it as a native dependency import it.
 */
export { createThumbnailDeps } from './config.js';
export { makeProcessImage, type ProcessOptions, type ProcessOutcome } from './use-cases/process-image.js';
