/**
 * "Upload photos": a drop zone that is also a labelled file picker (keyboard users never need
 * to drag), and one row per file with its progress bar, its state in words and a Cancel button.
 */
import type { Api, ImageItem } from './api.js';
import { announce, formatBytes, h } from './dom.js';
import { ACCEPT, refusal, startUpload, UploadCancelledError } from './upload.js';

export interface UploadCallbacks {
  onCreated(image: ImageItem): void;
  /** The original is stored: processing starts now. */
  onUploaded(image: ImageItem): void;
  onCancelled(imageId: string): void;
}

export function createUploader(api: Api, callbacks: UploadCallbacks): HTMLElement {
  const input = h('input', {
    type: 'file',
    id: 'file-input',
    multiple: true,
    accept: ACCEPT,
    class: 'visually-hidden',
  });
  const list = h('ul', { class: 'uploads', 'aria-label': 'Uploads' });
  const zone = h(
    'div',
    { class: 'dropzone' },
    input,
    h('label', { for: 'file-input', class: 'button' }, 'Choose photos'),
    h('span', {}, ' or drop them here'),
  );

  const accept = (files: Iterable<File>) => {
    for (const file of files) list.prepend(row(api, file, callbacks));
  };
  input.addEventListener('change', () => {
    accept(input.files ?? []);
    input.value = ''; // choosing the same file again is a new upload
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    accept(e.dataTransfer?.files ?? []);
  });

  return h(
    'section',
    { 'aria-labelledby': 'upload-heading', class: 'upload' },
    h('h2', { id: 'upload-heading' }, 'Upload photos'),
    zone,
    list,
  );
}

function row(api: Api, file: File, callbacks: UploadCallbacks): HTMLLIElement {
  const name = `${file.name} (${formatBytes(file.size)})`;
  const status = h('span', { class: 'upload-status' });
  const li = h('li', { class: 'upload-row' }, h('span', { class: 'upload-name' }, name), status);
  const refused = refusal(file);
  if (refused) {
    li.classList.add('refused');
    status.setAttribute('role', 'alert');
    status.textContent = refused;
    return li;
  }
  const progress = h('progress', { max: 1, value: 0, 'aria-label': `Upload of ${file.name}` });
  const cancel = h('button', { type: 'button', class: 'cancel' }, 'Cancel');
  li.append(progress, cancel);
  status.textContent = 'Starting…';
  let imageId: string | undefined;
  const upload = startUpload(api, file, {
    onProgress(fraction) {
      progress.value = fraction;
      status.textContent = `${Math.round(fraction * 100)}%`;
    },
    onCreated(image) {
      imageId = image.image_id;
      callbacks.onCreated(image);
    },
  });
  cancel.addEventListener('click', () => upload.cancel());
  cancel.setAttribute('aria-label', `Cancel the upload of ${file.name}`);
  upload.done.then(
    (image) => {
      callbacks.onUploaded(image);
      li.classList.add('done');
      status.textContent = 'Uploaded; processing';
      cancel.remove();
      announce(`${file.name} uploaded.`);
    },
    (error: unknown) => {
      cancel.remove();
      progress.remove();
      if (imageId) callbacks.onCancelled(imageId);
      if (error instanceof UploadCancelledError) {
        status.textContent = 'Cancelled';
        announce(`Upload of ${file.name} cancelled.`);
        return;
      }
      li.classList.add('refused');
      status.setAttribute('role', 'alert');
      status.textContent = (error as Error).message;
    },
  );
  return li;
}
