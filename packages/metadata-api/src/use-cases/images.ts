/**
 * Metadata API use cases: pure functions over ports. Request shapes are validated here too
 * (the gateway validated already; a direct invoke must not bypass it).
 */
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@snapstack/domain/errors';
import {
  type CreateUploadInput,
  IMAGE_CONTENT_TYPES,
  type Image,
  type ProcessImageInput,
} from '@snapstack/domain/image';
import { routeOf } from '@snapstack/domain/routes';
import { createUploadSchema, processImageSchema } from '@snapstack/domain/schemas';
import { compileValidator } from '@snapstack/domain/validation';
import { detectImageType, originalKeyOf } from '@snapstack/thumbnailer/api';
import type { ProcessOutcome } from '@snapstack/thumbnailer/process';
import type {
  Clock,
  IdGenerator,
  ImageRepository,
  ImageView,
  OriginalStore,
  PresignedUpload,
  UploadLimits,
} from '../ports.js';
import { ownedItem, ownerOf } from './owned-images.js';

const validateCreateUpload = compileValidator<CreateUploadInput>(createUploadSchema);
const validateProcess = compileValidator<ProcessImageInput>(processImageSchema);

const ACCEPTED = IMAGE_CONTENT_TYPES.join(', ');
/** `POST /upload` and `POST /uploads`, named in error messages as the route table spells them. */
const routeName = (fn: 'uploadImage' | 'createUpload') => `${routeOf(fn).method} ${routeOf(fn).path}`;

function pendingImage(
  id: string,
  contentType: string,
  createdAt: string,
  bytes?: number,
  createdBy?: string,
): Image {
  return {
    image_id: id,
    status: 'pending',
    originalKey: originalKeyOf(id),
    contentType,
    ...(bytes !== undefined ? { bytes } : {}),
    createdAt,
    ...(createdBy ? { createdBy } : {}),
  };
}

/** POST /upload: the body is the image; its type comes from its bytes, not its header. */
export function makeUploadImage(deps: {
  repo: ImageRepository;
  store: OriginalStore;
  clock: Clock;
  newId: IdGenerator;
  limits: UploadLimits;
}) {
  return async (request: { body: Buffer; contentType?: string; createdBy?: string }): Promise<Image> => {
    const declared = request.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!declared.startsWith('image/')) {
      throw new UnsupportedMediaTypeError(
        `Content-Type must be an image type (${ACCEPTED}), got "${declared || 'none'}"`,
      );
    }
    if (request.body.length > deps.limits.maxDirectBytes) {
      throw new PayloadTooLargeError(
        `the image is ${request.body.length} bytes; ${routeName('uploadImage')} takes at most ${deps.limits.maxDirectBytes} bytes. ` +
          `For larger images (up to ${deps.limits.maxPresignedBytes} bytes) use ${routeName('createUpload')} to get a presigned upload.`,
      );
    }
    if (request.body.length === 0) throw new ValidationError('Invalid request body', ['body is empty']);
    const detected = detectImageType(request.body);
    if (!detected) {
      throw new UnsupportedMediaTypeError(
        `the body is not a supported image (${ACCEPTED}), whatever its Content-Type says`,
      );
    }
    const image = pendingImage(
      deps.newId(),
      detected,
      deps.clock.now().toISOString(),
      request.body.length,
      request.createdBy,
    );
    // The item first: the upload's S3 event may be processed before this function returns,
    // and the thumbnailer's update must land on the pending item, not be overwritten by it.
    await deps.repo.create(image);
    await deps.store.putOriginal(image.originalKey, request.body, detected);
    return image;
  };
}

/** POST /uploads: a pending image and a presigned POST for its original. */
export function makeCreateUpload(deps: {
  repo: ImageRepository;
  store: OriginalStore;
  clock: Clock;
  newId: IdGenerator;
  limits: UploadLimits;
}) {
  return async (body: unknown, createdBy?: string): Promise<{ image: Image; upload: PresignedUpload }> => {
    const input = validateCreateUpload(body);
    if (input.bytes !== undefined && input.bytes > deps.limits.maxPresignedBytes) {
      throw new PayloadTooLargeError(`images may be at most ${deps.limits.maxPresignedBytes} bytes`);
    }
    const now = deps.clock.now();
    const image: Image = {
      ...pendingImage(deps.newId(), input.contentType, now.toISOString(), undefined, createdBy),
      // Recorded so the pending-image sweeper knows when the upload can no longer come.
      uploadExpiresAt: new Date(now.getTime() + deps.limits.presignExpiresSeconds * 1000).toISOString(),
    };
    await deps.repo.create(image);
    const upload = await deps.store.presignUpload({
      key: image.originalKey,
      contentType: input.contentType,
      minBytes: input.bytes ?? 1,
      maxBytes: input.bytes ?? deps.limits.maxPresignedBytes,
      expiresSeconds: deps.limits.presignExpiresSeconds,
    });
    return { image, upload };
  };
}

export function makeGetImage(repo: ImageRepository, view: ImageView) {
  return async (imageId: string): Promise<Image> => {
    const item = await repo.get(imageId);
    if (!item) throw new NotFoundError(`image ${imageId} not found`);
    return view(item);
  };
}

/** POST /process: regenerate thumbnails now (the shared thumbnail use case, forced). */
export function makeProcessNow(
  repo: ImageRepository,
  view: ImageView,
  processImage: (
    imageId: string,
    options: { sizes?: readonly number[]; force: boolean },
  ) => Promise<ProcessOutcome>,
) {
  return async (body: unknown, caller: string | undefined): Promise<Image> => {
    const input = validateProcess(body);
    // Owner only, like every route that acts on one image: 404 unknown, 403 someone else's.
    await ownedItem(repo, input.image_id, ownerOf(caller));
    const outcome = await processImage(input.image_id, {
      force: true,
      ...(input.sizes ? { sizes: input.sizes } : {}),
    });
    if (outcome.kind === 'missing') {
      throw new ConflictError(`image ${input.image_id} has no original yet: upload it before processing`);
    }
    if (outcome.kind === 'deleted') throw new NotFoundError(`image ${input.image_id} was deleted`);
    return view(outcome.image);
  };
}
