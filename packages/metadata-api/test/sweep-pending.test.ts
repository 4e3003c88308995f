/**
 * The pending-image sweeper on the local emulators: it finds stuck images through the sparse
 * index, re-drives one whose S3 event was lost (a real async invoke of the thumbnailer through
 * the SDK's Lambda Invoke), and expires one whose presigned upload never came. Time passing is
 * simulated by writing older timestamps; the use case's own timing is tested with a fake clock.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataPath, s3For } from './helpers.js';

let app: TestRunner;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  app = await startTestRunner();
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: app.endpoints.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});
afterAll(async () => {
  doc?.destroy();
  await app?.close();
});

const anHourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const sweep = async () => {
  const report = await (await app.handler('sweepPending'))({}, undefined);
  await app.asyncInvoker.idle();
  return report;
};

describe('the pending-image sweeper', () => {
  it('re-drives an image whose original exists, expires one whose upload never came, leaves fresh ones', async () => {
    const table = app.names.tables.images;
    // An original whose notification was lost: stored, then its image set back to a stale pending.
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#357' } })
      .png()
      .toBuffer();
    const s3 = s3For(app);
    await s3.send(
      new PutObjectCommand({
        Bucket: app.names.buckets.images,
        Key: 'uploads/lost',
        Body: png,
        ContentType: 'image/png',
      }),
    );
    s3.destroy();
    await app.asyncInvoker.idle();
    const since = anHourAgo();
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          image_id: 'lost',
          status: 'pending',
          originalKey: 'uploads/lost',
          createdAt: since,
          pendingSince: since,
        },
      }),
    );
    // A presigned upload that never happened, created an hour ago with a 10-minute URL.
    const never = await app.request('POST', '/uploads', { json: { contentType: 'image/png' } });
    const expiredAt = new Date(Date.now() - 3000_000).toISOString();
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { image_id: never.body.image.image_id },
        UpdateExpression: 'SET createdAt = :t, pendingSince = :t, uploadExpiresAt = :e',
        ExpressionAttributeValues: { ':t': anHourAgo(), ':e': expiredAt },
      }),
    );
    // Just created: neither action applies yet.
    const fresh = await app.request('POST', '/uploads', { json: { contentType: 'image/png' } });

    expect(await sweep()).toMatchObject({ examined: 2, redriven: 1, expired: 1, errors: 0 });

    const lost = await app.request('GET', metadataPath('lost'));
    expect(lost.body).toMatchObject({
      status: 'ready',
      width: 300,
      height: 200,
      thumbnails: [expect.any(Object)],
    });
    const gone = await app.request('GET', metadataPath(never.body.image.image_id));
    expect(gone.body).toMatchObject({
      status: 'expired',
      error: `the upload URL expired at ${expiredAt} and no original arrived`,
      expiredAt: expect.any(String),
    });
    expect(gone.body).not.toHaveProperty('pendingSince');
    expect((await app.request('GET', metadataPath(fresh.body.image.image_id))).body.status).toBe('pending');
    // Out of the sparse index once no longer pending: the next sweep has nothing to look at.
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { image_id: 'lost' } }));
    expect(Item).not.toHaveProperty('pendingSince');
    expect(await sweep()).toMatchObject({ examined: 0 });
  });
});
