import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { encodeS3EventKey } from '@snapstack/domain/buckets';
import type { S3Event } from 'aws-lambda';
import type { PendingImage, Redriver } from '../sweeper-ports.js';

/**
 * Re-drives an image by invoking the thumbnailer asynchronously (InvocationType `Event`) with
 * the S3 notification it missed: the same handler, Lambda's retries and on-failure queue, and the
 * thumbnailer's idempotency all apply, and the sweeper needs only lambda:InvokeFunction on it.
 */
export class LambdaRedriver implements Redriver {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
    private readonly bucket: string,
    private readonly region: string,
  ) {}

  async redrive(image: PendingImage): Promise<void> {
    const { StatusCode } = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(redriveEvent(this.bucket, image.originalKey, this.region))),
      }),
    );
    if (StatusCode !== 202) throw new Error(`async invoke of ${this.functionName} answered ${StatusCode}`);
  }
}

/** An S3 `ObjectCreated` notification for `key`, marked as the sweeper's by its configuration id. */
export function redriveEvent(bucket: string, key: string, region: string, at = new Date()): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'snapstack-sweep-pending' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'sweep-pending', 'x-amz-id-2': 'sweep-pending' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'sweep-pending-redrive',
          bucket: {
            name: bucket,
            ownerIdentity: { principalId: 'snapstack' },
            arn: `arn:aws:s3:::${bucket}`,
          },
          object: { key: encodeS3EventKey(key), size: 0, eTag: '', sequencer: '0' },
        },
      },
    ],
  };
}
