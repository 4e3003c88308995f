import { describe, expect, it } from 'vitest';
import type { CreatedUpload, ImageItem } from '../src/api.js';
import { refusal, startUpload, storageRefusal, UploadCancelledError } from '../src/upload.js';

/** An XMLHttpRequest that records what is sent and lets the test play the network's part. */
class FakeRequest {
  status = 0;
  responseText = '';
  sent: FormData | undefined;
  url = '';
  readonly upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(_method: string, url: string) {
    this.url = url;
  }
  send(body: FormData) {
    this.sent = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }
  finish(status: number, text = '') {
    this.status = status;
    this.responseText = text;
    this.onload?.();
  }
}

const pending: ImageItem = { image_id: 'img-1', status: 'pending', createdAt: '2026-01-01T00:00:00Z' };

function fakeApi() {
  const deleted: string[] = [];
  const created: Array<[string, number]> = [];
  return {
    deleted,
    created,
    createUpload: async (contentType: string, bytes: number): Promise<CreatedUpload> => {
      created.push([contentType, bytes]);
      return {
        image: pending,
        upload: { url: 'https://s3.test/bucket', fields: { key: 'uploads/img-1', Policy: 'p' } },
      };
    },
    deleteImage: async (id: string) => {
      deleted.push(id);
      return undefined;
    },
  };
}

const photo = () => new File([new Uint8Array(1000)], 'cat.jpg', { type: 'image/jpeg' });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('refusal', () => {
  it.each([
    [
      { name: 'notes.txt', type: 'text/plain', size: 10 },
      'notes.txt is not a photo Snapstack accepts (text/plain)',
    ],
    [{ name: 'x.heic', type: '', size: 10 }, 'x.heic is not a photo Snapstack accepts (unknown type)'],
    [{ name: 'empty.png', type: 'image/png', size: 0 }, 'empty.png is empty.'],
  ])('refuses %j', (file, words) => {
    expect(refusal(file)).toContain(words);
  });

  it('accepts every type the upload schema accepts', () => {
    expect(refusal({ name: 'a.avif', type: 'image/avif', size: 1 })).toBeUndefined();
  });
});

describe('storageRefusal', () => {
  it('names a photo over the presigned size', () => {
    expect(
      storageRefusal(
        400,
        '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds</Message></Error>',
      ),
    ).toBe('The photo is larger than the upload allows.');
  });
});

/** An upload of `photo()` whose presigned POST has been sent to a fake request. */
async function started(onProgress: (fraction: number) => void = () => {}) {
  const api = fakeApi();
  const xhr = new FakeRequest();
  const handle = startUpload(
    api,
    photo(),
    { onProgress, onCreated: () => {} },
    () => xhr as unknown as XMLHttpRequest,
  );
  await tick();
  return { api, xhr, handle };
}

describe('startUpload', () => {
  it('asks for an upload of the file’s type and size, posts the fields then the file, and reports progress', async () => {
    const progress: number[] = [];
    const { api, xhr, handle } = await started((f) => progress.push(f));
    expect(api.created).toEqual([['image/jpeg', 1000]]);
    expect(xhr.url).toBe('https://s3.test/bucket');
    expect([...xhr.sent!.keys()]).toEqual(['key', 'Policy', 'file']);
    xhr.progress(500, 1000);
    xhr.finish(204);
    await expect(handle.done).resolves.toMatchObject({ image_id: 'img-1' });
    expect(progress).toEqual([0.5, 1]);
    expect(api.deleted).toEqual([]);
  });

  it('on cancel aborts the transfer and deletes the pending image', async () => {
    const { api, handle } = await started();
    handle.cancel();
    await expect(handle.done).rejects.toBeInstanceOf(UploadCancelledError);
    expect(api.deleted).toEqual(['img-1']);
  });

  it('turns a storage refusal into words and removes the image that will never arrive', async () => {
    const { api, xhr, handle } = await started();
    xhr.finish(403, '<Error><Code>AccessDenied</Code><Message>Policy expired.</Message></Error>');
    await expect(handle.done).rejects.toThrow('The upload link expired. Try again.');
    expect(api.deleted).toEqual(['img-1']);
  });
});
