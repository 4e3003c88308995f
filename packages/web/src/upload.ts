/**
 * One photo's upload: `POST /uploads` (the API records a pending image and presigns a POST for
 * its original, whatever its size: no 6 MB Lambda payload limit), then the file goes straight to
 * S3 with XMLHttpRequest, whose upload events give the progress bar (fetch has none). Cancel
 * aborts whichever step is running and deletes the pending image, so no "processing" tile stays.
 */
import { IMAGE_CONTENT_TYPES } from '@snapstack/domain/schemas';
import type { Api, ImageItem } from './api.js';
import { ApiError } from './api.js';

/** What people call the accepted types, for messages. */
const TYPE_NAMES: Record<(typeof IMAGE_CONTENT_TYPES)[number], string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/avif': 'AVIF',
  'image/tiff': 'TIFF',
};

export const ACCEPT = IMAGE_CONTENT_TYPES.join(',');

/** Why a file is refused before anything is sent, or undefined when it may go. */
export function refusal(file: {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}): string | undefined {
  if (!(IMAGE_CONTENT_TYPES as readonly string[]).includes(file.type)) {
    const names = Object.values(TYPE_NAMES);
    const accepted = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
    return `${file.name} is not a photo Snapstack accepts (${file.type || 'unknown type'}): upload ${accepted} images.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  return undefined;
}

/** The words for an S3 refusal of the presigned POST (an XML `<Error>`). */
export function storageRefusal(status: number, xml: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
  if (code === 'EntityTooLarge') return 'The photo is larger than the upload allows.';
  if (code === 'AccessDenied' && /expired/i.test(xml)) return 'The upload link expired. Try again.';
  const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
  return message ? `Storage refused the photo: ${message}` : `Storage refused the photo (HTTP ${status}).`;
}

export interface UploadHandle {
  /** Resolves with the pending image once its original is stored; rejects with words to show. */
  readonly done: Promise<ImageItem>;
  cancel(): void;
}

export class UploadCancelledError extends Error {
  override readonly name = 'UploadCancelledError';
}

export interface UploadEvents {
  /** 0..1, as the bytes go out. */
  onProgress(fraction: number): void;
  /** The API accepted the upload: the image exists (pending) from here on. */
  onCreated(image: ImageItem): void;
}

export function startUpload(
  api: Pick<Api, 'createUpload' | 'deleteImage'>,
  file: File,
  events: UploadEvents,
  newRequest: () => XMLHttpRequest = () => new XMLHttpRequest(),
): UploadHandle {
  let cancelled = false;
  let xhr: XMLHttpRequest | undefined;
  let created: ImageItem | undefined;

  const send = (url: string, fields: Readonly<Record<string, string>>) =>
    new Promise<void>((resolve, reject) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', file); // S3 ignores every field after the file: it goes last
      xhr = newRequest();
      xhr.open('POST', url);
      xhr.upload.onprogress = (e) => e.lengthComputable && events.onProgress(e.loaded / e.total);
      xhr.onload = () => {
        const status = xhr?.status ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(storageRefusal(status, xhr?.responseText ?? '')));
      };
      xhr.onerror = () => reject(new Error('The photo could not be sent to storage. Check your connection.'));
      xhr.onabort = () => reject(new UploadCancelledError('cancelled'));
      xhr.send(form);
    });

  const run = async (): Promise<ImageItem> => {
    const { image, upload } = await api.createUpload(file.type, file.size);
    created = image;
    if (cancelled) throw new UploadCancelledError('cancelled');
    events.onCreated(image);
    await send(upload.url, upload.fields);
    events.onProgress(1);
    return image;
  };

  const done = run().catch(async (error: unknown) => {
    // A cancelled or failed upload leaves a pending image with no original: remove it now
    // rather than leave a tile that would turn "expired" ten minutes later.
    if (created) await api.deleteImage(created.image_id).catch(() => undefined);
    if (cancelled || error instanceof UploadCancelledError) throw new UploadCancelledError('cancelled');
    throw error instanceof ApiError || error instanceof Error ? error : new Error(String(error));
  });

  return {
    done,
    cancel() {
      cancelled = true;
      xhr?.abort();
    },
  };
}
