/**
 * The images bucket's CORS, set through the same S3 call as in AWS (`PutBucketCors`): the
 * browser posts originals straight to the presigned POST (with upload progress, which makes
 * Chrome preflight) and follows `GET /images/{id}/original` to a presigned GET. Without a rule
 * S3 answers neither to a page on another origin. In AWS infra sets the same rules on the bucket.
 */
import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { localClientConfig } from '../emulators/support.js';

export async function allowBrowserAccess(
  s3Endpoint: string,
  bucket: string,
  origins: readonly string[],
): Promise<void> {
  const s3 = new S3Client(localClientConfig(s3Endpoint));
  try {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            // Uploads only from the app's own origins.
            {
              AllowedOrigins: [...origins],
              AllowedMethods: ['POST'],
              AllowedHeaders: ['*'],
              MaxAgeSeconds: 600,
            },
            // A redirect to another origin sends `Origin: null` (the fetch standard's tainted
            // origin), so the GET rule cannot name the app; the presigned URL is the capability.
            { AllowedOrigins: ['*'], AllowedMethods: ['GET'], MaxAgeSeconds: 600 },
          ],
        },
      }),
    );
  } finally {
    s3.destroy();
  }
}
