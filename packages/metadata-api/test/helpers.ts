import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import type { TestResponse, TestRunner } from '@snapstack/local/testing';

/** An S3 client against the runner's emulator, configured as the handlers' clients are. */
export function s3For(app: TestRunner, overrides: Partial<ConstructorParameters<typeof S3Client>[0]> = {}) {
  return new S3Client({
    endpoint: app.endpoints.s3,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

export async function getObject(s3: S3Client, bucket: string, key: string) {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { ...res, data: Buffer.from(await res.Body!.transformToByteArray()) };
}

export const metadataPath = (imageId: string) => `/metadata/${encodeURIComponent(imageId)}`;

/**
 * Polls GET /metadata until the image leaves `pending` (or exists, for objects put straight
 * into S3). Bounded: gives up after `attempts` polls and returns the last answer.
 */
export async function waitForProcessed(
  app: TestRunner,
  imageId: string,
  attempts = 300,
): Promise<TestResponse> {
  let last: TestResponse | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await app.request('GET', metadataPath(imageId));
    if (last.status === 200 && last.body.status !== 'pending') return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last!;
}

/** Sends a presigned POST as a browser form would: the policy fields, then the file. */
export async function postForm(
  upload: { url: string; fields: Record<string, string> },
  data: Uint8Array,
  contentType: string,
  overrides: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...upload.fields, ...overrides })) form.append(name, value);
  form.append('file', new Blob([data], { type: contentType }), 'photo');
  const res = await fetch(upload.url, { method: 'POST', body: form });
  return { status: res.status, text: await res.text() };
}
