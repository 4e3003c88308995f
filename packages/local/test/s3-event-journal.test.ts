/**
 * S3 notifications survive a crash of the runner: each is journalled before the upload is
 * acknowledged and redelivered by the next runner on the same data directory until handled.
 * Real s3rver, real SDK PutObject; the async invoke is replaced by a recorder.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../src/emulators/support.js';
import {
  type DeliverS3Event,
  S3_EVENTS_DIR,
  startImageStorage,
} from '../src/event-sources/s3-notifications.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'snapstack-s3-events-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const journalFiles = () => readdirSync(path.join(dataDir, S3_EVENTS_DIR));

async function put(endpoint: string, bucket: string, key: string) {
  const s3 = new S3Client(localClientConfig(endpoint));
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x', ContentType: 'image/png' }));
  } finally {
    s3.destroy();
  }
}

describe('S3 event notifications on a data directory', () => {
  it('are on disk when the PUT is acknowledged and redelivered after a restart until handled', async () => {
    // A runner that crashes before delivering: storage up, never connected to an invoker.
    const crashed = await startImageStorage({ stage: 'local', dataDir });
    await put(crashed.endpoint, crashed.bucketNames.images, 'uploads/img 1');
    await put(crashed.endpoint, crashed.bucketNames.images, 'thumbnails/img-1/128.jpg');
    expect(journalFiles()).toHaveLength(1); // only the watched prefix notifies
    await crashed.close();

    const restarted = await startImageStorage({ stage: 'local', dataDir });
    const delivered: Array<{ functionId: string; event: S3Event; handled: () => void }> = [];
    const record: DeliverS3Event = (functionId, event, { onHandled }) =>
      delivered.push({ functionId, event, handled: onHandled });
    restarted.connect(record);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({
      functionId: 'thumbnailer',
      event: { Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'uploads/img+1' } } }] },
    });

    // A new upload while connected goes straight to the invoker, and is journalled too.
    await put(restarted.endpoint, restarted.bucketNames.images, 'uploads/img-2');
    expect(delivered).toHaveLength(2);
    expect(journalFiles()).toHaveLength(2);
    delivered[0]!.handled();
    await restarted.close();

    const again = await startImageStorage({ stage: 'local', dataDir });
    const redelivered: string[] = [];
    again.connect((_id, event) => redelivered.push(event.Records[0]!.s3.object.key));
    await again.close();
    expect(redelivered).toEqual(['uploads/img-2']);
  });
});
